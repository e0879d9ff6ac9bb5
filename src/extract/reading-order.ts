/**
 * Orders text blocks for reading with a recursive XY-cut: split the set at the widest empty
 * horizontal or vertical band, read the parts top-to-bottom or left-to-right, repeat. PDF content
 * streams often draw footers first or interleave columns; this puts a title before the body and
 * reads a two-column paper column by column.
 */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Gaps narrower than this (in the boxes' units) do not separate anything. */
const MIN_GAP = 1;

interface Cut<T> {
  gap: number;
  groups: T[][];
}

/** Splits at the widest empty band along one axis (only there: narrower bands may belong to one column). */
function cutAlong<T extends Box>(boxes: T[], axis: 'x' | 'y'): Cut<T> {
  const start = (box: Box) => (axis === 'x' ? box.x0 : box.y0);
  const end = (box: Box) => (axis === 'x' ? box.x1 : box.y1);
  const sorted = [...boxes].sort((a, b) => start(a) - start(b));
  let reach = -Infinity;
  let widestGap = 0;
  let cutAt = -1;
  sorted.forEach((box, index) => {
    const gap = start(box) - reach;
    if (index > 0 && gap > MIN_GAP && gap > widestGap) {
      widestGap = gap;
      cutAt = index;
    }
    reach = Math.max(reach, end(box));
  });
  if (cutAt < 0) return { gap: 0, groups: [sorted] };
  return { gap: widestGap, groups: [sorted.slice(0, cutAt), sorted.slice(cutAt)] };
}

export function orderForReading<T extends Box>(boxes: T[], depth = 0): T[] {
  if (boxes.length <= 1) return boxes;
  const byRows = cutAlong(boxes, 'y');
  const byColumns = cutAlong(boxes, 'x');
  // Deep recursion only happens on pathological pages; fall back to top-down order there.
  if (depth > 200 || (byRows.gap === 0 && byColumns.gap === 0)) {
    return [...boxes].sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
  }
  const best = byColumns.gap > byRows.gap ? byColumns : byRows;
  return best.groups.flatMap((group) => orderForReading(group, depth + 1));
}
