/**
 * tesseract.js workers (each its own thread), started on the first OCR request and reused.
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

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class OcrEngine {
  private scheduler: Promise<Tesseract.Scheduler> | null = null;
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

  private startScheduler(): Promise<Tesseract.Scheduler> {
    this.scheduler ??= (async () => {
      const langPath = resolveLangPath('@tesseract.js-data/eng', '4.0.0_best_int');
      const scheduler = Tesseract.createScheduler();
      try {
        const workers = await Promise.all(
          Array.from({ length: this.workers }, async () => {
            const worker = await Tesseract.createWorker('eng', Tesseract.OEM.LSTM_ONLY, { langPath, cacheMethod: 'none', gzip: true });
            await worker.setParameters(WORKER_PARAMETERS);
            return worker;
          }),
        );
        for (const worker of workers) scheduler.addWorker(worker);
        return scheduler;
      } catch (error) {
        await scheduler.terminate().catch(() => undefined);
        throw error;
      }
    })().catch((error: unknown) => {
      this.scheduler = null;
      throw new AppError('ocr_failed', `The OCR engine could not start (${describe(error)}); check that tesseract.js and @tesseract.js-data/eng are installed.`);
    });
    return this.scheduler;
  }

  /** OCR of one image file in memory (PGM or PNG); `dpi` stops tesseract guessing the resolution. */
  async recognize(image: Buffer, dpi: number, parameters: Record<string, string> = {}): Promise<TesseractPageData> {
    const scheduler = await this.startScheduler();
    try {
      // Tesseract parameters ride along with the options; tesseract.js sets them for this job only.
      const options = { ...parameters, user_defined_dpi: String(Math.round(dpi)) } as unknown as Partial<Tesseract.RecognizeOptions>;
      const result = await scheduler.addJob('recognize', image, options, { text: true, blocks: true });
      return result.data as unknown as TesseractPageData;
    } catch (error) {
      throw new AppError('ocr_failed', `OCR failed on this page (${describe(error)}); check the image is a readable scan.`);
    }
  }

  async close(): Promise<void> {
    const scheduler = this.scheduler;
    this.scheduler = null;
    await scheduler?.then((started) => started.terminate()).catch(() => undefined);
  }
}
