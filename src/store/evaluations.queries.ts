/** Evaluations: a classifier's reviewed runs re-run against one version, with progress kept as the job goes. */
import type { Kysely } from 'kysely';
import type { Database, EvaluationRow, RunRow } from './schema.js';
import { createId } from './ids.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';

/**
 * The evaluation set: runs of a classifier that a person reviewed themselves (not those carrying
 * a review over from a redo or from the same bytes sent again), the newest review of each
 * document (by content) only, newest first.
 */
export async function listReviewedRuns(db: Kysely<Database>, workspaceId: string, classifierId: string, limit = 1000): Promise<RunRow[]> {
  const rows = await db
    .selectFrom('classify_runs')
    .innerJoin('files', 'files.id', 'classify_runs.file_id')
    .selectAll('classify_runs')
    .select('files.sha256 as sha256')
    .where('classify_runs.workspace_id', '=', workspaceId)
    .where('classify_runs.classifier_id', '=', classifierId)
    .where('classify_runs.review_status', '=', 'reviewed')
    .where('classify_runs.reviewed_from', 'is', null)
    .orderBy('classify_runs.updated_at', 'desc')
    .orderBy('classify_runs.id', 'desc')
    .limit(limit * 4)
    .execute();
  const seenDocuments = new Set<string>();
  const newestPerFile: RunRow[] = [];
  for (const { sha256, ...row } of rows) {
    if (seenDocuments.has(sha256)) continue;
    seenDocuments.add(sha256);
    newestPerFile.push(row);
    if (newestPerFile.length === limit) break;
  }
  return newestPerFile;
}

export async function insertEvaluation(
  db: Kysely<Database>,
  input: { workspaceId: string; classifierId: string; version: number; runIds: string[] },
): Promise<EvaluationRow> {
  const now = Date.now();
  const row: EvaluationRow = {
    id: createId('evaluation'),
    workspace_id: input.workspaceId,
    classifier_id: input.classifierId,
    version: input.version,
    status: 'queued',
    total: input.runIds.length,
    done: 0,
    run_ids: toJsonColumn(input.runIds),
    predictions: '[]',
    error: null,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('evaluations').values(row).execute();
  return row;
}

/** By id in any workspace: for the job, which holds an id it was given. Requests use `getEvaluationInWorkspace`. */
export async function getEvaluation(db: Kysely<Database>, id: string): Promise<EvaluationRow | undefined> {
  return db.selectFrom('evaluations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Another workspace's evaluation is not found, as if it did not exist. */
export async function getEvaluationInWorkspace(db: Kysely<Database>, workspaceId: string, id: string): Promise<EvaluationRow | undefined> {
  return db.selectFrom('evaluations').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
}

export async function listEvaluations(
  db: Kysely<Database>,
  workspaceId: string,
  classifierId: string,
  limit = 20,
): Promise<EvaluationRow[]> {
  return db
    .selectFrom('evaluations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('classifier_id', '=', classifierId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Records one more scored run (or a run that could no longer be scored) and the progress. */
export async function appendEvaluationPrediction<P>(db: Kysely<Database>, id: string, predictions: P[]): Promise<void> {
  await db
    .updateTable('evaluations')
    .set({ status: 'running', predictions: toJsonColumn(predictions), done: predictions.length, updated_at: Date.now() })
    .where('id', '=', id)
    .execute();
}

export async function finishEvaluation(db: Kysely<Database>, id: string, outcome: { error: string | null }): Promise<void> {
  await db
    .updateTable('evaluations')
    .set({ status: outcome.error ? 'failed' : 'succeeded', error: outcome.error, updated_at: Date.now() })
    .where('id', '=', id)
    .execute();
}

export function readEvaluationPredictions<P>(row: EvaluationRow): P[] {
  return fromJsonColumn<P[]>(row.predictions);
}

export function readEvaluationRunIds(row: EvaluationRow): string[] {
  return fromJsonColumn<string[]>(row.run_ids);
}
