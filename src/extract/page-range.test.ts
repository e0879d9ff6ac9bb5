import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePageRange, selectPages } from './page-range.js';

describe('page ranges', () => {
  it('turns 1-based ranges into sorted 0-based pages', () => {
    assert.deepEqual(parsePageRange('1-3,5', 10), [0, 1, 2, 4]);
    assert.deepEqual(parsePageRange('5, 1-2 ,2', 10), [0, 1, 4]);
  });

  it('reads an open end as "to the last page" and ignores pages past the end', () => {
    assert.deepEqual(parsePageRange('8-', 10), [7, 8, 9]);
    assert.deepEqual(parsePageRange('-2', 10), [0, 1]);
    assert.deepEqual(parsePageRange('3-20', 4), [2, 3]);
    assert.deepEqual(parsePageRange('9', 4), []);
  });

  it('rejects ranges that do not parse', () => {
    for (const bad of ['', '0', '3-1', 'a', '1-2-3', '1;2', ',', '-']) {
      assert.throws(() => parsePageRange(bad, 10), { code: 'invalid_page_range' }, bad);
    }
  });

  it('caps the selection at max pages', () => {
    assert.deepEqual(selectPages(5, {}), [0, 1, 2, 3, 4]);
    assert.deepEqual(selectPages(5, { maxPages: 2 }), [0, 1]);
    assert.deepEqual(selectPages(10, { pageRange: '4-', maxPages: 3 }), [3, 4, 5]);
    assert.throws(() => selectPages(5, { maxPages: 0 }), { code: 'invalid_request' });
  });
});
