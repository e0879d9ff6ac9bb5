/** Batches: a group of runs of one classifier created by one request. */
import type { Kysely } from 'kysely';
import type { BatchRow, Database } from './schema.js';

export async function insertBatch(db: Kysely<Database>, batch: BatchRow): Promise<void> {
  await db.insertInto('batches').values(batch).execute();
}

export async function getBatch(db: Kysely<Database>, workspaceId: string, id: string): Promise<BatchRow | undefined> {
  return db.selectFrom('batches').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
}
