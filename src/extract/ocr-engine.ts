/**
 * tesseract.js workers (each its own thread, one language each), started on the first OCR request
 * in that language, reused, and replaced after a while so their memory does not stay at its
 * high-water mark. English workers stay; a worker of another language is stopped when idle for a
 * while or when its place is needed, so a mixed batch holds at most a few extra models.
 * Language data always comes from the @tesseract.js-data packages in node_modules: without a
 * local langPath tesseract.js would try to download it at run time.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Tesseract from 'tesseract.js';
import { AppError } from '../core/errors.js';
import { reportErrorTo, type ReportError } from '../core/report-error.js';
import type { TesseractPageData } from './ocr-result.js';

const require = createRequire(import.meta.url);

/**
 * Tesseract language codes docsort can read, each shipped as `@tesseract.js-data/<code>`.
 * (tesseract.js reads every language of a worker from one folder, so a worker has one language.)
 */
export const OCR_LANGUAGES = ['eng', 'deu', 'fra', 'spa', 'ita', 'por', 'nld', 'ces', 'chi_sim', 'jpn', 'kor'] as const;
export type OcrLanguage = (typeof OCR_LANGUAGES)[number];

/** The integer "best" models are the accurate ones; the plain folder is the fallback. */
function resolveLangPath(language: OcrLanguage, preferred = '4.0.0_best_int'): string {
  const { langPath } = require(`@tesseract.js-data/${language}`) as { langPath: string };
  const better = path.join(path.dirname(langPath), preferred);
  return existsSync(better) ? better : langPath;
}

/**
 * Worker settings. Tesseract prints diagnostics ("Too few characters", "Invalid resolution") from
 * inside its threads straight to the process's stderr; they go to /dev/null, a CLI's stderr is for
 * errors. Looking for white-on-black text costs ~18% of OCR time and finds nothing on documents.
 */
const WORKER_PARAMETERS: Partial<Tesseract.WorkerParams> = { debug_file: '/dev/null', tessedit_do_invert: '0' };

/**
 * Pixels a worker reads before it is replaced: ~15 fax or letter pages at 200 dpi, so the restart
 * costs a few percent of OCR time while a worker's heap is capped by what those pages needed.
 */
const RECYCLE_AFTER_PIXELS = 60_000_000;
/**
 * Workers of languages other than English kept beside the English ones. Each holds its model
 * (~40-90 MB resident for Latin models, ~110-150 MB for Chinese or Japanese); beyond this, the
 * least recently used idle one is stopped to make room.
 */
const MAX_OTHER_LANGUAGE_WORKERS = 2;
/** A worker of another language idle this long is stopped: such pages come in runs, if at all. */
const OTHER_LANGUAGE_IDLE_MS = 30_000;

interface WorkerSlot {
  language: OcrLanguage;
  worker: Promise<Tesseract.Worker> | null;
  pixelsRead: number;
  busy: boolean;
  lastUsed: number;
  idleTimer: NodeJS.Timeout | null;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class OcrEngine {
  private slots: WorkerSlot[] = [];
  /** Requests waiting for a worker; each tries again whenever one is released. */
  private waitingForWorker: Array<() => void> = [];
  private readonly terminating = new Set<Promise<void>>();
  private closed = false;
  private running = 0;
  /** Pages read at once (and English workers kept). */
  readonly workers: number;
  /** Pages between decoding and the end of OCR, across all files: each holds megabytes of pixels. */
  private readonly maxPagesInFlight: number;
  private pagesInFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    workers: number,
    private readonly reportError: ReportError = reportErrorTo(undefined),
  ) {
    this.workers = Math.max(1, Math.floor(workers));
    this.maxPagesInFlight = this.workers + 1;
  }

