/**
 * What retention deletes, in batches small enough that no transaction holds many rows: files
 * (their rows, saved extractions and, when no other file has the bytes, the bytes), webhook
 * events and deliveries past the retention period, and finished jobs past a day.
 */
import type { Kysely } from 'kysely';
import type { Database, FileRow } from '../store/schema.js';
import '../notify/webhooks.schema.js';

/** Rows one delete statement removes at most. */
export const RETENTION_BATCH = 500;

/** Files created before `cutoff` that no open run is reading. */
export async function findExpiredFiles(db: Kysely<Database>, cutoff: number, limit = RETENTION_BATCH): Promise<FileRow[]> {
  return db
    .selectFrom('files')
    .selectAll()
    .where('created_at', '<', cutoff)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('classify_runs')
            .select('classify_runs.id')
            .whereRef('classify_runs.file_id', '=', 'files.id')
            .where('classify_runs.status', 'in', ['PENDING', 'PROCESSING']),
        ),
      ),
    )
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

/** Deletes finished deliveries (and their attempts) created before `cutoff`; answers how many. Pending ones are still being sent. */
export async function deleteExpiredDeliveries(db: Kysely<Database>, cutoff: number, limit = RETENTION_BATCH): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const ids = (
      await trx
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('created_at', '<', cutoff)
        .where('status', '!=', 'pending')
        .limit(limit)
        .execute()
    ).map((row) => row.id);
    if (ids.length === 0) return 0;
    await trx.deleteFrom('webhook_attempts').where('delivery_id', 'in', ids).execute();
    await trx.deleteFrom('webhook_deliveries').where('id', 'in', ids).execute();
    return ids.length;
  });
}

/** Deletes events created before `cutoff` that no remaining delivery points at; answers how many. */
export async function deleteExpiredEvents(db: Kysely<Database>, cutoff: number, limit = RETENTION_BATCH): Promise<number> {
  const ids = (
    await db
      .selectFrom('webhook_events')
      .select('id')
      .where('created_at', '<', cutoff)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('webhook_deliveries')
              .select('webhook_deliveries.id')
              .whereRef('webhook_deliveries.event_id', '=', 'webhook_events.id'),
          ),
        ),
      )
      .limit(limit)
      .execute()
  ).map((row) => row.id);
  if (ids.length === 0) return 0;
  await db.deleteFrom('webhook_events').where('id', 'in', ids).execute();
  return ids.length;
}

/** Deletes jobs that finished before `cutoff` (the run or delivery keeps the outcome); answers how many. */
export async function deleteFinishedJobs(db: Kysely<Database>, cutoff: number, limit = RETENTION_BATCH): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const ids = (
      await trx
        .selectFrom('jobs')
        .select('id')
        .where('status', 'in', ['succeeded', 'failed', 'cancelled'])
        .where('updated_at', '<', cutoff)
        .limit(limit)
        .execute()
    ).map((row) => row.id);
    if (ids.length === 0) return 0;
    await trx.deleteFrom('job_steps').where('job_id', 'in', ids).execute();
    await trx.deleteFrom('jobs').where('id', 'in', ids).execute();
    return ids.length;
  });
}
