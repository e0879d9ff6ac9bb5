/**
 * `delete_file_after`: once a run that asked for it has finished, its file goes (row and saved
 * pages in the transaction that closes the run, so nobody sees the run final and the file still
 * there; the bytes after commit, unless another file has them), unless another open run still
 * reads it.
 */
import type { Transaction } from 'kysely';
import type { Deps } from '../deps.js';
import { deleteFileRowIn, getFile } from '../store/files.queries.js';
import type { Database, RunRow } from '../store/schema.js';

/** Bytes to remove once the transaction has committed; null when there are none. */
export type BlobToRemove = string | null;

/** Inside the transaction closing `run`: deletes its file row when the run asked for it and nothing else reads the file. */
export async function detachRunFile(trx: Transaction<Database>, run: RunRow): Promise<BlobToRemove> {
  if (run.delete_file_after !== 1) return null;
  const stillRead = await trx
    .selectFrom('classify_runs')
    .select('id')
    .where('file_id', '=', run.file_id)
    .where('id', '!=', run.id)
    .where('status', 'in', ['PENDING', 'PROCESSING'])
    .limit(1)
    .executeTakeFirst();
  if (stillRead) return null;
  const file = await getFile(trx, run.workspace_id, run.file_id);
  if (!file) return null;
  const { blobStillUsed } = await deleteFileRowIn(trx, file);
  return blobStillUsed ? null : file.sha256;
}

/** After commit: removes the bytes; a failure is logged and leaves orphaned bytes, never a file row without them. */
export async function removeDetachedBlob(deps: Pick<Deps, 'blobs' | 'logger'>, sha256: BlobToRemove, runId: string): Promise<void> {
  if (!sha256) return;
  try {
    await deps.blobs.remove(sha256);
  } catch (error) {
    deps.logger.warn({ err: error, runId }, 'could not remove the bytes of a file deleted after its run (delete_file_after)');
  }
}
