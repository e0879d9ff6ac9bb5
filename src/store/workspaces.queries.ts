/** Workspaces in the store: made on first use by a key, listed for admins. */
import type { Kysely } from 'kysely';
import type { Database, WorkspaceRow } from './schema.js';

/** Makes the workspace if it does not exist yet; two keys naming a new workspace at once both succeed. */
export async function ensureWorkspace(db: Kysely<Database>, id: string, now = Date.now()): Promise<void> {
  await db
    .insertInto('workspaces')
    .values({ id, created_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function listWorkspaces(db: Kysely<Database>): Promise<WorkspaceRow[]> {
  return db.selectFrom('workspaces').selectAll().orderBy('id').execute();
}

export async function getWorkspace(db: Kysely<Database>, id: string): Promise<WorkspaceRow | undefined> {
  return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
}
