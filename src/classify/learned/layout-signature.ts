/**
 * A spatial layout signature of a page, computed from its line boxes only: where on the page the
 * text stands (a coarse grid of coverage), how lines start and how wide they run (columns, forms,
 * centred titles), how tall they are and how much they vary, how many there are and how well OCR
 * read them. Scans of one type (a memo, a form, a newspaper page) share these far more than they
 * share words, so the learned layer compares examples by layout as well as by text.
 */
import type { Line, Page } from '../../core/document.js';

export const GRID_COLUMNS = 3;
export const GRID_ROWS = 4;
/** Length of a signature: grid cells, then the line statistics of `describeLines`. */
export const SIGNATURE_LENGTH = GRID_COLUMNS * GRID_ROWS + 17;

function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : Number.isFinite(value) ? value : 0;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Share of each grid cell covered by line boxes (square root: a few lines in an empty cell matter). */
function gridCoverage(lines: Line[]): number[] {
  const cells = new Array<number>(GRID_COLUMNS * GRID_ROWS).fill(0);
  const cellWidth = 1 / GRID_COLUMNS;
  const cellHeight = 1 / GRID_ROWS;
  for (const line of lines) {
    const x0 = clamp01(Math.min(line.x0, line.x1));
    const x1 = clamp01(Math.max(line.x0, line.x1));
    const y0 = clamp01(Math.min(line.y0, line.y1));
    const y1 = clamp01(Math.max(line.y0, line.y1));
    if (x1 <= x0 || y1 <= y0) continue;
    for (let row = Math.floor(y0 / cellHeight); row < GRID_ROWS && row * cellHeight < y1; row++) {
      const overlapY = Math.min(y1, (row + 1) * cellHeight) - Math.max(y0, row * cellHeight);
      if (overlapY <= 0) continue;
      for (let column = Math.floor(x0 / cellWidth); column < GRID_COLUMNS && column * cellWidth < x1; column++) {
        const overlapX = Math.min(x1, (column + 1) * cellWidth) - Math.max(x0, column * cellWidth);
        if (overlapX > 0) cells[row * GRID_COLUMNS + column] += (overlapX * overlapY) / (cellWidth * cellHeight);
      }
    }
  }
  return cells.map((value) => Math.sqrt(clamp01(value)));
}

/** Line statistics, each scaled to about 0..1. */
function describeLines(page: Page, lines: Line[]): number[] {
  const count = lines.length;
  const heights = lines.map((line) => Math.abs(line.y1 - line.y0)).sort((a, b) => a - b);
  const widths = lines.map((line) => Math.abs(line.x1 - line.x0));
  const medianHeight = quantile(heights, 0.5);
  const spread = medianHeight > 0 ? (quantile(heights, 0.9) - quantile(heights, 0.1)) / medianHeight : 0;
  const share = (test: (line: Line, index: number) => boolean): number => (count ? lines.filter(test).length / count : 0);
  const words = lines.reduce((sum, line) => sum + line.text.trim().split(/\s+/).filter(Boolean).length, 0);
  const top = count ? Math.min(...lines.map((line) => line.y0)) : 0;
  const bottom = count ? Math.max(...lines.map((line) => line.y1)) : 0;
  const coverage = lines.reduce((sum, line) => sum + Math.abs((line.x1 - line.x0) * (line.y1 - line.y0)), 0);
  const centred = (line: Line) => Math.abs((line.x0 + line.x1) / 2 - 0.5) < 0.05 && line.x1 - line.x0 < 0.6;
  return [
    clamp01(Math.log1p(count) / Math.log1p(150)),
    clamp01(words / Math.max(1, count) / 15),
    clamp01(medianHeight / 0.04),
    clamp01(spread / 3),
    // where lines start: the left margin, the middle, the right half (columns, indented fields)
    share((line) => line.x0 < 0.2),
    share((line) => line.x0 >= 0.2 && line.x0 < 0.45),
    share((line) => line.x0 >= 0.45),
    // how wide they run
    share((_, index) => widths[index] < 0.2),
    share((_, index) => widths[index] >= 0.2 && widths[index] < 0.5),
    share((_, index) => widths[index] >= 0.5 && widths[index] < 0.75),
    share((_, index) => widths[index] >= 0.75),
    share(centred),
    clamp01(coverage / 0.6),
    clamp01(top),
    clamp01(1 - bottom),
    page.source === 'ocr' ? clamp01(page.ocr_confidence ?? 1) : 1,
    page.height > 0 ? clamp01(page.width / page.height / 2) : 0.5,
  ];
}

export function signPage(page: Page): number[] {
  const lines = (page.lines ?? []).filter((line) => line.text.trim().length > 1);
  return [...gridCoverage(lines), ...describeLines(page, lines)];
}

/** A document's signature: the mean over its first pages (the first page counts double). */
export function signDocument(pages: Page[]): number[] | null {
  const usable = pages.filter((page) => !page.error && (page.lines?.length ?? 0) > 0).slice(0, 3);
  if (usable.length === 0) return null;
  const sum = new Array<number>(SIGNATURE_LENGTH).fill(0);
  let weight = 0;
  usable.forEach((page, index) => {
    const pageWeight = index === 0 ? 2 : 1;
    for (const [i, value] of signPage(page).entries()) sum[i] += pageWeight * value;
    weight += pageWeight;
  });
  return sum.map((value) => Math.round((value / weight) * 1e4) / 1e4);
}

/** Per-dimension spread of the signatures (with a floor), so that no one feature dominates distances. */
export function measureSpread(signatures: number[][]): number[] {
  const spread = new Array<number>(SIGNATURE_LENGTH).fill(0.1);
  if (signatures.length < 2) return spread;
  for (let i = 0; i < SIGNATURE_LENGTH; i++) {
    const values = signatures.map((signature) => signature[i] ?? 0);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
    spread[i] = Math.max(0.05, Math.sqrt(variance));
  }
  return spread;
}

/** 0..1 similarity of two signatures: 1 when identical, ~0.37 at one spread of difference on average. */
export function compareSignatures(a: number[], b: number[], spread: number[]): number {
  let sum = 0;
  for (let i = 0; i < SIGNATURE_LENGTH; i++) {
    const difference = ((a[i] ?? 0) - (b[i] ?? 0)) / (spread[i] ?? 0.1);
    sum += difference * difference;
  }
  return Math.exp(-sum / SIGNATURE_LENGTH / 2);
}
