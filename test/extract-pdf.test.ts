/** Extraction of real PDFs from the corpus: text layers, page selection, passwords, scans. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Extractor } from '../src/core/ports.js';
import { AppError } from '../src/core/errors.js';
import { createExtractor } from '../src/extract/index.js';
import { CORPUS } from './helpers/extract-files.js';

async function rejectsWithCode(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe('extracting PDFs', () => {
  let extractor: Extractor;
  before(() => {
    extractor = createExtractor({ threads: 2 });
  });
  after(async () => {
    await extractor.close();
  });

  it('reads a born-digital PDF from its text layer with lines in reading order', async () => {
    const document = await extractor.extractFile(CORPUS.textPdf);
    assert.equal(document.type, 'pdf');
    assert.equal(document.num_pages, 2);
    assert.deepEqual(
      document.pages.map((page) => page.page),
      [0, 1],
    );
    const [first] = document.pages;
    assert.equal(first.source, 'text');
    assert.equal(first.ocr_confidence, null);
    assert.equal(first.handwriting, undefined);
    assert.match(first.text, /Handelsrechnung Nr\. 471102/);
    assert.ok(Math.abs(first.width - 595) < 1 && Math.abs(first.height - 842) < 1, `A4 in points: ${first.width} × ${first.height}`);
    assert.equal(first.rotation, 0);
    assert.equal(first.words, undefined, 'words only when asked for');
    const title = first.lines.find((line) => line.text.startsWith('Handelsrechnung'));
    assert.ok(title, 'the title line is there');
    assert.equal(title.bold, true);
    assert.ok(title.size > 12, `title size ${title.size}`);
    for (const line of first.lines) {
      for (const value of [line.x0, line.y0, line.x1, line.y1]) assert.ok(value >= 0 && value <= 1);
      assert.ok(line.x0 <= line.x1 && line.y0 <= line.y1);
    }
    // The header comes before the body text on the page.
    assert.ok(first.lines.indexOf(title) < first.lines.findIndex((line) => /Verkäufer/.test(line.text)));
  });

  it('gives word boxes normalised to the page when words are asked for', async () => {
    const document = await extractor.extractFile(CORPUS.textPdf, { words: true, pageRange: '1' });
    const words = document.pages[0].words ?? [];
    assert.ok(words.length > 50, `${words.length} words`);
    const word = words.find((candidate) => candidate.text === 'Handelsrechnung');
    assert.ok(word);
    assert.ok(word.x0 < word.x1 && word.y0 < word.y1);
    assert.ok(word.y0 > 0.05 && word.y1 < 0.2, 'near the top of the page');
    assert.ok(word.size > 12);
  });

  it('reads only the selected pages, 1-based in the range and 0-based in the result', async () => {
    const document = await extractor.extractFile(CORPUS.longPdf, { pageRange: '2-3,5,15-' });
    assert.equal(document.num_pages, 16);
    assert.deepEqual(
      document.pages.map((page) => page.page),
      [1, 2, 4, 14, 15],
    );
    const capped = await extractor.extractFile(CORPUS.longPdf, { pageRange: '3-', maxPages: 2 });
    assert.deepEqual(
      capped.pages.map((page) => page.page),
      [2, 3],
    );
  });

  it('refuses a page range that selects nothing or does not parse', async () => {
    await rejectsWithCode(extractor.extractFile(CORPUS.textPdf, { pageRange: '5-9' }), 'invalid_page_range', /2 page/);
    await rejectsWithCode(extractor.extractFile(CORPUS.textPdf, { pageRange: '3-1' }), 'invalid_page_range');
    await rejectsWithCode(extractor.extractFile(CORPUS.textPdf, { pageRange: 'first' }), 'invalid_page_range');
  });

  it('OCRs an image-only scanned PDF page', async () => {
    const document = await extractor.extractFile(CORPUS.scannedPdf);
    const [page] = document.pages;
    assert.equal(page.source, 'ocr');
    assert.match(page.text, /Enron/);
    assert.match(page.text, /Houston/);
    assert.ok(page.ocr_confidence !== null && page.ocr_confidence > 0.7, `confidence ${page.ocr_confidence}`);
    assert.ok(page.handwriting !== undefined && page.handwriting < 0.35, `handwriting ${page.handwriting}`);
    assert.ok(page.width > 600 && page.width < 630, `letter width in points: ${page.width}`);
    assert.ok(page.lines.length > 10);
  });

  it('asks for the password of an encrypted PDF, and says when it is wrong', async () => {
    const locked = path.join(CORPUS.brokenDir, 'pysample-password.pdf');
    await rejectsWithCode(extractor.extractFile(locked), 'encrypted_document', /password/);
    await rejectsWithCode(extractor.extractFile(locked, { password: 'not-it' }), 'encrypted_document', /wrong/);
    const document = await extractor.extractFile(locked, { password: 'openpassword' });
    assert.ok(document.pages[0].text.length > 0);
  });

  it('renders a page to PNG for review screens', async () => {
    const png = await extractor.renderPage(CORPUS.textPdf, 1, { maxDimension: 400 });
    assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    await rejectsWithCode(extractor.renderPage(CORPUS.textPdf, 7), 'not_found');
  });
});
