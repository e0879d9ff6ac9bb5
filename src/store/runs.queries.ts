/** Classify runs. Status changes are conditional updates, so a cancelled run never turns PROCESSED. */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { ReviewStatus, RunStatus } from '../core/run.js';
import type { Database, NewRun, RunRow, RunUpdate } from './schema.js';

const OPEN_STATUSES: RunStatus[] = ['PENDING', 'PROCESSING'];

export async function insertRun(db: Kysely<Database>, run: NewRun, tags: string[]): Promise<RunRow> {
  const row = await db.insertInto('classify_runs').values(run).returningAll().executeTakeFirstOrThrow();
  if (tags.length > 0)
    await db
      .insertInto('run_tags')
      .values([...new Set(tags)].map((tag) => ({ run_id: run.id, tag })))
      .execute();
  return row;
}

/** A run by id in any workspace: for jobs and waiters, which hold an id they made. Requests use `getRunInWorkspace`. */
export async function getRun(db: Kysely<Database>, id: string): Promise<RunRow | undefined> {
  return db.selectFrom('classify_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The run with this id in this workspace; another workspace's run is not found, as if it did not exist. */
export async function getRunInWorkspace(db: Kysely<Database>, workspaceId: string, id: string): Promise<RunRow | undefined> {
  return db.selectFrom('classify_runs').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
}

export interface RunFilters {
  classifierId?: string;
  status?: RunStatus;
  /** Label of the final output. */
  class?: string;
  tag?: string;
  batchId?: string;
  reviewStatus?: ReviewStatus;
  /** Text the file name contains, in any case. */
  fileNameContains?: string;
  createdFrom?: number;
  createdTo?: number;
}

export interface RunCursor {
  createdAt: number;
  id: string;
}

/** `%` and `_` in what a person typed are letters, not wildcards. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** Every query about runs names its workspace: another workspace's runs are never listed or counted. */
function applyRunFilters<O>(
  selected: SelectQueryBuilder<Database, 'classify_runs', O>,
  workspaceId: string,
  filters: RunFilters,
): SelectQueryBuilder<Database, 'classify_runs', O> {
  let query = selected.where('classify_runs.workspace_id', '=', workspaceId);
  if (filters.classifierId) query = query.where('classifier_id', '=', filters.classifierId);
  if (filters.status) query = query.where('status', '=', filters.status);
  if (filters.class) query = query.where('output_class', '=', filters.class);
  if (filters.batchId) query = query.where('batch_id', '=', filters.batchId);
  if (filters.reviewStatus) query = query.where('review_status', '=', filters.reviewStatus);
  if (filters.fileNameContains) {
    const pattern = likePattern(filters.fileNameContains);
    query = query.where(sql<boolean>`lower(classify_runs.file_name) like ${pattern} escape '\\'`);
  }
  if (filters.createdFrom !== undefined) query = query.where('created_at', '>=', filters.createdFrom);
  if (filters.createdTo !== undefined) query = query.where('created_at', '<', filters.createdTo);
  const tag = filters.tag;
  if (tag) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('run_tags')
          .select('run_tags.run_id')
          .whereRef('run_tags.run_id', '=', 'classify_runs.id')
          .where('run_tags.tag', '=', tag),
      ),
    );
  }
  return query;
}

/** Newest first; `after` continues below the last run of the previous page. */
export async function listRuns(
  db: Kysely<Database>,
  workspaceId: string,
  filters: RunFilters,
  options: { limit: number; after?: RunCursor },
): Promise<RunRow[]> {
  let query = applyRunFilters(db.selectFrom('classify_runs').selectAll(), workspaceId, filters);
  const after = options.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]),
    );
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
}

export interface RunCounts {
  total: number;
  by_review_status: Record<string, number>;
  by_status: Record<string, number>;
  by_class: Record<string, number>;
  by_classifier: Record<string, number>;
  by_tag: Record<string, number>;
}

type GroupColumn = 'review_status' | 'status' | 'output_class' | 'classifier_id';

/**
 * How many runs each filter value would list. Each dimension is counted under the other filters
 * only, so a count next to "reviewed" says what choosing it would show even while "needs_review"
 * is chosen.
 */
