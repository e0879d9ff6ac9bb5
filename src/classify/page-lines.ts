/** Lines of a page with the weight their position gives: titles and headers count more than body text. */
import type { Line, Page } from '../core/document.js';

export type LineRole = 'title' | 'heading' | 'header' | 'body' | 'footer';

export interface WeightedLine {
  text: string;
  role: LineRole;
  weight: number;
  /** Font size relative to the page's median line. */
  relativeSize: number;
  y0: number;
}

const ROLE_WEIGHT: Record<LineRole, number> = { title: 2.5, heading: 1.8, header: 1.6, body: 1, footer: 0.8 };

/** Pages from older extractions may have text without lines: fall back to even spacing. */
function readLines(page: Page): Line[] {
  if (page.lines && page.lines.length > 0) return page.lines;
  const texts = page.text.split('\n').filter((text) => text.trim().length > 0);
  return texts.map((text, index) => {
    const y0 = index / Math.max(texts.length, 1);
    return { text, x0: 0, y0, x1: 1, y1: y0 + 1 / Math.max(texts.length, 1), size: 10 };
  });
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Titles are the large or bold short lines near the top; headers are the first lines. A title is
 * what a person reads first, so evidence there is worth more than the same words in a paragraph.
 */
export function weighPageLines(page: Page): WeightedLine[] {
  const lines = readLines(page);
  const medianSize = median(lines.map((line) => line.size).filter((size) => size > 0)) || 1;
  let seenText = 0;
  let titles = 0;
  return lines.map((line) => {
    const words = line.text.trim().split(/\s+/).length;
    const relativeSize = line.size > 0 ? line.size / medianSize : 1;
    const nearTop = line.y0 < 0.35 || seenText < 6;
    let role: LineRole = 'body';
    const looksLikeTitle = words <= 10 && (relativeSize >= 1.3 || (line.bold === true && relativeSize >= 1.05) || isShouted(line.text));
    if (nearTop && looksLikeTitle && titles < 4) {
      role = 'title';
      titles++;
    } else if (seenText < 5 || line.y0 < 0.15) role = 'header';
    // Section headings further down ("EDUCATION", "References") name the parts a type is made of.
    else if (words <= 5 && (relativeSize >= 1.15 || line.bold === true || isShouted(line.text))) role = 'heading';
    else if (line.y0 > 0.92) role = 'footer';
    if (line.text.trim().length > 1) seenText++;
    return { text: line.text, role, weight: ROLE_WEIGHT[role], relativeSize, y0: line.y0 };
  });
}

/** An all-capitals short line reads as a heading on typewritten and faxed pages. */
function isShouted(text: string): boolean {
  const letters = text.replace(/[^A-Za-z]/g, '');
  return letters.length >= 3 && letters === letters.toUpperCase() && text.trim().split(/\s+/).length <= 6;
}
