import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../core/errors.js';
import type { OcrEngine, OcrLanguage } from './ocr-engine.js';
import { ocrPage } from './ocr-page.js';
import type { TesseractPageData } from './ocr-result.js';

const GERMAN = 'Bitte füllen Sie den Fragebogen aus und geben Sie ihn bei der Anmeldung mit dem Ausweis ab';

function reading(text: string, confidence: number): TesseractPageData {
  const box = { x0: 1, y0: 1, x1: 9, y1: 9 };
  const words = text.split(' ').map((word) => ({ text: word, confidence, bbox: box }));
  return { text, confidence, blocks: [{ paragraphs: [{ lines: [{ text, confidence, bbox: box, words }] }] }] };
}

/** An engine that reads `byLanguage[language]`, and fails for a language it has no reading for. */
function fakeEngine(byLanguage: Partial<Record<OcrLanguage, TesseractPageData>>, asked: OcrLanguage[]): OcrEngine {
  return {
    async recognize(_image: Buffer, _dpi: number, _parameters: Record<string, string> = {}, language: OcrLanguage = 'eng') {
      asked.push(language);
      const data = byLanguage[language];
      if (!data)
        throw new AppError('ocr_failed', `The OCR engine could not start; check that @tesseract.js-data/${language} is installed.`);
      return data;
    },
  } as unknown as OcrEngine;
}

const page = { width: 200, height: 100, pixels: new Uint8Array(200 * 100).fill(255), dpi: 200 };

describe('ocrPage languages', () => {
  it('reads a page full of German function words again with the German model', async () => {
    const asked: OcrLanguage[] = [];
    const english = GERMAN.replace('füllen', 'fullen');
    const result = await ocrPage(fakeEngine({ eng: reading(english, 80), deu: reading(GERMAN, 86) }, asked), page);
    assert.equal(result.language, 'deu');
    assert.match(result.text, /füllen/);
    assert.deepEqual(asked, ['eng', 'deu']);
  });

  it('keeps a readable English page in English without asking another model', async () => {
    const asked: OcrLanguage[] = [];
    const result = await ocrPage(
      fakeEngine({ eng: reading('Please find the invoice for the services of March attached to this letter', 90) }, asked),
      page,
    );
    assert.equal(result.language, 'eng');
    assert.deepEqual(asked, ['eng']);
  });

  it('keeps the English reading when the other language model cannot start', async () => {
    const asked: OcrLanguage[] = [];
    const result = await ocrPage(fakeEngine({ eng: reading(GERMAN, 80) }, asked), page);
    assert.equal(result.language, 'eng');
    assert.equal(result.text, GERMAN);
    assert.deepEqual(asked, ['eng', 'deu']);
  });
});
