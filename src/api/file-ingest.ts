/**
 * Turning uploaded or downloaded bytes into a stored file: stream to disk while hashing, check
 * the real type from the bytes (not the name), keep the blob once per content, add a file row.
 */
import type { Readable } from 'node:stream';
import { AppError } from '../core/errors.js';
import { type FileType, MIME_TYPES } from '../core/document.js';
import type { Deps } from '../deps.js';
import { safeFetch } from '../net/safe-fetch.js';
import { insertFile } from '../store/files.queries.js';
import { deleteStoredFile } from '../store/delete-stored-file.js';
import { createId } from '../store/ids.js';
import type { FileRow } from '../store/schema.js';

function cleanName(name: string | null | undefined): string | null {
  if (!name) return null;
  const base = name.split(/[\\/]/).pop()?.trim() ?? '';
  return base ? base.slice(0, 255) : null;
}

export async function storeFileStream(
  deps: Deps,
  workspaceId: string,
  source: Readable,
  name: string | null,
  sourceUrl: string | null = null,
): Promise<FileRow> {
  const received = await deps.blobs.receive(source, deps.config.maxFileBytes);
  let type: FileType;
  try {
    if (received.size === 0) throw new AppError('empty_file', 'The file is empty; send a PDF or an image.');
    type = await deps.extractor.sniffFile(received.path);
  } catch (error) {
    await deps.blobs.discard(received);
    throw error;
  }
  await deps.blobs.keep(received);
  return insertFile(deps.store.db, {
    id: createId('file'),
    workspace_id: workspaceId,
    sha256: received.sha256,
    size: received.size,
    type,
    mime_type: MIME_TYPES[type],
    name: cleanName(name),
    source_url: sourceUrl,
    num_pages: null,
    created_at: Date.now(),
  });
}

/** Downloads a URL through the SSRF guard, within the size and time limits. */
export async function storeFileFromUrl(deps: Deps, workspaceId: string, url: string): Promise<FileRow> {
  const response = await safeFetch(url, {
    allowPrivate: deps.config.allowPrivateUrls,
    timeoutMs: deps.config.urlFetchTimeoutMs,
    maxBytes: deps.config.maxFileBytes,
    maxRedirects: deps.config.urlMaxRedirects,
  });
  try {
    return await storeFileStream(deps, workspaceId, response.body, response.fileName, response.url);
  } catch (error) {
    response.abort();
    if (error instanceof AppError) throw error;
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof AppError) throw cause;
    throw new AppError('download_failed', `The download from the URL broke off: ${(error as Error).message}`);
  }
}

/**
 * Removes files this request stored when the request is refused after all (too many files, a bad
 * field, an unknown classifier): a refused upload leaves no file behind. Best effort: a failure
 * here must not hide the error the client needs to see.
 */
export async function discardStoredFiles(deps: Deps, files: FileRow[]): Promise<void> {
  for (const file of files) {
    try {
      await deleteStoredFile(deps.store.db, deps.blobs, file);
    } catch (error) {
      deps.logger.warn({ err: error, file: file.id }, 'could not remove the file of a refused request');
    }
  }
}
