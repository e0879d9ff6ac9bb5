/**
 * The extraction stage's public API: `createExtractor()` implements the `Extractor` port.
 * One extractor owns two worker-thread pools (MuPDF text and BMP; MuPDF rendering) and, once OCR is first needed, the
 * tesseract workers; `close()` stops them all so the process can exit.
 */
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import type { ExtractedDocument, ExtractLimits, ExtractOptions, FileType } from '../core/document.js';
import type { Logger } from 'pino';
import { AppError } from '../core/errors.js';
import type { Extractor } from '../core/ports.js';
import { reportErrorTo } from '../core/report-error.js';
import { extractFile, type ExtractDeps } from './extract-file.js';
import { countImagePages, loadImagePage } from './image-file.js';
import { resolveLimits } from './limits.js';
import { OcrEngine } from './ocr-engine.js';
import { sniffFile } from './sniff-type.js';
import { WorkerPool } from './worker-pool.js';

export interface ExtractorOptions {
  /** Pool threads and OCR workers; defaults to the number of cores. */
  threads?: number;
  limits?: Partial<ExtractLimits>;
  /** Where failures outside any one file (threads and OCR workers that will not stop) are reported; stderr without it. */
  logger?: Logger;
}

const DEFAULT_RENDER_DIMENSION = 1600;
/** Pages to OCR come every second or two while OCR runs; a longer pause means none are coming. */
const RENDER_THREAD_IDLE_MS = 5_000;

export function createExtractor(options: ExtractorOptions = {}): Extractor {
  const threads = options.threads ?? availableParallelism();
  const reportError = reportErrorTo(options.logger);
  const deps: ExtractDeps = {
    pool: new WorkerPool(threads, { reportError }),
    // One render thread per two cores: its heap is large, and renders are short next to OCR.
    renderPool: new WorkerPool(Math.max(1, Math.floor(threads / 2)), { closeWhenIdleMs: RENDER_THREAD_IDLE_MS, reportError }),
    ocr: new OcrEngine(threads, reportError),
    limits: resolveLimits(options.limits),
  };
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw new AppError('service_unavailable', 'The extractor has been closed.');
  };

  return {
    async extractFile(path: string, extractOptions?: ExtractOptions): Promise<ExtractedDocument> {
      ensureOpen();
      return extractFile(deps, path, extractOptions);
    },
    sniffFile(path: string): Promise<FileType> {
      return sniffFile(path);
    },
    async renderPage(path, page, renderOptions = {}) {
      ensureOpen();
      const maxDimension = Math.min(Math.max(renderOptions.maxDimension ?? DEFAULT_RENDER_DIMENSION, 16), 6000);
      const type = await sniffFile(path);
      if (type === 'pdf') {
        // Past the deadline the render thread is terminated (and replaced), not waited for.
        const timeoutMs = renderOptions.timeoutMs ?? deps.limits.timeoutMs;
        const controller = new AbortController();
        const timer = setTimeout(
          () =>
            controller.abort(
              new AppError(
                'page_too_complex',
                `Page ${page + 1} took longer than ${Math.round(timeoutMs / 1000)} s to render and was stopped.`,
              ),
            ),
          timeoutMs,
        );
        try {
          const png = await deps.renderPool.run<Uint8Array>(
            { kind: 'pdf-render-png', path, password: renderOptions.password, page, maxDimension },
            controller.signal,
          );
          return Buffer.from(png.buffer, png.byteOffset, png.byteLength);
        } finally {
          clearTimeout(timer);
        }
      }
      const numPages = await countImagePages(path, type, deps.limits);
      if (!Number.isInteger(page) || page < 0 || page >= numPages) {
        throw new AppError('not_found', `Page ${page + 1} does not exist; the file has ${numPages} page(s).`);
      }
      const { image } = await loadImagePage(path, type, page, deps.limits, deps.pool);
      return sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: 1 } })
        .resize(maxDimension, maxDimension, { fit: 'inside', withoutEnlargement: true })
        .png()
        .toBuffer();
    },
    async close(): Promise<void> {
      closed = true;
      await Promise.all([deps.pool.close(), deps.renderPool.close(), deps.ocr.close()]);
    },
  };
}

export { detectFileType, sniffFile } from './sniff-type.js';
export { resolveLimits } from './limits.js';
