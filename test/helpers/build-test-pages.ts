/** Builds `Page` values from plain lines for unit tests: top-down, evenly spaced. */
import type { Page, PageSource } from '../../src/core/document.js';

export interface PageSpec {
  lines: string[];
  /** Font size per line; the first line defaults to a title size. */
  sizes?: number[];
  source?: PageSource;
  ocrConfidence?: number;
  landscape?: boolean;
}

export function buildPage(index: number, spec: PageSpec): Page {
  const count = Math.max(spec.lines.length, 1);
  const lines = spec.lines.map((text, i) => {
    const y0 = 0.05 + (0.9 * i) / count;
    return { text, x0: 0.1, y0, x1: 0.9, y1: y0 + 0.8 / count, size: spec.sizes?.[i] ?? (i === 0 ? 18 : 10) };
  });
  return {
    page: index,
    source: spec.source ?? 'text',
    text: spec.lines.join('\n'),
    lines,
    width: spec.landscape ? 792 : 612,
    height: spec.landscape ? 612 : 792,
    rotation: 0,
    ocr_confidence: spec.source === 'ocr' ? (spec.ocrConfidence ?? 0.9) : null,
  };
}

export function buildPages(specs: PageSpec[]): Page[] {
  return specs.map((spec, index) => buildPage(index, spec));
}
