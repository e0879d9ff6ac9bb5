/**
 * tesseract.js workers (each its own thread), started on the first OCR request, reused, and
 * replaced after a while so their memory does not stay at its high-water mark.
 * Language data always comes from the @tesseract.js-data packages in node_modules: without a
 * local langPath tesseract.js would try to download it at run time.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Tesseract from 'tesseract.js';
import { AppError } from '../core/errors.js';
import type { TesseractPageData } from './ocr-result.js';

const require = createRequire(import.meta.url);

/** The integer "best" English model is the accurate one; the plain folder is the fallback. */
function resolveLangPath(packageName: string, preferred: string): string {
  const { langPath } = require(packageName) as { langPath: string };
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

interface WorkerSlot {
  worker: Promise<Tesseract.Worker> | null;
  pixelsRead: number;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class OcrEngine {
  private slots: WorkerSlot[] = [];
  private idle: WorkerSlot[] = [];
  private readonly waitingForWorker: Array<(slot: WorkerSlot) => void> = [];
  private readonly terminating = new Set<Promise<void>>();
  private closed = false;
  readonly workers: number;
  /** Pages between decoding and the end of OCR, across all files: each holds megabytes of pixels. */
  private readonly maxPagesInFlight: number;
  private pagesInFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(workers: number) {
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

  private createWorker(): Promise<Tesseract.Worker> {
    return (async () => {
      const langPath = resolveLangPath('@tesseract.js-data/eng', '4.0.0_best_int');
      const worker = await Tesseract.createWorker('eng', Tesseract.OEM.LSTM_ONLY, { langPath, cacheMethod: 'none', gzip: true });
      try {
        await worker.setParameters(WORKER_PARAMETERS);
      } catch (error) {
        await worker.terminate().catch(() => undefined);
        throw error;
      }
      return worker;
    })().catch((error: unknown) => {
      throw new AppError('ocr_failed', `The OCR engine could not start (${describe(error)}); check that tesseract.js and @tesseract.js-data/eng are installed.`);
    });
  }

  /** Waits for an idle worker slot, starting its worker on first use. */
  private async acquire(): Promise<WorkerSlot> {
    if (this.closed) throw new AppError('service_unavailable', 'The OCR engine has been closed.');
    let slot = this.idle.pop();
    if (!slot) {
      if (this.slots.length < this.workers) {
        slot = { worker: null, pixelsRead: 0 };
        this.slots.push(slot);
      } else {
        slot = await new Promise<WorkerSlot>((resolve) => this.waitingForWorker.push(resolve));
      }
    }
    return slot;
  }

  private release(slot: WorkerSlot): void {
    const next = this.waitingForWorker.shift();
    if (next) next(slot);
    else this.idle.push(slot);
  }

  /** OCR of one image file in memory (PGM or PNG); `dpi` stops tesseract guessing the resolution. */
  async recognize(image: Buffer, dpi: number, parameters: Record<string, string> = {}): Promise<TesseractPageData> {
    const slot = await this.acquire();
    try {
      slot.worker ??= this.createWorker();
      let worker: Tesseract.Worker;
      try {
        worker = await slot.worker;
      } catch (error) {
        slot.worker = null;
        throw error;
      }
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
        if (slot.pixelsRead >= RECYCLE_AFTER_PIXELS) this.recycle(slot, worker);
      }
    } finally {
      this.release(slot);
    }
  }

  private recycle(slot: WorkerSlot, worker: Tesseract.Worker): void {
    slot.worker = null;
    slot.pixelsRead = 0;
    const stopped: Promise<void> = worker
      .terminate()
      .then(() => undefined, () => undefined)
      .finally(() => this.terminating.delete(stopped));
    this.terminating.add(stopped);
  }

  async close(): Promise<void> {
    this.closed = true;
    const starting = this.slots.map((slot) => slot.worker).filter((worker): worker is Promise<Tesseract.Worker> => worker !== null);
    this.slots = [];
    this.idle = [];
    await Promise.all([
      ...starting.map((worker) => worker.then((started) => started.terminate()).catch(() => undefined)),
      ...this.terminating,
    ]);
  }
}
