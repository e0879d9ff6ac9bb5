/**
 * The one grammar for page ranges, used by the API, the CLI, the extractor and the classifier:
 * 1-based pages and inclusive spans separated by commas — "3", "1-3,5", "2-" (page 2 to the
 * last), "-3" (the first three pages). Pages past the end of a file are ignored.
 */
import { AppError } from './errors.js';

/** An inclusive span of 1-based pages; `last` is `Infinity` for an open end ("2-"). */
export interface PageSpan {
  first: number;
  last: number;
}

const EXAMPLE = 'use 1-based pages and spans separated by commas, e.g. "1-3,5" or "2-"';
const SPAN = /^(\d+)?\s*(-)?\s*(\d+)?$/;
/** No file has more pages than this; a larger number is a typo (or a probe), not a page. */
export const MAX_PAGE_NUMBER = 1_000_000;

/** Parses a range into spans; throws `invalid_page_range` naming the part it could not read. */
export function parsePageRange(range: string): PageSpan[] {
  const parts = range.split(',').map((part) => part.trim());
  if (parts.every((part) => part === '')) throw invalidRange(`The page range "${range}" is empty; ${EXAMPLE}.`);
  return parts.map((part) => {
    if (part === '') throw invalidRange(`The page range "${range}" has an empty part between commas; ${EXAMPLE}.`);
    const match = SPAN.exec(part);
    if (!match || (match[1] === undefined && match[3] === undefined)) {
      throw invalidRange(`The page range part "${part}" is not understood; ${EXAMPLE}.`);
    }
    const first = match[1] !== undefined ? Number(match[1]) : 1;
    const last = match[2] === undefined ? first : match[3] !== undefined ? Number(match[3]) : Infinity;
    if (first < 1) throw invalidRange(`The page range part "${part}" names page 0; pages count from 1.`);
    if (first > MAX_PAGE_NUMBER || (last !== Infinity && last > MAX_PAGE_NUMBER))
      throw invalidRange(`The page range part "${part}" names a page past ${MAX_PAGE_NUMBER}; no file has that many pages.`);
    if (last < first)
      throw invalidRange(`The page range part "${part}" counts down; write the smaller page first, e.g. "${last}-${first}".`);
    return { first, last };
  });
}

/** Checks a range's syntax without knowing the page count, so a bad setting is refused when it is written. */
export function validatePageRange(range: string): void {
  parsePageRange(range);
}

/** Whether the 0-based page `index` falls in the range. */
export function isPageInRange(spans: readonly PageSpan[], index: number): boolean {
  const page = index + 1;
  return spans.some((span) => page >= span.first && page <= span.last);
}

/** The 0-based pages of a `numPages`-page file in the range, sorted and without repeats. */
export function pagesInRange(range: string, numPages: number): number[] {
  const spans = parsePageRange(range);
  return Array.from({ length: numPages }, (_, index) => index).filter((index) => isPageInRange(spans, index));
}

export interface PageSelection {
  pageRange?: string | null;
  maxPages?: number | null;
}

/** The 0-based pages to read: the range (or every page), then at most `maxPages` of them. */
export function selectPageIndexes(numPages: number, selection: PageSelection): number[] {
  const all = Array.from({ length: numPages }, (_, index) => index);
  const inRange = selection.pageRange ? pagesInRange(selection.pageRange, numPages) : all;
  return selection.maxPages != null ? inRange.slice(0, checkMaxPages(selection.maxPages)) : inRange;
}

/**
 * The pages a file read covers: `selectPageIndexes`, refusing an empty selection and one over the
 * page limit with messages that say what to do.
 */
export function choosePages(numPages: number, selection: PageSelection, maxSelected: number): number[] {
  const selected = selectPageIndexes(numPages, selection);
  if (selected.length === 0) {
    throw invalidRange(`The page range "${selection.pageRange}" selects no page; the file has ${numPages} page(s).`);
  }
  if (selected.length > maxSelected) {
    throw new AppError(
      'too_many_pages',
      `The file has ${numPages} pages and ${selected.length} were selected, over the limit of ${maxSelected}; pass a page range or max pages to read part of it.`,
    );
  }
  return selected;
}

/** Keeps the pages (by their 0-based `page` number) a selection covers, in order. */
export function filterPagesInSelection<P extends { page: number }>(pages: readonly P[], selection: PageSelection): P[] {
  const spans = selection.pageRange ? parsePageRange(selection.pageRange) : null;
  const inRange = spans ? pages.filter((page) => isPageInRange(spans, page.page)) : [...pages];
  return selection.maxPages != null ? inRange.slice(0, checkMaxPages(selection.maxPages)) : inRange;
}

function checkMaxPages(maxPages: number): number {
  if (!Number.isInteger(maxPages) || maxPages < 1) {
    throw new AppError('invalid_request', `max_pages must be a whole number of at least 1 (got ${maxPages}).`);
  }
  return maxPages;
}

function invalidRange(message: string): AppError {
  return new AppError('invalid_page_range', message);
}
