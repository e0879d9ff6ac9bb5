/** Pages read from a blob, saved once per (bytes, page selection) so re-classifying never reads a file twice. */
import type { Kysely } from 'kysely';
import type { ExtractedDocument } from '../core/document.js';
import type { Database } from './schema.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';

export async function getExtraction(db: Kysely<Database>, sha256: string, selection: string): Promise<ExtractedDocument | undefined> {
  const row = await db
    .selectFrom('extractions')
    .select('document')
    .where('sha256', '=', sha256)
    .where('selection', '=', selection)
    .executeTakeFirst();
  return row ? fromJsonColumn<ExtractedDocument>(row.document) : undefined;
}

/** Two workers may read the same file at once; the first saved copy wins and both are equal. */
export async function saveExtraction(db: Kysely<Database>, sha256: string, selection: string, document: ExtractedDocument): Promise<void> {
  await db
    .insertInto('extractions')
    .values({ sha256, selection, num_pages: document.num_pages, document: toJsonColumn(document), created_at: Date.now() })
    .onConflict((oc) => oc.columns(['sha256', 'selection']).doNothing())
    .execute();
}
