/** Batches: a group of runs of one classifier created by one request. */
import type { Kysely } from 'kysely';
import type { BatchRow, Database } from './schema.js';

export async function insertBatch(db: Kysely<Database>, batch: BatchRow): Promise<void> {
  await db.insertInto('batches').values(batch).execute();
}

export async function getBatch(db: Kysely<Database>, workspaceId: string, id: string): Promise<BatchRow | undefined> {
  return db.selectFrom('batches').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
}

/** Newest first, `limit` rows after the cursor position; optionally of one classifier. */
export async function listBatches(
  db: Kysely<Database>,
  workspaceId: string,
  options: { limit: number; classifierId?: string; after?: { createdAt: number; id: string } },
): Promise<BatchRow[]> {
  let query = db.selectFrom('batches').selectAll().where('workspace_id', '=', workspaceId);
  if (options.classifierId) query = query.where('classifier_id', '=', options.classifierId);
  const after = options.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]),
    );
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
}

/** Marks the batch cancelled once; answers the row as it is now. */
export async function markBatchCancelled(db: Kysely<Database>, workspaceId: string, id: string, at: number): Promise<BatchRow | undefined> {
  await db
    .updateTable('batches')
    .set({ cancelled_at: at })
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .where('cancelled_at', 'is', null)
    .execute();
  return getBatch(db, workspaceId, id);
}
