/** A worker-thread pool (piscina) that runs MuPDF and BMP decoding; started on first use. */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { AppError, type ErrorCode } from '../core/errors.js';
import type { WorkerResult, WorkerTask } from './extract.worker.js';

export interface WorkerPoolOptions {
  /** Threads kept alive while idle. */
  minThreads?: number;
  /** An idle thread above `minThreads` exits after this long, giving its MuPDF heap back. */
  idleTimeoutMs?: number;
}

export class WorkerPool {
  private pool: Piscina | null = null;
  readonly threads: number;
  private readonly minThreads: number;
  private readonly idleTimeoutMs: number;

  constructor(threads = availableParallelism(), options: WorkerPoolOptions = {}) {
    this.threads = Math.max(1, Math.floor(threads));
    this.minThreads = Math.min(this.threads, Math.max(0, options.minThreads ?? 1));
    // Restarting a thread costs ~0.2 s of WASM start-up.
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  }

  /** Runs one task; an aborted signal ends it (terminating a stuck thread) with `timeout`. */
  async run<T>(task: WorkerTask, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw timeoutError(signal);
    this.pool ??= new Piscina({
      filename: new URL('./extract.worker.js', import.meta.url).href,
      minThreads: this.minThreads,
      maxThreads: this.threads,
      idleTimeout: this.idleTimeoutMs,
    });
    let result: WorkerResult<T>;
    try {
      result = (await this.pool.run(task, signal ? { signal } : {})) as WorkerResult<T>;
    } catch (error) {
      if (signal?.aborted) throw timeoutError(signal);
      throw new AppError('internal_error', `An extraction thread failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!result.ok) throw new AppError(result.error.code as ErrorCode, result.error.message);
    return result.value;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    if (pool) await pool.destroy();
  }
}

/** The reason an extraction was aborted: a `timeout` AppError set by whoever aborted it. */
export function timeoutError(signal: AbortSignal): AppError {
  return signal.reason instanceof AppError ? signal.reason : new AppError('timeout', 'Reading the file was aborted.');
}
