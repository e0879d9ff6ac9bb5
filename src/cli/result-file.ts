/**
 * `--output results.csv|jsonl`: one row per file, written as each result is known, so a long run
 * that stops half-way keeps what it did. The format follows the extension.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ClassificationOutput } from '../core/classifier.js';

export interface FileResult {
  file: string;
  numPages?: number;
  output?: ClassificationOutput;
  error?: { code: string; message: string };
}

export type ResultFormat = 'csv' | 'jsonl';

export const CSV_COLUMNS = [
  'file',
  'status',
  'class',
  'confidence',
  'suggested_class',
  'num_pages',
  'reason',
  'error_code',
  'error_message',
];

export function resultFormatOf(file: string): ResultFormat | null {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  return null;
}

/** RFC 4180: quoted when it holds a comma, quote or line break; a leading = + - @ is quoted too, so a spreadsheet does not run it. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  if (/[",\r\n]/.test(text) || /^[=+\-@]/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

export function toCsvRow(result: FileResult): string {
  const label = result.output?.classification;
  const values = [
    result.file,
    result.output ? 'classified' : 'failed',
    label?.class,
    label ? label.confidence.toFixed(4) : undefined,
    label?.suggested_class,
    result.numPages,
    label?.reason,
    result.error?.code,
    result.error?.message,
  ];
  return values.map(csvField).join(',');
}

export function toJsonLine(result: FileResult): string {
  if (result.output) return JSON.stringify({ file: result.file, num_pages: result.numPages, ...result.output });
  return JSON.stringify({ file: result.file, error: result.error });
}

export interface ResultFile {
  write(result: FileResult): void;
  close(): void;
}

export function openResultFile(file: string, format: ResultFormat): ResultFile {
  const fd = fs.openSync(file, 'w');
  if (format === 'csv') fs.writeSync(fd, `${CSV_COLUMNS.join(',')}\n`);
  return {
    write(result) {
      fs.writeSync(fd, `${format === 'csv' ? toCsvRow(result) : toJsonLine(result)}\n`);
    },
    close() {
      fs.closeSync(fd);
    },
  };
}
