/**
 * The extraction thread pools: a task aborted while it runs (its thread is terminated) must not
 * strand the tasks queued behind it; a pool that closes itself when idle stops its threads and
 * starts again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../src/core/errors.js';
import type { WorkerTask } from '../src/extract/extract.worker.js';
import { WorkerPool } from '../src/extract/worker-pool.js';
import { CORPUS } from './helpers/extract-files.js';

describe('WorkerPool', () => {
  it('runs a queued task after the task before it was aborted mid-run', async () => {
    const pool = new WorkerPool(1, { closeWhenIdleMs: 1_000 });
    try {
      const controller = new AbortController();
      const aborted = pool.run({ kind: 'pdf-render-ocr', path: CORPUS.scannedPdf, page: 0, maxPixels: 100_000_000 }, controller.signal);
      const queued = pool.run<{ width: number }>({ kind: 'pdf-render-ocr', path: CORPUS.scannedPdf, page: 0, maxPixels: 100_000_000 });
      setTimeout(() => controller.abort(new AppError('timeout', 'test deadline')), 5);
      await assert.rejects(aborted, (error: unknown) => error instanceof AppError && error.code === 'timeout');
      const rendered = await queued;
      assert.ok(rendered.width > 0);
    } finally {
      await pool.close();
    }
  });

  it('stops its threads once idle, and starts them again for the next task', async () => {
    const pool = new WorkerPool(1, { closeWhenIdleMs: 50 });
    try {
      const idleClose = nextIdleClose(pool);
      const task: WorkerTask = { kind: 'pdf-text', path: CORPUS.textPdf, pages: [0], words: false };
      await pool.run(task);
      assert.equal(pool.liveThreads, 1, 'the task ran on a thread of the pool');
      assert.equal(await idleClose, 1, 'the idle close stopped that thread');
      assert.equal(pool.liveThreads, 0);
      const [page] = await pool.run<Array<{ page?: { text: string } }>>(task);
      assert.ok(page.page && page.page.text.length > 0);
      assert.equal(pool.liveThreads, 1, 'a new thread read the page');
    } finally {
      await pool.close();
    }
  });
});

/** The stopped-thread count of the pool's next idle close; a generous bound turns "never" into a failure, not a hang. */
function nextIdleClose(pool: WorkerPool, boundMs = 30_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`the pool did not stop its threads within ${boundMs} ms of going idle`));
    }, boundMs);
    const unsubscribe = pool.onIdleClose((stoppedThreads) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(stoppedThreads);
    });
  });
}
