/**
 * One page of a stored file read or rendered because a request asked for it (the page endpoints
 * of the API): on the page extractor, behind the page slots, under PAGE_TIMEOUT_SECONDS. A page
 * that fails its budget is remembered, so asking again answers at once with the same error.
 */
import type { ExtractedDocument } from '../core/document.js';
import { AppError, type ErrorCode } from '../core/errors.js';
import type { Deps } from '../deps.js';
import { getPageFailure, type PageWorkKind, savePageFailure } from '../store/page-failures.queries.js';
import type { FileRow } from '../store/schema.js';
import { filePdfPassword, readFilePages } from './read-file-pages.js';

type PageDeps = Pick<Deps, 'store' | 'blobs' | 'pageExtractor' | 'pageSlots' | 'config'>;

/** Failures that come from the page itself and would come again: kept. Anything else (a busy server) is not. */
const REMEMBERED: ReadonlySet<ErrorCode> = new Set(['page_too_complex', 'unreadable_document']);

/** The page's text and lines (0-based `page`), read through the extraction cache. */
export async function readRequestedPage(
  deps: PageDeps,
  file: FileRow,
  page: number,
  options: { words: boolean },
): Promise<ExtractedDocument> {
  return underBudget(deps, file, page, 'text', () =>
    readFilePages(
      { ...deps, extractor: deps.pageExtractor },
      file,
      { pageRange: String(page + 1), words: options.words },
      {
        timeoutMs: deps.config.pageTimeoutMs,
      },
    ),
  );
}

/** The page (0-based) as PNG; `maxDimension` bounds its longer side (the console's thumbnails). */
export async function renderRequestedPage(
  deps: PageDeps,
  file: FileRow,
  page: number,
  options: { maxDimension?: number } = {},
): Promise<Buffer> {
  return underBudget(deps, file, page, 'png', () =>
    deps.blobs.withLocalFile(file.sha256, (filePath) =>
      deps.pageExtractor.renderPage(filePath, page, {
        timeoutMs: deps.config.pageTimeoutMs,
        password: filePdfPassword(deps, file),
        maxDimension: options.maxDimension,
      }),
    ),
  );
}

async function underBudget<T>(deps: PageDeps, file: FileRow, page: number, kind: PageWorkKind, work: () => Promise<T>): Promise<T> {
  const known = await getPageFailure(deps.store.db, file.sha256, page, kind);
  if (known) throw new AppError(known.code as ErrorCode, known.message);
  try {
    return await deps.pageSlots.run(work);
  } catch (error) {
    const failure = asPageFailure(error, page, deps.config.pageTimeoutMs);
    if (!failure) throw error;
    await savePageFailure(deps.store.db, file.sha256, page, kind, { code: failure.code, message: failure.message });
    throw failure;
  }
}

/** A deadline passed on one page is that page's complexity, not the server's timeout. */
function asPageFailure(error: unknown, page: number, timeoutMs: number): AppError | null {
  if (!(error instanceof AppError)) return null;
  if (error.code === 'timeout')
    return new AppError(
      'page_too_complex',
      `Page ${page + 1} took longer than ${Math.round(timeoutMs / 1000)} s to read and was stopped; it is too complex to show here.`,
    );
  return REMEMBERED.has(error.code) ? error : null;
}
