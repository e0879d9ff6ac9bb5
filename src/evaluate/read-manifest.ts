/**
 * Evaluation manifests: CSV with `file,label` (documents) or `file,segments` (bundles), paths
 * relative to the manifest. Label `other` means no class fits: the right answer is `unknown`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UNKNOWN } from '../core/classifier.js';
import { AppError } from '../core/errors.js';

export interface GoldSegment {
  class: string;
  first_page: number;
  last_page: number;
}

export interface ManifestRow {
  /** As written in the manifest. */
  file: string;
  /** Absolute path. */
  path: string;
  /** Gold label with `other` turned into `unknown`; for bundles the first segment's class. */
  label: string;
  segments?: GoldSegment[];
  /** Every column of the row by its lower-case header name, for grouping (`repo`, `lang`, …). */
  columns?: Record<string, string>;
}

export interface Manifest {
  kind: 'documents' | 'bundles';
  /** Lower-case header names, in order. */
  columns: string[];
  rows: ManifestRow[];
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((value) => value.length > 0)) rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  row.push(field);
  if (row.some((value) => value.length > 0)) rows.push(row);
  return rows;
}

/** Gold label as the evaluation compares it. */
export function toGoldLabel(label: string): string {
  const trimmed = label.trim();
  return trimmed === 'other' || trimmed === '' ? UNKNOWN : trimmed;
}

export function parseSegments(value: string): GoldSegment[] {
  return value
    .split(';')
    .filter((part) => part.trim().length > 0)
    .map((part) => {
      const match = /^\s*([^:]+):(\d+)-(\d+)\s*$/.exec(part);
      if (!match) throw new AppError('invalid_request', `Segment "${part}" is not "label:first-last" (0-based pages).`);
      return { class: toGoldLabel(match[1]), first_page: Number(match[2]), last_page: Number(match[3]) };
    });
}

export async function readManifest(manifestPath: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch {
    throw new AppError(
      'not_found',
      `Manifest ${manifestPath} cannot be read; give the path of a CSV with columns file,label or file,segments.`,
    );
  }
  const [header, ...records] = parseCsv(text);
  if (!header) throw new AppError('invalid_request', `Manifest ${manifestPath} is empty.`);
  const columns = header.map((name) => name.trim().toLowerCase());
  const fileColumn = columns.indexOf('file');
  const labelColumn = columns.indexOf('label');
  const segmentsColumn = columns.indexOf('segments');
  if (fileColumn < 0 || (labelColumn < 0 && segmentsColumn < 0)) {
    throw new AppError('invalid_request', `Manifest ${manifestPath} needs a "file" column and a "label" or "segments" column.`);
  }
  const base = path.dirname(path.resolve(manifestPath));
  const kind = labelColumn >= 0 ? 'documents' : 'bundles';
  const rows = records.map((record): ManifestRow => {
    const file = record[fileColumn]?.trim() ?? '';
    const values = Object.fromEntries(columns.map((name, index) => [name, record[index]?.trim() ?? '']));
    if (kind === 'documents')
      return { file, path: path.resolve(base, file), label: toGoldLabel(record[labelColumn] ?? ''), columns: values };
    const segments = parseSegments(record[segmentsColumn] ?? '');
    return { file, path: path.resolve(base, file), label: segments[0]?.class ?? UNKNOWN, segments, columns: values };
  });
  return { kind, columns, rows: rows.filter((row) => row.file.length > 0) };
}