export async function countRuns(db: Kysely<Database>, workspaceId: string, filters: RunFilters): Promise<RunCounts> {
  const countBy = async (column: GroupColumn, without: Partial<RunFilters>): Promise<Record<string, number>> => {
    const rows = await applyRunFilters(db.selectFrom('classify_runs'), workspaceId, { ...filters, ...without })
      .select([`classify_runs.${column} as value`, (eb) => eb.fn.countAll<string | number>().as('count')])
      .groupBy(`classify_runs.${column}`)
      .execute();
    const counts: Record<string, number> = {};
    for (const row of rows) if (row.value !== null) counts[String(row.value)] = Number(row.count);
    return counts;
  };
  const totalRow = await applyRunFilters(db.selectFrom('classify_runs'), workspaceId, filters)
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .executeTakeFirstOrThrow();
  const tagRows = await applyRunFilters(db.selectFrom('classify_runs'), workspaceId, { ...filters, tag: undefined })
    .innerJoin('run_tags', 'run_tags.run_id', 'classify_runs.id')
    .select(['run_tags.tag as value', (eb) => eb.fn.countAll<string | number>().as('count')])
    .groupBy('run_tags.tag')
    .execute();
  return {
    total: Number(totalRow.count),
    by_review_status: await countBy('review_status', { reviewStatus: undefined }),
    by_status: await countBy('status', { status: undefined }),
    by_class: await countBy('output_class', { class: undefined }),
    by_classifier: await countBy('classifier_id', { classifierId: undefined }),
    by_tag: Object.fromEntries(tagRows.map((row) => [row.value, Number(row.count)])),
  };
}

export async function getRunTags(db: Kysely<Database>, runId: string): Promise<string[]> {
  const rows = await db.selectFrom('run_tags').select('tag').where('run_id', '=', runId).orderBy('tag').execute();
  return rows.map((row) => row.tag);
}

/** Moves an open run to PROCESSING and answers it; undefined when it was cancelled or already finished. */
export async function markRunProcessing(db: Kysely<Database>, id: string): Promise<RunRow | undefined> {
  return db
    .updateTable('classify_runs')
    .set({ status: 'PROCESSING', updated_at: Date.now() })
    .where('id', '=', id)
    .where('status', 'in', OPEN_STATUSES)
    .returningAll()
    .executeTakeFirst();
}

/** Applies a final state to a run that is still open; answers the updated row, or undefined if it was already final. */
export async function closeRun(db: Kysely<Database>, id: string, update: RunUpdate & { status: RunStatus }): Promise<RunRow | undefined> {
  const now = Date.now();
  return db
    .updateTable('classify_runs')
    .set({ ...update, updated_at: now, finished_at: now })
    .where('id', '=', id)
    .where('status', 'in', OPEN_STATUSES)
    .returningAll()
    .executeTakeFirst();
}

export async function updateRunReview(
  db: Kysely<Database>,
  id: string,
  reviewedOutput: string,
  outputClass: string,
): Promise<RunRow | undefined> {
  return db
    .updateTable('classify_runs')
    .set({ reviewed_output: reviewedOutput, reviewed: 1, review_status: 'reviewed', output_class: outputClass, updated_at: Date.now() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function listBatchRuns(db: Kysely<Database>, batchId: string): Promise<RunRow[]> {
  return db.selectFrom('classify_runs').selectAll().where('batch_id', '=', batchId).orderBy('created_at').orderBy('id').execute();
}

/** Gives open redo runs of `id` (PENDING or PROCESSING) the review just made on it, so the newest run carries the latest verdict. */
export async function carryReviewToOpenRedos(db: Kysely<Database>, id: string, reviewedOutput: string): Promise<void> {
  await db
    .updateTable('classify_runs')
    .set({ reviewed_output: reviewedOutput, reviewed: 1, updated_at: Date.now() })
    .where('redo_of', '=', id)
    .where('status', 'in', OPEN_STATUSES)
    .execute();
}

/**
 * Reviewed runs of a classifier on the same bytes, newest review first: a document sent again
 * comes back with the verdict a person already gave it.
 */
export async function findReviewsOfBytes(
  db: Kysely<Database>,
  workspaceId: string,
  classifierId: string,
  sha256: string,
): Promise<Array<Pick<RunRow, 'id' | 'config' | 'page_range' | 'reviewed_output'>>> {
  return db
    .selectFrom('classify_runs')
    .innerJoin('files', 'files.id', 'classify_runs.file_id')
    .select(['classify_runs.id', 'classify_runs.config', 'classify_runs.page_range', 'classify_runs.reviewed_output'])
    .where('classify_runs.workspace_id', '=', workspaceId)
    .where('classify_runs.classifier_id', '=', classifierId)
    .where('classify_runs.review_status', '=', 'reviewed')
    .where('files.sha256', '=', sha256)
    .orderBy('classify_runs.updated_at', 'desc')
    .limit(10)
    .execute();
}

/** The review on a run as it is now (a review may arrive while the run is being processed). */
export async function getRunReview(db: Kysely<Database>, id: string): Promise<string | null> {
  const row = await db.selectFrom('classify_runs').select('reviewed_output').where('id', '=', id).executeTakeFirst();
  return row?.reviewed_output ?? null;
}
