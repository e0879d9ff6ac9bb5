/** Bad, hostile and broken files each get a stable error code and a message saying what to do. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AppError } from '../src/core/errors.js';
import { createExtractor } from '../src/extract/index.js';
import { CORPUS, useExtractorAndTempFiles, writeHugePngHeader, writeRenamedExecutable, writeTruncated } from './helpers/extract-files.js';

/** A 4-page, 57,741-byte born-digital invoice whose content streams sit after its page tree. */
const UAE_INVOICE = path.join(path.dirname(CORPUS.textPdf), 'dhruv-tax-invoice-uae.pdf');

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    assert.doesNotMatch(error.message, /\n\s+at /, 'no stack trace in the message');
    return { code: error.code, message: error.message };
  }
  assert.fail('expected the file to be refused');
}

describe('refusing bad input', () => {
  const setup = useExtractorAndTempFiles();

  it('refuses an empty file', async () => {
    const { code, message } = await codeOf(setup.extractor.extractFile(setup.temp.write('empty.pdf', '')));
    assert.equal(code, 'empty_file');
    assert.match(message, /0 bytes/);
  });

  it('refuses random bytes and lists the supported types', async () => {
    const bytes = randomBytes(4096);
    bytes[0] = 0; // no accidental signature
    const { code, message } = await codeOf(setup.extractor.extractFile(setup.temp.write('noise.bin', bytes)));
    assert.equal(code, 'unsupported_file_type');
    assert.match(message, /PDF, JPEG, PNG, GIF, WebP, BMP and TIFF/);
  });

  it('judges a renamed executable by its bytes, not its .pdf name', async () => {
    const file = writeRenamedExecutable(setup.temp);
    const { code, message } = await codeOf(setup.extractor.extractFile(file));
    assert.equal(code, 'unsupported_file_type');
    assert.match(message, /executable.*named \.pdf/);
    assert.equal(await setup.extractor.sniffFile(CORPUS.textPdf), 'pdf');
    await assert.rejects(setup.extractor.sniffFile(file), { code: 'unsupported_file_type' });
  });

  it('reports a PDF cut short before its page tree as unreadable', async () => {
    const file = writeTruncated(setup.temp, CORPUS.paperPdf, 0.4, 'cut-short.pdf');
    const { code, message } = await codeOf(setup.extractor.extractFile(file));
    assert.equal(code, 'unreadable_document');
    assert.match(message, /corrupt or truncated/);
  });

  it('still reads the pages of a truncated PDF that MuPDF can repair', async () => {
    const file = writeTruncated(setup.temp, CORPUS.longPdf, 0.3, 'repairable.pdf');
    const document = await setup.extractor.extractFile(file);
    assert.equal(document.num_pages, 16);
    assert.ok(document.pages.every((page) => page.source === 'text' && page.text.length > 100));
  });

  it('reports a PDF cut to its first 3,000 bytes as unreadable, not as empty OCR pages', async () => {
    // The page tree survives the cut, the content streams do not: MuPDF draws blank pages and only warns.
    const file = writeTruncated(setup.temp, UAE_INVOICE, 3000 / 57_741, 'first-3000-bytes.pdf');
    const { code, message } = await codeOf(setup.extractor.extractFile(file));
    assert.equal(code, 'unreadable_document');
    assert.match(message, /Page 1 is corrupt.*content stream/);
  });

  it('gives the pages a cut removed an error of their own and reads the pages that survived', async () => {
    const file = writeTruncated(setup.temp, UAE_INVOICE, 0.6, 'first-60-percent.pdf');
    const document = await setup.extractor.extractFile(file);
    assert.equal(document.num_pages, 4);
    assert.deepEqual(
      document.pages.map((page) => page.error?.code ?? null),
      ['unreadable_document', 'unreadable_document', 'unreadable_document', null],
    );
    assert.match(document.pages[3].text, /Page 4 of 4/);
  });

  it('refuses a decompression bomb from its PNG header, before decoding', async () => {
    const file = writeHugePngHeader(setup.temp);
    const { code, message } = await codeOf(setup.extractor.extractFile(file));
    assert.equal(code, 'image_too_large');
    assert.match(message, /50000 × 50000/);
  });

  it('applies file size, page count and pixel limits given as options', async () => {
    const small = createExtractor({ threads: 1, limits: { maxFileBytes: 10_000, maxPages: 3, maxImagePixels: 500_000 } });
    try {
      assert.equal((await codeOf(small.extractFile(CORPUS.longPdf))).code, 'file_too_large');
      const limitedPages = createExtractor({ threads: 1, limits: { maxPages: 3 } });
      try {
        const { code, message } = await codeOf(limitedPages.extractFile(CORPUS.longPdf));
        assert.equal(code, 'too_many_pages');
        assert.match(message, /16 pages.*limit of 3/);
        const part = await limitedPages.extractFile(CORPUS.longPdf, { pageRange: '1-3' });
        assert.equal(part.pages.length, 3);
      } finally {
        await limitedPages.close();
      }
      const tinyImages = createExtractor({ threads: 1, limits: { maxImagePixels: 500_000 } });
      try {
        assert.equal((await codeOf(tinyImages.extractFile(CORPUS.tiffLetter))).code, 'image_too_large');
      } finally {
        await tinyImages.close();
      }
    } finally {
      await small.close();
    }
  });

  it('stops a file that takes longer than its timeout', async () => {
    const { code, message } = await codeOf(setup.extractor.extractFile(CORPUS.tiffLetter, { timeoutMs: 50 }));
    assert.equal(code, 'timeout');
    assert.match(message, /longer than 0\.1 s/);
  });

  it('gives every file in the broken corpus its error code', async () => {
    const expected: Record<string, string> = {
      'gcp-f1120s-k1-corrupt.pdf': 'unreadable_document',
      'monopoly-dbs-gitcrypt.pdf': 'unsupported_file_type',
      'paymail-payslip-encrypted.pdf': 'encrypted_document',
      'pdfplumber-password.pdf': 'encrypted_document',
      'pysample-password.pdf': 'encrypted_document',
      'unst-password.pdf': 'encrypted_document',
    };
    const files = readdirSync(CORPUS.brokenDir).sort();
    assert.deepEqual(files, Object.keys(expected).sort());
    for (const name of files) {
      const { code } = await codeOf(setup.extractor.extractFile(path.join(CORPUS.brokenDir, name)));
      assert.equal(code, expected[name], name);
    }
  });

  it('refuses a missing file with not_found', async () => {
    assert.equal((await codeOf(setup.extractor.extractFile(setup.temp.path('missing.pdf')))).code, 'not_found');
  });
});
