/** What jobs and request handlers work with; built once by `app.ts`. Features add their services here. */
import type { Config } from './config.js';
import type { ConcurrencyLimit } from './core/concurrency-limit.js';
import type { Classifier, Extractor } from './core/ports.js';
import type { BlobStore } from './store/blob-store.js';
import type { Store } from './store/database.js';
import type { JobQueue } from './jobs/queue.js';
import type { RunWaiters } from './runs/run-waiters.js';
import type { WorkerLogger } from './jobs/worker.js';

export interface Deps {
  config: Config;
  store: Store;
  blobs: BlobStore;
  extractor: Extractor;
  /**
   * Reads and renders of single pages that requests ask for: an extractor of its own (one thread)
   * behind `pageSlots`, so no request mix takes the threads classification runs on.
   */
  pageExtractor: Extractor;
  pageSlots: ConcurrencyLimit;
  classifier: Classifier;
  queue: JobQueue;
  runWaiters: RunWaiters;
  logger: WorkerLogger;
}
