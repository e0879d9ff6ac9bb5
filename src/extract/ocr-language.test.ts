import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cjkShare, detectLatinLanguage } from './ocr-language.js';

const words = (text: string) => text.split(/\s+/);

describe('detectLatinLanguage', () => {
  it('names the language of a reading full of its function words, accents read or not', () => {
    assert.equal(
      detectLatinLanguage(words('Bitte füllen Sie den Fragebogen aus, die Angaben werden mit der Auswertung und nicht weitergegeben')),
      'deu',
    );
    assert.equal(
      detectLatinLanguage(words('Merci de nous retourner la facture avec le bon de commande pour les livres et des frais de port')),
      'fra',
    );
    assert.equal(
      detectLatinLanguage(words('El importe de la factura se paga por transferencia con los datos del cliente para su cuenta')),
      'spa',
    );
    assert.equal(
      detectLatinLanguage(words('Voeg het deeg toe aan een kom van klei en laat het voor een uur rusten met de doek op')),
      'nld',
    );
    assert.equal(
      detectLatinLanguage(words('Il pagamento della fattura per il cliente deve essere fatto con la banca che non sono')),
      'ita',
    );
  });

  it('leaves English alone, also when it quotes a few words of another language', () => {
    assert.equal(
      detectLatinLanguage(words('Please find attached the invoice for the services provided to you in March and the receipt')),
      null,
    );
    assert.equal(
      detectLatinLanguage(words('The menu of the restaurant Le Jardin des Plantes lists the dishes of the day and the wine list')),
      null,
    );
  });

  it('needs more than a word or two: a receipt with "der" once is not judged', () => {
    assert.equal(detectLatinLanguage(words('SUMME EUR 12,40 BAR 20,00 der Kassenbon')), null);
  });
});

describe('cjkShare', () => {
  it('is the share of non-space characters in Chinese, Japanese or Korean script', () => {
    assert.equal(cjkShare('申請書 ab'), 0.6);
    assert.equal(cjkShare('BEES FHL ARBRE'), 0);
    assert.equal(cjkShare('   '), 0);
    assert.equal(cjkShare('가나'), 1);
  });
});
