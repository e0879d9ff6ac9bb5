/** Deleting a file: its row, its saved extractions and, when no other file has the same bytes, the bytes. */
import type { Kysely } from 'kysely';
import type { BlobStore } from './blob-store.js';
import { deleteFileRow } from './files.queries.js';
import type { Database, FileRow } from './schema.js';

export async function deleteStoredFile(db: Kysely<Database>, blobs: Pick<BlobStore, 'remove'>, file: FileRow): Promise<void> {
  const { blobStillUsed } = await deleteFileRow(db, file);
  if (!blobStillUsed) await blobs.remove(file.sha256);
}
