import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PhraseIndex } from './phrase-index.js';

describe('PhraseIndex', () => {
  it('finds multi-word phrases across case, accents and punctuation', () => {
    const index = new PhraseIndex();
    const due = index.addPhrase('amount due');
    const fee = index.addPhrase('numéro de facture');
    const found = index.findPhrases(['AMOUNT-DUE: 12.00', 'Numero de Facture 77'], false);
    assert.deepEqual(
      found.map((f) => [f.phrase, f.line]),
      [
        [due, 0],
        [fee, 1],
      ],
    );
  });

  it('tolerates one OCR error per word on OCR pages only', () => {
    const index = new PhraseIndex();
    const statement = index.addPhrase('statement period');
    assert.equal(index.findPhrases(['Staternent perlod'], false).length, 0);
    assert.equal(index.findPhrases(['Staternent period'], true).length, 0, 'two edits in one word are too many');
    assert.deepEqual(
      index.findPhrases(['Statment periiod'], true).map((f) => f.phrase),
      [statement],
    );
  });

  it('matches Cyrillic, Czech and Devanagari words, and Korean, Thai and half-width kana inside longer runs', () => {
    const index = new PhraseIndex();
    const ids = ['пользовательское соглашение', 'daňový doklad', 'वेतन पर्ची', '계약서', 'ใบเสร็จรับเงิน', 'インボイス'].map((phrase) =>
      index.addPhrase(phrase),
    );
    const lines = [
      'ПОЛЬЗОВАТЕЛЬСКОЕ СОГЛАШЕНИЕ',
      'Faktura – DAŇOVÝ DOKLAD č. 12',
      'वेतन पर्ची: मार्च',
      '근로 계약서를 작성',
      'ใบเสร็จรับเงิน/ใบกำกับภาษี',
      'ｲﾝﾎﾞｲｽ No.5',
    ];
    const found = index.findPhrases(lines, false);
    assert.deepEqual(
      ids.map((id) => found.find((f) => f.phrase === id)?.line),
      [0, 1, 2, 3, 4, 5],
    );
  });

  it('matches CJK phrases inside unspaced text', () => {
    const index = new PhraseIndex();
    const id = index.addPhrase('請求書');
    assert.deepEqual(
      index.findPhrases(['御 請求書 No. 12'], false).map((f) => f.phrase),
      [id],
    );
  });
});
