import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Line, Page } from '../../core/document.js';
import { GRID_COLUMNS, SIGNATURE_LENGTH, compareSignatures, measureSpread, signDocument, signPage } from './layout-signature.js';

function pageOf(lines: Line[], source: 'text' | 'ocr' = 'ocr'): Page {
  return {
    page: 0,
    source,
    text: lines.map((line) => line.text).join('\n'),
    lines,
    width: 1000,
    height: 1300,
    rotation: 0,
    ocr_confidence: source === 'ocr' ? 0.8 : null,
  };
}

/** A memo-like page: a short header block top left, then full-width prose. */
function prosePage(shift = 0): Page {
  const lines: Line[] = [];
  for (let i = 0; i < 4; i++)
    lines.push({ text: `Field ${i}: value`, x0: 0.1, y0: 0.05 + i * 0.03 + shift, x1: 0.4, y1: 0.07 + i * 0.03 + shift, size: 10 });
  for (let i = 0; i < 14; i++)
    lines.push({
      text: 'running text of the body that fills the line',
      x0: 0.1,
      y0: 0.3 + i * 0.03 + shift,
      x1: 0.9,
      y1: 0.32 + i * 0.03 + shift,
      size: 10,
    });
  return pageOf(lines);
}

/** A two-column page of short lines. */
function columnsPage(): Page {
  const lines: Line[] = [];
  for (let i = 0; i < 25; i++) {
    lines.push({ text: 'left column words', x0: 0.05, y0: 0.1 + i * 0.03, x1: 0.45, y1: 0.12 + i * 0.03, size: 9 });
    lines.push({ text: 'right column words', x0: 0.55, y0: 0.1 + i * 0.03, x1: 0.95, y1: 0.12 + i * 0.03, size: 9 });
  }
  return pageOf(lines);
}

describe('layout signature', () => {
  it('has a fixed length and puts text where the lines are', () => {
    const signature = signPage(prosePage());
    assert.equal(signature.length, SIGNATURE_LENGTH);
    for (const value of signature) assert.ok(value >= 0 && value <= 1);
    // Bottom row (y 0.75..1) holds no text on the prose page; the top-left cell does.
    const bottomRow = signature.slice(3 * GRID_COLUMNS, 4 * GRID_COLUMNS);
    assert.ok(bottomRow.every((value) => value === 0));
    assert.ok(signature[0] > 0);
  });

  it('finds pages of one layout closer than pages of another', () => {
    const a = signPage(prosePage());
    const b = signPage(prosePage(0.02));
    const c = signPage(columnsPage());
    const spread = measureSpread([a, b, c]);
    assert.ok(compareSignatures(a, b, spread) > compareSignatures(a, c, spread));
    assert.equal(compareSignatures(a, a, spread), 1);
  });

  it('signs a document by its readable pages and skips pages without lines', () => {
    assert.equal(signDocument([pageOf([])]), null);
    const signature = signDocument([prosePage(), pageOf([])]);
    assert.ok(signature);
    assert.equal(signature.length, SIGNATURE_LENGTH);
  });
});
