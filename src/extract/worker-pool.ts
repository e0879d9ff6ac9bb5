/** A worker-thread pool (piscina) that runs MuPDF and BMP decoding; started on first use. */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { AppError, type ErrorCode } from '../core/errors.js';
import { reportErrorTo, type ReportError } from '../core/report-error.js';
import type { WorkerResult, WorkerTask } from './extract.worker.js';

export interface WorkerPoolOptions {
  /**
   * Stop every thread after this long with no task in flight, giving their MuPDF heaps back (WASM
   * memory never shrinks while a thread lives); 0 keeps one thread warm. The pool starts again on
   * the next task, at ~0.2 s of WASM start-up.
   */
  closeWhenIdleMs?: number;
  /** Where a failure outside any task (stopping idle threads) goes; stderr without it. */
  reportError?: ReportError;
}

export class WorkerPool {
  private pool: Piscina | null = null;
  readonly threads: number;
  private readonly closeWhenIdleMs: number;
  private readonly reportError: ReportError;
  private inFlight = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly idleCloseListeners = new Set<(stoppedThreads: number) => void>();

  constructor(threads = availableParallelism(), options: WorkerPoolOptions = {}) {
    this.threads = Math.max(1, Math.floor(threads));
    this.closeWhenIdleMs = Math.max(0, options.closeWhenIdleMs ?? 0);
    this.reportError = options.reportError ?? reportErrorTo(undefined);
  }

  /** Threads alive now: 0 before the first task and after an idle close. */
  get liveThreads(): number {
    return this.pool?.threads.length ?? 0;
  }

  /**
   * Told after an idle close has stopped the threads (they have exited, their heaps are given
   * back), with how many there were; returns the unsubscribe function.
   */
  onIdleClose(listener: (stoppedThreads: number) => void): () => void {
    this.idleCloseListeners.add(listener);
    return () => this.idleCloseListeners.delete(listener);
  }

  /** Runs one task; an aborted signal ends it (terminating a stuck thread) with `timeout`. */
  async run<T>(task: WorkerTask, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw timeoutError(signal);
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    // At least one thread always: with none, piscina leaves queued tasks waiting after a thread is
    // terminated (an aborted task) until some new task arrives.
    this.pool ??= new Piscina({
      filename: new URL('./extract.worker.js', import.meta.url).href,
      minThreads: 1,
      maxThreads: this.threads,
      // Idle threads beyond the first give their MuPDF heap back.
      idleTimeout: 60_000,
    });
    const pool = this.pool;
    let result: WorkerResult<T>;
    this.inFlight++;
    try {
      result = (await pool.run(task, signal ? { signal } : {})) as WorkerResult<T>;
    } catch (error) {
      if (signal?.aborted) throw timeoutError(signal);
      throw new AppError(
        'internal_error',
        `An extraction thread failed: ${error instanceof Error ? error.message : String(error)}`,
        undefined,
        { cause: error },
      );
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.closeLaterIfIdle();
    }
    if (!result.ok) throw new AppError(result.error.code as ErrorCode, result.error.message);
    return result.value;
  }

  private closeLaterIfIdle(): void {
    if (this.closeWhenIdleMs === 0 || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.inFlight > 0 || !this.pool) return;
      const pool = this.pool;
      this.pool = null;
      const stoppedThreads = pool.threads.length;
      // piscina's destroy resolves once every thread has exited. No task waits on this: a thread
      // that will not stop would otherwise go unnoticed while it holds its heap.
      pool.destroy().then(
        () => {
          for (const listener of this.idleCloseListeners) listener(stoppedThreads);
        },
        (error: unknown) => this.reportError(error, 'idle extraction threads could not be stopped'),
      );
    }, this.closeWhenIdleMs);
    this.idleTimer.unref();
  }

  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const pool = this.pool;
    this.pool = null;
    if (pool) await pool.destroy();
  }
}

/** The reason an extraction was aborted: a `timeout` AppError set by whoever aborted it. */
export function timeoutError(signal: AbortSignal): AppError {
  return signal.reason instanceof AppError ? signal.reason : new AppError('timeout', 'Reading the file was aborted.');
}
