/**
 * One file → pages: check size and type, choose the pages, read PDF text layers in the pool,
 * OCR what has no usable text (images, scanned pages), all under a per-file deadline.
 */
import { setMaxListeners } from 'node:events';
import { stat } from 'node:fs/promises';
import type { ExtractedDocument, ExtractLimits, ExtractOptions, FileType, Page, PageError } from '../core/document.js';
import { AppError, isAppError } from '../core/errors.js';
import type { PdfFirstRead, PdfTextResult } from './extract.worker.js';
import { countImagePages, loadImagePage } from './image-file.js';
import { measureInk, scoreHandwriting } from './ink-features.js';
import { formatBytes } from './limits.js';
import type { OcrEngine } from './ocr-engine.js';
import { ocrPage, type GreyPixels, type OcrPage } from './ocr-page.js';
import { choosePages, selectPageIndexes, validatePageRange } from '../core/page-range.js';
import type { RenderedForOcr } from './pdf-render.js';
import { sniffFile } from './sniff-type.js';
import { timeoutError, type WorkerPool } from './worker-pool.js';

export interface ExtractDeps {
  /** Text layers and BMP decoding: small heaps, kept warm. */
  pool: WorkerPool;
  /**
   * Rendering pages to pixels. Decoding a page's scan grows a MuPDF heap by ~50 MB that WASM never
   * gives back, so rendering has its own few threads, stopped soon after the last render.
   */
  renderPool: WorkerPool;
  ocr: OcrEngine;
  limits: ExtractLimits;
}

interface ReadResult {
  numPages: number;
  pages: Page[];
}

/** Pages per pool task when reading text layers: large enough to amortise the hop, small enough to spread over threads. */
const TEXT_BATCH = 16;

