/**
 * Preloaded into a docsort process by the API benchmark (`NODE_OPTIONS=--import …`): measures the
 * event-loop delay of the process's main thread, the one that serves HTTP. On SIGUSR2 it writes
 * what it measured since the last report to `DOCSORT_EVENT_LOOP_FILE` (JSON, milliseconds) and
 * starts over, so the benchmark can bracket one phase of load.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

export interface EventLoopReport {
  pid: number;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/** Sampling interval: fine enough to see a 50 ms stall, cheap enough not to cause one. */
const RESOLUTION_MS = 5;

const file = process.env.DOCSORT_EVENT_LOOP_FILE;
// Pool threads load preloads too; only the main thread's loop serves requests.
if (isMainThread && file) {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  const toMs = (nanoseconds: number) => Math.round(nanoseconds / 1e4) / 100;
  process.on('SIGUSR2', () => {
    const report: EventLoopReport = {
      pid: process.pid,
      samples: histogram.count,
      p50Ms: toMs(histogram.percentile(50)),
      p99Ms: toMs(histogram.percentile(99)),
      maxMs: toMs(histogram.max),
      meanMs: toMs(histogram.mean),
    };
    histogram.reset();
    // Renamed into place so the reader never sees half a file.
    writeFileSync(`${file}.tmp`, JSON.stringify(report));
    renameSync(`${file}.tmp`, file);
  });
}
