/**
 * Housekeeping: applies RETENTION_DAYS (runs' files, webhook events and deliveries older than
 * that) and drops jobs that finished more than a day ago, in batches. Runs themselves stay: they
 * are the usage history, and the counters never counted on them being scanned.
 */
import type { Deps } from '../deps.js';
import { deleteStoredFile } from '../store/delete-stored-file.js';
import { deleteExpiredDeliveries, deleteExpiredEvents, deleteFinishedJobs, findExpiredFiles } from './retention.queries.js';

const DAY_MS = 86_400_000;
/** A finished job is bookkeeping: its run or delivery holds the outcome. */
export const FINISHED_JOB_RETENTION_MS = DAY_MS;
/** Batches one housekeeping run deletes at most per kind; the next run goes on where it stopped. */
const MAX_BATCHES = 200;

export interface HousekeepingSummary {
  files: number;
  deliveries: number;
  events: number;
  jobs: number;
}

async function repeat(step: () => Promise<number>): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const removed = await step();
    total += removed;
    if (removed === 0) break;
  }
  return total;
}

export async function runHousekeeping(
  deps: Pick<Deps, 'store' | 'blobs' | 'config' | 'logger'>,
  now = Date.now(),
): Promise<HousekeepingSummary> {
  const db = deps.store.db;
  const summary: HousekeepingSummary = { files: 0, deliveries: 0, events: 0, jobs: 0 };
  if (deps.config.retentionDays > 0) {
    const cutoff = now - deps.config.retentionDays * DAY_MS;
    summary.files = await repeat(async () => {
      const files = await findExpiredFiles(db, cutoff);
      for (const file of files) await deleteStoredFile(db, deps.blobs, file);
      return files.length;
    });
    summary.deliveries = await repeat(() => deleteExpiredDeliveries(db, cutoff));
    summary.events = await repeat(() => deleteExpiredEvents(db, cutoff));
  }
  summary.jobs = await repeat(() => deleteFinishedJobs(db, now - FINISHED_JOB_RETENTION_MS));
  return summary;
}
