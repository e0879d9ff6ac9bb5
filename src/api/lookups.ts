/**
 * The resources a request names, found or refused with the same "not found" message by every
 * route: files (by id, or downloaded from a URL now) and saved classifiers. Each is looked up in
 * the request's workspace only, so another workspace's id answers exactly like a missing one.
 */
import type { ClassifierRecord } from '../store/classifiers.queries.js';
import { AppError } from '../core/errors.js';
import type { Deps } from '../deps.js';
import { getClassifier } from '../store/classifiers.queries.js';
import { getFile } from '../store/files.queries.js';
import type { FileRow } from '../store/schema.js';
import { storeFileFromUrl } from './file-ingest.js';
import type { FileReference } from '../core/api-requests.js';

export async function requireFile(deps: Deps, workspaceId: string, id: string): Promise<FileRow> {
  const file = await getFile(deps.store.db, workspaceId, id);
  if (!file) throw new AppError('not_found', `No file "${id}"; upload it with POST /v1/files.`);
  return file;
}

/**
 * The file a request names: a stored one by id, or one downloaded from its URL now. A download is
 * also added to `downloaded`, so the caller can remove it again if the request is refused.
 */
export async function resolveFileReference(
  deps: Deps,
  workspaceId: string,
  reference: FileReference,
  downloaded: FileRow[] = [],
): Promise<FileRow> {
  if ('id' in reference) return requireFile(deps, workspaceId, reference.id);
  const file = await storeFileFromUrl(deps, workspaceId, reference.url);
  downloaded.push(file);
  return file;
}

export async function requireClassifier(deps: Deps, workspaceId: string, id: string): Promise<ClassifierRecord> {
  const classifier = await getClassifier(deps.store.db, workspaceId, id);
  if (!classifier) throw new AppError('not_found', `No classifier "${id}"; create one with POST /v1/classifiers.`);
  return classifier;
}
