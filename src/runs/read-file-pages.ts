/**
 * Pages of a stored file for one page selection, read at most once: the extraction is saved by
 * (content hash, selection), so re-classifying, redoing or reviewing a file never reads it again.
 */
import type { ExtractedDocument } from '../core/document.js';
import { getExtraction, saveExtraction } from '../store/extractions.queries.js';
import { setPageCountForBlob } from '../store/files.queries.js';
import { openPdfPassword, pdfPasswordTag } from '../store/pdf-passwords.js';
import type { FileRow } from '../store/schema.js';
import type { Deps } from '../deps.js';

export interface PageSelection {
  /** 1-based ranges, e.g. "1-3,5". */
  pageRange?: string | null;
  maxPages?: number | null;
  /** Include per-word boxes (review screens); saved apart from the plain reading. */
  words?: boolean;
}

/** A stable key for a selection: `all`, `1-3`, `1-3|max=4`. */
export function selectionKey(selection: PageSelection): string {
  const range = selection.pageRange?.replace(/\s+/g, '') || 'all';
  const max = selection.maxPages ? `|max=${selection.maxPages}` : '';
  return `${range}${max}${selection.words ? '|words' : ''}`;
}

/** The password of the file's PDF, if one was given with its upload or a run. */
export function filePdfPassword(deps: Pick<Deps, 'config'>, file: FileRow): string | undefined {
  return file.pdf_password ? openPdfPassword(deps.config, file.pdf_password) : undefined;
}

export async function readFilePages(
  deps: Pick<Deps, 'store' | 'blobs' | 'extractor' | 'config'>,
  file: FileRow,
  selection: PageSelection,
  /** A deadline of the caller's own (a page request's) in place of the extractor's per-file one. */
  options: { timeoutMs?: number } = {},
): Promise<ExtractedDocument> {
  const password = filePdfPassword(deps, file);
  const key = selectionKey(selection) + (password === undefined ? '' : `|pw=${pdfPasswordTag(deps.config, password)}`);
  const saved = await getExtraction(deps.store.db, file.sha256, key);
  if (saved) {
    // Read before for a file with the same bytes, perhaps in another workspace, whose files were not told.
    if (file.num_pages === null) await setPageCountForBlob(deps.store.db, file.workspace_id, file.sha256, saved.num_pages);
    return saved;
  }
  const document = await deps.blobs.withLocalFile(file.sha256, (filePath) =>
    deps.extractor.extractFile(filePath, {
      pageRange: selection.pageRange ?? undefined,
      maxPages: selection.maxPages ?? undefined,
      words: selection.words || undefined,
      timeoutMs: options.timeoutMs,
      password,
    }),
  );
  await saveExtraction(deps.store.db, file.sha256, key, document);
  await setPageCountForBlob(deps.store.db, file.workspace_id, file.sha256, document.num_pages);
  return document;
}
