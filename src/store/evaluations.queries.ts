/** Evaluations: a classifier's reviewed runs re-run against one version, with progress kept as the job goes. */
import type { Kysely } from 'kysely';
import type { Database, EvaluationRow, RunRow } from './schema.js';
import { createId } from './ids.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';

/** The evaluation set: a classifier's reviewed runs, the newest review of each file only, newest first. */
export async function listReviewedRuns(db: Kysely<Database>, classifierId: string, limit = 1000): Promise<RunRow[]> {
  const rows = await db
    .selectFrom('classify_runs')
    .selectAll()
    .where('classifier_id', '=', classifierId)
    .where('review_status', '=', 'reviewed')
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit * 4)
    .execute();
  const seenFiles = new Set<string>();
  const newestPerFile: RunRow[] = [];
  for (const row of rows) {
    if (seenFiles.has(row.file_id)) continue;
    seenFiles.add(row.file_id);
    newestPerFile.push(row);
    if (newestPerFile.length === limit) break;
  }
  return newestPerFile;
}

export async function insertEvaluation(
  db: Kysely<Database>,
  input: { classifierId: string; version: number; runIds: string[] },
): Promise<EvaluationRow> {
  const now = Date.now();
  const row: EvaluationRow = {
    id: createId('evaluation'),
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

export async function getEvaluation(db: Kysely<Database>, id: string): Promise<EvaluationRow | undefined> {
  return db.selectFrom('evaluations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listEvaluations(db: Kysely<Database>, classifierId: string, limit = 20): Promise<EvaluationRow[]> {
  return db
    .selectFrom('evaluations')
    .selectAll()
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
