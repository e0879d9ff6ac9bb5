import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { measureTextQuality } from './text-quality.js';

describe('text layer quality', () => {
  it('accepts ordinary text, numbers and other scripts', () => {
    assert.equal(measureTextQuality('Invoice number 2024-001\nTotal due: $1,234.56 by 31 March').usable, true);
    assert.equal(measureTextQuality('Rechnungsnummer R0005532486 Kundennummer K0100077603').usable, true);
    assert.equal(measureTextQuality('請求書 株式会社サンプル 合計金額 一万二千円 お支払い期限').usable, true);
  });

  it('rejects pages with almost no text', () => {
    assert.equal(measureTextQuality('').usable, false);
    assert.equal(measureTextQuality('Page 1 of 3').usable, false);
  });

  it('rejects junk layers of random consonants and undecodable glyphs', () => {
    assert.equal(measureTextQuality('xkcdq ztrwp qqxvb hjklm pqrst vwxzn bcdfg hjklm nprst').usable, false);
    assert.equal(measureTextQuality('\uFFFD'.repeat(40) + ' abc def').usable, false);
  });
});