export async function extractFile(deps: ExtractDeps, filePath: string, options: ExtractOptions = {}): Promise<ExtractedDocument> {
  const started = performance.now();
  if (options.pageRange !== undefined) validatePageRange(options.pageRange);
  if (options.maxPages !== undefined) selectPageIndexes(1, { maxPages: options.maxPages });
  await checkFileSize(filePath, deps.limits);
  const type = await sniffFile(filePath);

  const timeoutMs = options.timeoutMs ?? deps.limits.timeoutMs;
  const controller = new AbortController();
  // Every queued pool task listens for the deadline; a long document queues many at once.
  setMaxListeners(Infinity, controller.signal);
  const timer = setTimeout(() => {
    controller.abort(
      new AppError(
        'timeout',
        `Reading the file took longer than ${Math.round(timeoutMs / 100) / 10} s and was stopped; read fewer pages (page range or max pages) or raise the timeout.`,
      ),
    );
  }, timeoutMs);
  try {
    const work =
      type === 'pdf' ? readPdf(deps, filePath, options, controller.signal) : readImage(deps, filePath, type, options, controller.signal);
    const { numPages, pages } = await untilAborted(work, controller.signal);
    return { type, num_pages: numPages, pages, duration_ms: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

async function checkFileSize(filePath: string, limits: ExtractLimits): Promise<void> {
  let size: number;
  try {
    const stats = await stat(filePath);
    if (!stats.isFile()) throw new AppError('not_found', 'The path is not a regular file; pass a file.');
    size = stats.size;
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new AppError('not_found', `Cannot open the file (${(error as NodeJS.ErrnoException).code ?? String(error)}); check the path.`);
  }
  if (size === 0) throw new AppError('empty_file', 'The file is empty (0 bytes); send a file with content.');
  if (size > limits.maxFileBytes) {
    throw new AppError(
      'file_too_large',
      `The file is ${formatBytes(size)}, over the limit of ${formatBytes(limits.maxFileBytes)}; split it or send fewer pages.`,
    );
  }
}

/** Rejects as soon as the deadline passes, without waiting for the work (which stops at its next check). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined); // a late failure after the deadline is not news to anyone
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(timeoutError(signal));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function mapWithConcurrency<T, R>(items: T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  });
  await Promise.all(runners);
  return results;
}

function toPageError(error: unknown): PageError {
  if (isAppError(error)) return { code: error.code, message: error.message };
  return { code: 'internal_error', message: `Unexpected error: ${error instanceof Error ? error.message : String(error)}` };
}

function failedPage(index: number, error: PageError, source: Page['source']): Page {
  return { page: index, source, text: '', lines: [], width: 0, height: 0, rotation: 0, ocr_confidence: null, error };
}

/** A page error is a value, unless the deadline passed: then the whole file stops. */
function rethrowIfAborted(error: unknown, signal: AbortSignal): void {
  if (signal.aborted) throw timeoutError(signal);
  if (isAppError(error) && error.code === 'timeout') throw error;
}

/** When no selected page could be read, the file as a whole is unreadable: report the first page's reason. */
function requireSomePage(pages: Page[]): Page[] {
  const firstError = pages[0]?.error;
  if (firstError && pages.every((page) => page.error)) throw new AppError(firstError.code as AppError['code'], firstError.message);
  return pages;
}

type OcrDetails = Pick<Page, 'text' | 'lines' | 'words' | 'ocr_confidence' | 'handwriting'>;

/** What an OCR page reports: the reading, and the image's own evidence of handwriting. */
function ocrDetails(result: OcrPage, image: GreyPixels, words: boolean): OcrDetails {
  const details: OcrDetails = {
    text: result.text,
    lines: result.lines,
    ocr_confidence: result.confidence,
    handwriting: scoreHandwriting(measureInk(image)),
  };
  if (words) details.words = result.words;
  return details;
}

function uprightSize(width: number, height: number, rotation: number): { width: number; height: number } {
  return rotation % 180 === 0 ? { width, height } : { width: height, height: width };
}

async function readPdf(deps: ExtractDeps, filePath: string, options: ExtractOptions, signal: AbortSignal): Promise<ReadResult> {
  const { pool, ocr, limits } = deps;
  const source = { path: filePath, password: options.password };
  const words = options.words === true;
  // One hop opens the file, chooses the pages and reads the first batch: most documents are short,
  // and the thread that opened the file (fonts parsed, cached) reads it.
  const first = await pool.run<PdfFirstRead>(
    {
      kind: 'pdf-read',
      ...source,
      pageRange: options.pageRange,
      maxPages: options.maxPages,
      maxSelected: limits.maxPages,
      batch: TEXT_BATCH,
      words,
    },
    signal,
  );
  const { numPages, selected } = first;
  const batches: number[][] = [];
  for (let i = first.texts.length; i < selected.length; i += TEXT_BATCH) batches.push(selected.slice(i, i + TEXT_BATCH));
  const rest = await Promise.all(batches.map((pages) => pool.run<PdfTextResult[]>({ kind: 'pdf-text', ...source, pages, words }, signal)));
  const texts = [...first.texts, ...rest.flat()];

  const pages = texts.map((result): Page => ('error' in result ? failedPage(result.index, result.error, 'text') : result.page));
  const needsOcr = texts.flatMap((result, position) => ('usable' in result && !result.usable ? [position] : []));
  const problemsAt = (position: number) => {
    const result = texts[position];
    return 'problems' in result ? result.problems : [];
  };

  await mapWithConcurrency(needsOcr, ocr.workers + 1, (position) =>
    ocr.withPageSlot(async () => {
      const textPage = pages[position];
      if (signal.aborted) throw timeoutError(signal);
      try {
        const rendered = await deps.renderPool.run<RenderedForOcr>(
          { kind: 'pdf-render-ocr', ...source, page: textPage.page, maxPixels: limits.maxImagePixels },
          signal,
        );
        const result = await ocrPage(ocr, rendered, signal);
        const rotation = (rendered.rotation + result.rotation) % 360;
        const problems = problemsAt(position);
        if (result.text.trim() === '' && problems.length > 0) {
          // Nothing on the page but MuPDF had to skip broken data: the page is damaged, not blank.
          pages[position] = failedPage(
            textPage.page,
            {
              code: 'unreadable_document',
              message: `Page ${textPage.page + 1} is corrupt and shows nothing readable (${problems[0]}); re-export or re-scan the file.`,
            },
            'ocr',
          );
          return;
        }
        // A nearly empty text layer (a page number, a stamp) beats an OCR pass that found nothing.
        if (result.text.trim() === '' && textPage.text.trim() !== '') return;
        pages[position] = {
          page: textPage.page,
          source: 'ocr',
          ...ocrDetails(result, rendered, options.words === true),
          ...uprightSize(rendered.pageWidth, rendered.pageHeight, result.rotation),
          rotation,
          language: result.language,
        };
      } catch (error) {
        rethrowIfAborted(error, signal);
        // The text layer, poor as it is, is still better than nothing when OCR fails.
        pages[position] = { ...textPage, error: toPageError(error) };
      }
    }),
  );
  return { numPages, pages: requireSomePage(pages) };
}

async function readImage(
  deps: ExtractDeps,
  filePath: string,
  type: FileType,
  options: ExtractOptions,
  signal: AbortSignal,
): Promise<ReadResult> {
  const { pool, ocr, limits } = deps;
  const numPages = await countImagePages(filePath, type, limits);
  const selected = choosePages(numPages, options, limits.maxPages);
  const pages = await mapWithConcurrency(selected, ocr.workers + 1, (index) =>
    ocr.withPageSlot(async (): Promise<Page> => {
      if (signal.aborted) throw timeoutError(signal);
      try {
        const loaded = await loadImagePage(filePath, type, index, limits, pool, signal);
        if (signal.aborted) throw timeoutError(signal);
        const result = await ocrPage(ocr, loaded.image, signal);
        return {
          page: index,
          source: 'ocr',
          ...ocrDetails(result, loaded.image, options.words === true),
          ...uprightSize(loaded.width, loaded.height, result.rotation),
          rotation: result.rotation,
          language: result.language,
        };
      } catch (error) {
        rethrowIfAborted(error, signal);
        return failedPage(index, toPageError(error), 'ocr');
      }
    }),
  );
  return { numPages, pages: requireSomePage(pages) };
}
