/**
 * Source-grouped folds for anything fitted from the corpus. Documents of one source (the `repo`
 * column) share templates, wording and scanners, so a constant fitted on some of them and scored
 * on the others is scored on what it has already seen; here a source is always wholly in the
 * training rows or wholly in the test rows of a fold.
 */
import { seededKey } from '../src/evaluate/split-manifest.js';

export interface GroupedRow {
  file: string;
  columns?: Record<string, string>;
}

export interface Fold<Row> {
  /** The sources held out in this fold. */
  groups: string[];
  train: Row[];
  test: Row[];
}

/**
 * The group of a row: its value in `column`, or, when that is empty, the row's own file (a row of
 * no known source is a source of its own rather than lumped with every other such row).
 */
export function groupOf(row: GroupedRow, column: string): string {
  const value = row.columns?.[column]?.trim() ?? '';
  return value.length > 0 ? value : `file:${row.file}`;
}

/**
 * K folds with no source split between train and test. With k at least the number of sources,
 * one fold per source (leave-one-source-out). Otherwise the sources, in a seeded random order,
 * each go to the fold with the fewest rows so far, so the folds are of similar size although
 * sources are not.
 */
export function groupedFolds<Row extends GroupedRow>(rows: Row[], k: number, seed: number, column = 'repo'): Fold<Row>[] {
  const byGroup = new Map<string, Row[]>();
  for (const row of rows) {
    const group = groupOf(row, column);
    const list = byGroup.get(group) ?? [];
    list.push(row);
    byGroup.set(group, list);
  }
  const groups = [...byGroup.keys()].sort((a, b) => {
    const [x, y] = [seededKey(seed, a), seededKey(seed, b)];
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const foldCount = Math.max(1, Math.min(k, groups.length));
  const held: string[][] = Array.from({ length: foldCount }, () => []);
  const sizes = new Array<number>(foldCount).fill(0);
  for (const group of groups) {
    const smallest = sizes.indexOf(Math.min(...sizes));
    held[smallest].push(group);
    sizes[smallest] += byGroup.get(group)!.length;
  }
  return held.map((heldGroups) => {
    const out = new Set(heldGroups);
    return {
      groups: heldGroups,
      train: rows.filter((row) => !out.has(groupOf(row, column))),
      test: rows.filter((row) => out.has(groupOf(row, column))),
    };
  });
}
