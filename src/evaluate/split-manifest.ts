/**
 * Deterministic halves of a manifest for few-shot measurements: within each label, files are
 * ordered by a seeded hash of their path and alternately dealt to half 0 and half 1. The same
 * seed always gives the same halves, on any machine. The same hash orders the online review loop.
 */
import { createHash } from 'node:crypto';
import type { ManifestRow } from './read-manifest.js';

export function seededKey(seed: number, file: string): string {
  return createHash('sha256').update(`${seed}:${file}`).digest('hex');
}

/** The rows in a seeded random order: by the seeded hash of the manifest path, ties in manifest order. */
export function seededOrder<Row extends { file: string }>(rows: Row[], seed: number): Row[] {
  return rows
    .map((row, index) => ({ row, index, key: seededKey(seed, row.file) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index))
    .map((entry) => entry.row);
}

export function splitHalves(rows: ManifestRow[], seed: number): [ManifestRow[], ManifestRow[]] {
  const byLabel = new Map<string, ManifestRow[]>();
  for (const row of rows) {
    const list = byLabel.get(row.label) ?? [];
    list.push(row);
    byLabel.set(row.label, list);
  }
  const halves: [ManifestRow[], ManifestRow[]] = [[], []];
  for (const label of [...byLabel.keys()].sort()) {
    const ordered = [...byLabel.get(label)!].sort((a, b) => seededKey(seed, a.file).localeCompare(seededKey(seed, b.file)));
    // Alternate the starting half per label so odd-sized labels do not all favour half 0.
    const offset = parseInt(seededKey(seed, label).slice(0, 2), 16) % 2;
    for (const [index, row] of ordered.entries()) halves[(index + offset) % 2].push(row);
  }
  return halves;
}

/** Up to `shots` rows per label, chosen by the seeded order; `unknown` rows are never examples. */
export function pickShots(rows: ManifestRow[], shots: number, seed: number): ManifestRow[] {
  const byLabel = new Map<string, ManifestRow[]>();
  for (const row of rows) {
    if (row.label === 'unknown') continue;
    const list = byLabel.get(row.label) ?? [];
    list.push(row);
    byLabel.set(row.label, list);
  }
  const picked: ManifestRow[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const ordered = [...byLabel.get(label)!].sort((a, b) => seededKey(seed + 1, a.file).localeCompare(seededKey(seed + 1, b.file)));
    picked.push(...ordered.slice(0, shots));
  }
  return picked;
}
