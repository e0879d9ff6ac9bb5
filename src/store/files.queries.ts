/** Stored files: one row per upload, pointing at a content-addressed blob. */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database, FileRow, FilesTable } from './schema.js';

export async function insertFile(db: Kysely<Database>, file: Insertable<FilesTable>): Promise<FileRow> {
  return db.insertInto('files').values(file).returningAll().executeTakeFirstOrThrow();
}

/** The file with this id in this workspace; another workspace's file is not found, as if it did not exist. */
export async function getFile(db: Kysely<Database>, workspaceId: string, id: string): Promise<FileRow | undefined> {
  return db.selectFrom('files').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
}

/**
 * Records the page count once some extraction has read the file, on the workspace's files with
 * the same bytes: another workspace's files keep theirs, so nobody learns that someone else has
 * the same document by watching their own file change.
 */
export async function setPageCountForBlob(db: Kysely<Database>, workspaceId: string, sha256: string, numPages: number): Promise<void> {
  await db
    .updateTable('files')
    .set({ num_pages: numPages })
    .where('sha256', '=', sha256)
    .where('workspace_id', '=', workspaceId)
    .where('num_pages', 'is', null)
    .execute();
}

/** Deletes the file row; answers whether other files (of any workspace) still use the same bytes. */
export async function deleteFileRow(db: Kysely<Database>, file: FileRow): Promise<{ blobStillUsed: boolean }> {
  return db.transaction().execute((trx) => deleteFileRowIn(trx, file));
}

/** `deleteFileRow` inside the caller's transaction. */
export async function deleteFileRowIn(trx: Transaction<Database>, file: FileRow): Promise<{ blobStillUsed: boolean }> {
  await trx.deleteFrom('files').where('id', '=', file.id).execute();
  const other = await trx.selectFrom('files').select('id').where('sha256', '=', file.sha256).limit(1).executeTakeFirst();
  if (!other) {
    await trx.deleteFrom('extractions').where('sha256', '=', file.sha256).execute();
    await trx.deleteFrom('page_failures').where('sha256', '=', file.sha256).execute();
  }
  return { blobStillUsed: other !== undefined };
}
