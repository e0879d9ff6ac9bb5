/** Which pages of a file to read: a 1-based range expression and a page cap, resolved before any page is read. */
import { AppError } from '../core/errors.js';

/**
 * Parses "1-3,5,8-" (1-based, inclusive; an open end means "to the last page") into sorted,
 * de-duplicated 0-based indexes within the document. Pages past the end are ignored, so
 * "1-10" on a 4-page file reads 4 pages.
 */
export function parsePageRange(range: string, numPages: number): number[] {
  const selected = new Set<number>();
  const parts = range.split(',').map((part) => part.trim());
  if (parts.length === 0 || parts.every((part) => part === '')) throw invalidRange(range);
  for (const part of parts) {
    if (part === '') continue;
    const match = /^(\d+)?\s*(-)?\s*(\d+)?$/.exec(part);
    if (!match || (!match[1] && !match[3])) throw invalidRange(range);
    const first = match[1] ? Number(match[1]) : 1;
    const openEnd = match[2] !== undefined && match[3] === undefined;
    const last = openEnd ? numPages : match[3] ? Number(match[3]) : first;
    if (first < 1 || (!openEnd && last < first)) throw invalidRange(range);
    for (let page = first; page <= Math.min(last, numPages); page++) selected.add(page - 1);
  }
  return [...selected].sort((a, b) => a - b);
}

function invalidRange(range: string): AppError {
  return new AppError(
    'invalid_page_range',
    `Invalid page range "${range}". Use 1-based pages and ranges separated by commas, e.g. "1-3,5" or "2-".`,
  );
}

/** Checks a range's syntax without knowing the page count, so a bad option fails before the file is opened. */
export function validatePageRange(range: string): void {
  parsePageRange(range, 0);
}

/** The 0-based pages to read: the range (or every page), then at most `maxPages` of them. */
export function selectPages(numPages: number, options: { pageRange?: string; maxPages?: number }): number[] {
  let pages = options.pageRange !== undefined ? parsePageRange(options.pageRange, numPages) : Array.from({ length: numPages }, (_, i) => i);
  if (options.maxPages !== undefined) {
    if (!Number.isInteger(options.maxPages) || options.maxPages < 1) {
      throw new AppError('invalid_request', `max_pages must be a whole number of at least 1 (got ${options.maxPages}).`);
    }
    pages = pages.slice(0, options.maxPages);
  }
  return pages;
}

/**
 * The pages a file read will cover: `selectPages`, rejecting an empty selection and one over the
 * page limit with messages that say what to do.
 */
export function choosePages(numPages: number, options: { pageRange?: string; maxPages?: number }, maxSelected: number): number[] {
  const selected = selectPages(numPages, options);
  if (selected.length === 0) {
    throw new AppError('invalid_page_range', `The page range "${options.pageRange}" selects no page; the file has ${numPages} page(s).`);
  }
  if (selected.length > maxSelected) {
    throw new AppError(
      'too_many_pages',
      `The file has ${numPages} pages and ${selected.length} were selected, over the limit of ${maxSelected}; pass a page range or max pages to read part of it.`,
    );
  }
  return selected;
}
