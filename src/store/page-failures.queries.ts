/** Pages of a blob that failed their read or render budget (`page_too_complex`, `unreadable_document`). */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type PageWorkKind = 'text' | 'png';

export interface PageFailure {
  code: string;
  message: string;
}

export async function getPageFailure(
  db: Kysely<Database>,
  sha256: string,
  page: number,
  kind: PageWorkKind,
): Promise<PageFailure | undefined> {
  return db
    .selectFrom('page_failures')
    .select(['code', 'message'])
    .where('sha256', '=', sha256)
    .where('page', '=', page)
    .where('kind', '=', kind)
    .executeTakeFirst();
}

/** Two requests may fail the same page at once; the first record stays. */
export async function savePageFailure(
  db: Kysely<Database>,
  sha256: string,
  page: number,
  kind: PageWorkKind,
  failure: PageFailure,
): Promise<void> {
  await db
    .insertInto('page_failures')
    .values({ sha256, page, kind, code: failure.code, message: failure.message, created_at: Date.now() })
    .onConflict((oc) => oc.columns(['sha256', 'page', 'kind']).doNothing())
    .execute();
}
