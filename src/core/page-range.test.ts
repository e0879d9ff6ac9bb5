import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { choosePages, filterPagesInSelection, pagesInRange, parsePageRange, selectPageIndexes, validatePageRange } from './page-range.js';

describe('the page-range grammar', () => {
  it('turns 1-based spans into sorted 0-based pages without repeats', () => {
    assert.deepEqual(pagesInRange('1-3,5', 10), [0, 1, 2, 4]);
    assert.deepEqual(pagesInRange('5, 1-2 ,2', 10), [0, 1, 4]);
  });

  it('reads an open end as "to the last page", an open start as "from page 1", and ignores pages past the end', () => {
    assert.deepEqual(pagesInRange('8-', 10), [7, 8, 9]);
    assert.deepEqual(pagesInRange('-2', 10), [0, 1]);
    assert.deepEqual(pagesInRange('3-20', 4), [2, 3]);
    assert.deepEqual(pagesInRange('9', 4), []);
    assert.deepEqual(parsePageRange('2-'), [{ first: 2, last: Infinity }]);
  });

  it('refuses what it cannot read, saying which part and what to write instead', () => {
    for (const bad of ['', ' ', '0', '3-1', 'a', '1-2-3', '1;2', ',', '-', '1,,3', '1,', '2-x']) {
      assert.throws(() => validatePageRange(bad), { code: 'invalid_page_range' }, bad);
    }
    assert.throws(() => validatePageRange('1,,3'), /empty part/);
    assert.throws(() => validatePageRange('3-1'), /"1-3"/);
    assert.throws(() => validatePageRange('0'), /count from 1/);
  });

  it('refuses page numbers no file has, which would otherwise be saved and fail every run', () => {
    for (const bad of ['99999999999999999999', '1-99999999999999999999', '1000001', '2,1000001-'])
      assert.throws(() => validatePageRange(bad), { code: 'invalid_page_range', message: /past 1000000/ }, bad);
    validatePageRange('1000000');
    validatePageRange('999999-');
  });

  it('caps a selection at max pages and refuses a cap below 1', () => {
    assert.deepEqual(selectPageIndexes(5, {}), [0, 1, 2, 3, 4]);
    assert.deepEqual(selectPageIndexes(5, { maxPages: 2 }), [0, 1]);
    assert.deepEqual(selectPageIndexes(10, { pageRange: '4-', maxPages: 3 }), [3, 4, 5]);
    assert.throws(() => selectPageIndexes(5, { maxPages: 0 }), { code: 'invalid_request' });
  });

  it('refuses a selection with no page or over the page limit when a file is read', () => {
    assert.throws(
      () => choosePages(3, { pageRange: '5-' }, 100),
      (error: Error & { code?: string }) => error.code === 'invalid_page_range' && /selects no page; the file has 3/.test(error.message),
    );
    assert.throws(() => choosePages(30, {}, 10), { code: 'too_many_pages' });
    assert.deepEqual(choosePages(30, { pageRange: '2-', maxPages: 10 }, 10), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('filters already-read pages by their own page numbers, so filtering twice changes nothing', () => {
    const pages = [0, 1, 2, 3, 4, 5].map((page) => ({ page }));
    const once = filterPagesInSelection(pages, { pageRange: '2-', maxPages: 3 });
    assert.deepEqual(
      once.map((page) => page.page),
      [1, 2, 3],
    );
    assert.deepEqual(filterPagesInSelection(once, { pageRange: '2-', maxPages: 3 }), once);
  });
});
