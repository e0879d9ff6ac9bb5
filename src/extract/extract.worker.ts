/**
 * The pool thread's entry point: every synchronous, CPU-heavy step (MuPDF parsing and rendering,
 * BMP decoding) runs here so the main thread's event loop stays free. Expected failures come back
 * as values, because error classes and codes do not survive the thread boundary.
 */
import { readFile } from 'node:fs/promises';
import { decode as decodeBmp } from 'bmp-ts';
import * as mupdf from 'mupdf';
import type { Page, PageError } from '../core/document.js';
import { AppError } from '../core/errors.js';
import { choosePages } from '../core/page-range.js';
import { checkPageBudget } from './page-budget.js';
import { describeError, openPdf, takeErrors } from './pdf-document.js';
import { readPdfPageText } from './pdf-page-text.js';
import { renderPdfPageForOcr, renderPdfPageToPng, type RenderedForOcr } from './pdf-render.js';

export type WorkerTask =
  | {
      kind: 'pdf-read';
      path: string;
      password?: string;
      pageRange?: string;
      maxPages?: number;
      /** The extractor's page limit: more selected pages is an error. */
      maxSelected: number;
      /** How many of the selected pages to read in this task; the caller spreads the rest over threads. */
      batch: number;
      words: boolean;
    }
  | { kind: 'pdf-text'; path: string; password?: string; pages: number[]; words: boolean }
  | { kind: 'pdf-render-ocr'; path: string; password?: string; page: number; maxPixels: number }
  | { kind: 'pdf-render-png'; path: string; password?: string; page: number; maxDimension: number }
  | { kind: 'bmp-decode'; path: string };

export type PdfTextResult =
  | { page: Page; usable: boolean /** MuPDF errors met while reading the page. */; problems: string[] }
  | { index: number; error: PageError };

/** The first hop of a PDF read: the page count, the pages chosen, and the first of them read. */
export interface PdfFirstRead {
  numPages: number;
  selected: number[];
  texts: PdfTextResult[];
}

export interface DecodedBmp {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel. */
  pixels: Uint8Array;
}

export type WorkerResult<T> = { ok: true; value: T } | { ok: false; error: PageError };

function fail(error: unknown, fallbackMessage: string): { ok: false; error: PageError } {
  if (error instanceof AppError) return { ok: false, error: { code: error.code, message: error.message } };
  return { ok: false, error: { code: 'unreadable_document', message: `${fallbackMessage} (${describeError(error)}).` } };
}

function readPdfFirst(task: Extract<WorkerTask, { kind: 'pdf-read' }>): PdfFirstRead {
  const { document, numPages } = openPdf(task.path, task.password);
  const selected = choosePages(numPages, task, task.maxSelected);
  return { numPages, selected, texts: readPages(document, selected.slice(0, task.batch), task.words) };
}

function readPdfText(task: Extract<WorkerTask, { kind: 'pdf-text' }>): PdfTextResult[] {
  return readPages(openPdf(task.path, task.password).document, task.pages, task.words);
}

function readPages(document: mupdf.Document, pages: number[], words: boolean): PdfTextResult[] {
  return pages.map((index) => {
    takeErrors();
    try {
      checkPageBudget(document, index);
    } catch (error) {
      if (error instanceof AppError) return { index, error: { code: error.code, message: error.message } };
      // The budget could not be measured (a broken object): reading the page reports that damage.
    }
    try {
      const text = readPdfPageText(document, index, words);
      return { ...text, problems: takeErrors() };
    } catch (error) {
      const errors = takeErrors();
      const detail = errors.length > 0 ? errors[0] : describeError(error);
      return { index, error: { code: 'unreadable_document', message: `Page ${index + 1} is corrupt and cannot be read (${detail}).` } };
    }
  });
}

function renderForOcr(task: Extract<WorkerTask, { kind: 'pdf-render-ocr' }>): RenderedForOcr {
  const { document } = openPdf(task.path, task.password);
  checkBudgetOrThrow(document, task.page);
  try {
    return renderPdfPageForOcr(document, task.page, task.maxPixels);
  } finally {
    // MuPDF caches decoded page images (a scan is tens of MB) in a store of up to 256 MB per
    // thread; a page is rendered once, so the cache only raises the WASM heap, which never shrinks.
    mupdf.emptyStore();
  }
}

function renderPng(task: Extract<WorkerTask, { kind: 'pdf-render-png' }>): Uint8Array {
  const { document, numPages } = openPdf(task.path, task.password);
  if (task.page < 0 || task.page >= numPages) {
    throw new AppError('not_found', `Page ${task.page + 1} does not exist; the document has ${numPages} page(s).`);
  }
  checkBudgetOrThrow(document, task.page);
  try {
    return renderPdfPageToPng(document, task.page, task.maxDimension);
  } finally {
    mupdf.emptyStore();
  }
}

/** Rendering interprets the same content as reading text: the same budget, refused before any drawing. */
function checkBudgetOrThrow(document: mupdf.Document, index: number): void {
  try {
    checkPageBudget(document, index);
  } catch (error) {
    if (error instanceof AppError) throw error;
  }
}

async function decodeBmpFile(path: string): Promise<DecodedBmp> {
  const bytes = await readFile(path);
  try {
    const image = decodeBmp(bytes, { toRGBA: true });
    return {
      width: image.width,
      height: Math.abs(image.height),
      pixels: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength),
    };
  } catch (error) {
    throw new AppError('unreadable_document', `The BMP image is corrupt or truncated (${describeError(error)}); re-export it.`);
  }
}

export default async function runTask(task: WorkerTask): Promise<WorkerResult<unknown>> {
  try {
    switch (task.kind) {
      case 'pdf-read':
        return { ok: true, value: readPdfFirst(task) };
      case 'pdf-text':
        return { ok: true, value: readPdfText(task) };
      case 'pdf-render-ocr':
        return { ok: true, value: renderForOcr(task) };
      case 'pdf-render-png':
        return { ok: true, value: renderPng(task) };
      case 'bmp-decode':
        return { ok: true, value: await decodeBmpFile(task.path) };
    }
  } catch (error) {
    return fail(error, 'The document cannot be read');
  }
}
