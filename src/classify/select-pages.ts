/** The classifier's page settings (1-based `page_range`, `max_pages`) applied to extracted pages. */
import type { ClassifierSettings } from '../core/classifier.js';
import type { Page } from '../core/document.js';
import { AppError } from '../core/errors.js';

/** Parses "1-3,5,8-" into a predicate over 0-based page indexes. */
export function parsePageRange(range: string): (page: number) => boolean {
  const parts = range.split(',').map((part) => part.trim()).filter((part) => part.length > 0);
  if (parts.length === 0) throw new AppError('invalid_page_range', `Page range "${range}" is empty; use 1-based pages like "1-3,5".`);
  const spans = parts.map((part) => {
    const match = /^(\d+)?\s*(-)?\s*(\d+)?$/.exec(part);
    if (!match || (!match[1] && !match[3])) {
      throw new AppError('invalid_page_range', `Page range part "${part}" is not understood; use 1-based pages like "1-3,5" or "2-".`);
    }
    const first = match[1] ? Number(match[1]) : 1;
    const last = match[2] ? (match[3] ? Number(match[3]) : Infinity) : first;
    if (first < 1 || last < first) throw new AppError('invalid_page_range', `Page range part "${part}" must count up from page 1.`);
    return [first - 1, last - 1] as const;
  });
  return (page) => spans.some(([first, last]) => page >= first && page <= last);
}

export function selectPages(pages: Page[], settings: ClassifierSettings | undefined): Page[] {
  let selected = pages;
  if (settings?.page_range) {
    const inRange = parsePageRange(settings.page_range);
    selected = selected.filter((page) => inRange(page.page));
  }
  if (settings?.max_pages !== undefined && settings.max_pages > 0) selected = selected.slice(0, settings.max_pages);
  return selected;
}
