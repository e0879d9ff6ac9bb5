/**
 * Opens PDFs with MuPDF (WASM) straight from disk through a seekable stream, so a large file is
 * never read into memory whole. Runs inside pool threads only: MuPDF calls are synchronous.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import * as mupdf from 'mupdf';
import { AppError } from '../core/errors.js';

export interface OpenedPdf {
  key: string;
  document: mupdf.Document;
  numPages: number;
}

// MuPDF prints recoverable problems (broken xref, bad streams) to the console; they are expected on
// real-world files and must not reach a CLI user's terminal.
mupdf.setLog({ error: recordError, warning: recordDamageWarning });

/**
 * Warnings that mean a page's content is gone rather than merely odd: a file cut short keeps its
 * page tree but loses the content streams, which MuPDF only warns about and draws as blank pages.
 */
const DAMAGE_WARNING = /content stream is not a stream|premature end|unexpected end of (file|data|stream)|cannot (find|load) object/i;

function recordDamageWarning(message: string): void {
  if (DAMAGE_WARNING.test(message)) recordError(message);
}

let recentErrors: string[] = [];

function recordError(message: string): void {
  if (recentErrors.length < 20) recentErrors.push(message.replace(/^library error:\s*/, '').trim());
}

/**
 * Errors MuPDF recovered from since the last call (broken streams, bad objects). A page that
 * yields no text and had such errors is corrupt rather than blank.
 */
export function takeErrors(): string[] {
  const errors = recentErrors;
  recentErrors = [];
  return errors;
}

function openStream(path: string): mupdf.Stream {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  return new mupdf.Stream({
    fileSize: () => size,
    read: (memory, offset, length, position) => readSync(fd, memory, offset, length, position),
    close: () => closeSync(fd),
  });
}

/** One open document per thread: a file's page batches land on the same thread often, and reopening is cheap anyway. */
let cached: OpenedPdf | null = null;

export function openPdf(path: string, password: string | undefined): OpenedPdf {
  const stats = statSync(path);
  const key = `${path}\n${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}\n${password ?? ''}`;
  if (cached?.key === key) return cached;
  closeCachedPdf();
  const stream = openStream(path);
  let document: mupdf.Document;
  try {
    document = mupdf.Document.openDocument(stream, 'application/pdf');
  } catch (error) {
    stream.destroy();
    throw new AppError(
      'unreadable_document',
      `The PDF is corrupt or truncated and cannot be opened (${describeError(error)}). Re-export or re-scan it.`,
    );
  }
  try {
    if (document.needsPassword()) {
      if (password === undefined || password === '') {
        // The HTTP API takes no passwords (a secret would sit in the run's record), so the way out
        // there is an unlocked copy; the CLI and the library can open the file themselves.
        throw new AppError(
          'encrypted_document',
          'The PDF is password-protected; send an unlocked copy (or, with the CLI, pass --password; in code, the "password" extract option).',
        );
      }
      if (!document.authenticatePassword(password)) {
        throw new AppError('encrypted_document', 'The password given for this PDF is wrong; check it and try again.');
      }
    }
    const numPages = document.countPages();
    if (numPages < 1)
      throw new AppError('unreadable_document', 'The PDF is corrupt or truncated: no page could be found in it; re-export or re-scan it.');
    cached = { key, document, numPages };
    return cached;
  } catch (error) {
    document.destroy();
    stream.destroy();
    if (error instanceof AppError) throw error;
    throw new AppError(
      'unreadable_document',
      `The PDF is corrupt and its pages cannot be listed (${describeError(error)}). Re-export or re-scan it.`,
    );
  }
}

export function closeCachedPdf(): void {
  if (cached) {
    cached.document.destroy();
    cached = null;
  }
}

export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim().slice(0, 200) || 'unknown error';
}

/** The page's /Rotate, normalised to 0, 90, 180 or 270. */
export function readPageRotation(page: mupdf.Page): number {
  if (!(page instanceof mupdf.PDFPage)) return 0;
  try {
    const value = page.getObject().getInheritable('Rotate');
    const degrees = value.isNumber() ? Math.round(value.asNumber() / 90) * 90 : 0;
    return ((degrees % 360) + 360) % 360;
  } catch {
    return 0;
  }
}
