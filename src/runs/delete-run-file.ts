/**
 * `delete_file_after`: once a run that asked for it has finished, its file goes (row, saved
 * pages, and the bytes unless another file has them), unless another run is still reading it.
 * Best effort after the run is recorded: a failure is logged and leaves the file to retention.
 */
import type { Deps } from '../deps.js';
import { deleteStoredFile } from '../store/delete-stored-file.js';
import { getFile } from '../store/files.queries.js';
import type { RunRow } from '../store/schema.js';

export async function deleteFileAfterRun(deps: Pick<Deps, 'store' | 'blobs' | 'logger'>, run: RunRow): Promise<void> {
  if (run.delete_file_after !== 1) return;
  try {
    const stillRead = await deps.store.db
      .selectFrom('classify_runs')
      .select('id')
      .where('file_id', '=', run.file_id)
      .where('status', 'in', ['PENDING', 'PROCESSING'])
      .limit(1)
      .executeTakeFirst();
    if (stillRead) return;
    const file = await getFile(deps.store.db, run.file_id);
    if (file) await deleteStoredFile(deps.store.db, deps.blobs, file);
  } catch (error) {
    deps.logger.warn(
      { err: error, runId: run.id, fileId: run.file_id },
      'could not delete the file of a run that asked for it (delete_file_after)',
    );
  }
}
