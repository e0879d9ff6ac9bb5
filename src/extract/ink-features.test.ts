import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { DEFAULT_EXTRACT_LIMITS } from '../core/document.js';
import { loadImagePage } from './image-file.js';
import { HANDWRITING_THRESHOLD, measureInk, scoreHandwriting } from './ink-features.js';
import { sniffFile } from './sniff-type.js';
import { WorkerPool } from './worker-pool.js';

/** dist/src/extract → the repository root; the corpus sits beside it (or beside the worktrees' folder). */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const corpusDir =
  [path.resolve(repoRoot, '../shared/corpus'), path.resolve(repoRoot, '../../shared/corpus')].find((dir) => existsSync(dir)) ??
  path.resolve(repoRoot, '../shared/corpus');

async function scoreFile(relative: string): Promise<number> {
  const file = path.join(corpusDir, relative);
  const pool = new WorkerPool(1);
  try {
    const { image } = await loadImagePage(file, await sniffFile(file), 0, DEFAULT_EXTRACT_LIMITS, pool);
    return scoreHandwriting(measureInk(image));
  } finally {
    await pool.close();
  }
}

describe('handwriting evidence from the page image', () => {
  const handwritten = [
    'img/handwritten/rvlM_0007.tif', // faint handwritten letter on a 1990s fax scan
    'img/handwritten/rvlW_test39463.tiff',
    'img/handwritten/breta-czech-cursive-page-1.jpg', // phone photo of cursive
    'img/handwritten/breta-czech-history-notes-lined.jpg', // notes on ruled paper
    'img/handwritten/htrp-iam-a01-063.jpg', // IAM paragraph scan
  ];
  const printed = [
    'img/memo/rvlA_memo_01024.tif', // typed memo, fax quality
    'img/letter/rvlA_letter_01649.tif',
    'img/news_article/rvlM_0019.tif', // newspaper clipping scanned sideways
    'img/form/azdi_US-mortgage-1003.png',
    'img/receipt/duitku-struk-belanja.jpg', // phone photo of a thermal till receipt
    'img/receipt/sroie_320.jpg',
    'img/utility_bill/fqebe-sg-electricity-account.jpg', // phone photo of a bill
  ];

  for (const file of handwritten) {
    it(`scores handwriting high: ${file}`, async () => {
      assert.ok((await scoreFile(file)) >= HANDWRITING_THRESHOLD);
    });
  }
  for (const file of printed) {
    it(`scores print low: ${file}`, async () => {
      assert.ok((await scoreFile(file)) < 0.5);
    });
  }

  it('finds nothing on a blank page or a tiny image', () => {
    const blank = { width: 800, height: 1000, pixels: new Uint8Array(800 * 1000).fill(250) };
    assert.equal(scoreHandwriting(measureInk(blank)), 0);
    assert.equal(measureInk({ width: 8, height: 8, pixels: new Uint8Array(64) }).components, 0);
  });
});