  /**
   * Runs one page's decode-and-OCR while holding a slot: enough slots to keep every worker busy
   * (one page being prepared while the others are read), few enough that pages waiting for a
   * worker do not pile up in memory when many files are read at once.
   */
  async withPageSlot<T>(work: () => Promise<T>): Promise<T> {
    if (this.pagesInFlight >= this.maxPagesInFlight) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.pagesInFlight++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.pagesInFlight--;
    }
  }

  private createWorker(language: OcrLanguage): Promise<Tesseract.Worker> {
    return (async () => {
      const worker = await Tesseract.createWorker(language, Tesseract.OEM.LSTM_ONLY, {
        langPath: resolveLangPath(language),
        cacheMethod: 'none',
        gzip: true,
      });
      try {
        await worker.setParameters(WORKER_PARAMETERS);
      } catch (error) {
        // The setup error is the one worth reporting (it is thrown on); a failed stop of this half-started worker adds nothing.
        await worker.terminate().catch(() => undefined);
        throw error;
      }
      return worker;
    })().catch((error: unknown) => {
      throw new AppError(
        'ocr_failed',
        `The OCR engine could not start (${describe(error)}); check that tesseract.js and @tesseract.js-data/${language} are installed.`,
      );
    });
  }

  /**
   * An idle slot for `language`, or null when none can be had now: its own idle worker, a new
   * one while there is room, or else the least recently used idle worker of another language
   * (not English) stopped and its place taken.
   */
  private pickSlot(language: OcrLanguage): WorkerSlot | null {
    const idle = this.slots.filter((slot) => !slot.busy);
    const same = idle.find((slot) => slot.language === language);
    if (same) return same;
    const isEnglish = language === 'eng';
    const live = this.slots.filter((slot) => (slot.language === 'eng') === isEnglish).length;
    if (live < (isEnglish ? this.workers : MAX_OTHER_LANGUAGE_WORKERS)) {
      const slot: WorkerSlot = { language, worker: null, pixelsRead: 0, busy: false, lastUsed: 0, idleTimer: null };
      this.slots.push(slot);
      return slot;
    }
    const evictable = idle.filter((slot) => slot.language !== 'eng').sort((a, b) => a.lastUsed - b.lastUsed)[0];
    if (!evictable) return null;
    this.stopWorker(evictable);
    evictable.language = language;
    return evictable;
  }

  /** Waits until fewer than `workers` pages are being read and a worker for `language` can be had. */
  private async acquire(language: OcrLanguage): Promise<WorkerSlot> {
    for (;;) {
      if (this.closed) throw new AppError('service_unavailable', 'The OCR engine has been closed.');
      const slot = this.running < this.workers ? this.pickSlot(language) : null;
      if (slot) {
        if (slot.idleTimer) clearTimeout(slot.idleTimer);
        slot.idleTimer = null;
        slot.busy = true;
        this.running++;
        return slot;
      }
      await new Promise<void>((resolve) => this.waitingForWorker.push(resolve));
    }
  }

  private release(slot: WorkerSlot): void {
    slot.busy = false;
    slot.lastUsed = performance.now();
    this.running--;
    if (slot.language !== 'eng' && !this.closed) {
      slot.idleTimer = setTimeout(() => {
        if (slot.busy || this.closed) return;
        this.stopWorker(slot);
        this.slots = this.slots.filter((other) => other !== slot);
      }, OTHER_LANGUAGE_IDLE_MS);
      slot.idleTimer.unref();
    }
    const waiting = this.waitingForWorker;
    this.waitingForWorker = [];
    for (const wake of waiting) wake();
  }

  /** OCR of one image file in memory (PGM or PNG); `dpi` stops tesseract guessing the resolution. */
  async recognize(
    image: Buffer,
    dpi: number,
    parameters: Record<string, string> = {},
    language: OcrLanguage = 'eng',
  ): Promise<TesseractPageData> {
    const slot = await this.acquire(language);
    try {
      slot.worker ??= this.createWorker(language);
      let worker: Tesseract.Worker;
      try {
        worker = await slot.worker;
      } catch (error) {
        slot.worker = null;
        throw error;
      }
      // close() may have stopped the worker while it was starting (a service shutting down with a
      // job in flight); asking a terminated tesseract worker throws outside any promise and would
      // take the process down.
      if (this.closed) throw new AppError('service_unavailable', 'The OCR engine has been closed.');
      try {
        // Tesseract parameters ride along with the options; tesseract.js sets them for this job only.
        const options = { ...parameters, user_defined_dpi: String(Math.round(dpi)) } as unknown as Partial<Tesseract.RecognizeOptions>;
        const result = await worker.recognize(image, options, { text: true, blocks: true });
        return result.data as unknown as TesseractPageData;
      } catch (error) {
        throw new AppError('ocr_failed', `OCR failed on this page (${describe(error)}); check the image is a readable scan.`);
      } finally {
        slot.pixelsRead += image.length;
        // A tesseract worker's WASM heap grows to fit the largest pages it has read and never
        // shrinks; a fresh worker (~0.3 s to start) gives that memory back.
        if (slot.pixelsRead >= RECYCLE_AFTER_PIXELS) this.stopWorker(slot);
      }
    } finally {
      this.release(slot);
    }
  }

  /** Stops the slot's worker (in the background); the slot starts a fresh one when next used. */
  private stopWorker(slot: WorkerSlot): void {
    const worker = slot.worker;
    slot.worker = null;
    slot.pixelsRead = 0;
    if (!worker) return;
    const stopped: Promise<void> = worker
      .then(
        (started) =>
          started.terminate().then(
            () => undefined,
            (error: unknown) => this.reportError(error, 'an OCR worker could not be stopped'),
          ),
        // A worker that never started has nothing to stop; its start failure reached the page that asked for it (ocr_failed).
        () => undefined,
      )
      .finally(() => this.terminating.delete(stopped));
    this.terminating.add(stopped);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots) {
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      this.stopWorker(slot);
    }
    this.slots = [];
    const waiting = this.waitingForWorker;
    this.waitingForWorker = [];
    for (const wake of waiting) wake();
    await Promise.all([...this.terminating]);
  }
}
