/**
 * A classifier's evaluation set is its reviewed runs. Two questions about it: how did the runs
 * do when they ran (their initial output against the review), and how would version N do on them
 * now (an `evaluations.run` job classifying each file again, leaving out the file's own example).
 */
import type { ClassifierEvaluationView, EvaluationItem, EvaluationView } from '../core/api-types.js';
import type { ClassificationOutput } from '../core/classifier.js';
import { AppError } from '../core/errors.js';
import type { Deps } from '../deps.js';
import { getClassifier, getClassifierVersion } from '../store/classifiers.queries.js';
import {
  getEvaluationInWorkspace,
  insertEvaluation,
  listEvaluations,
  listReviewedRuns,
  readEvaluationPredictions,
} from '../store/evaluations.queries.js';
import { fromJsonColumn } from '../store/json-column.js';
import type { EvaluationRow, RunRow } from '../store/schema.js';
import { buildEvaluationReport } from './evaluation-report.js';
import { toRfc3339 } from './run-view.js';

export const EVALUATION_JOB = 'evaluations.run';

/** Runs an evaluation covers at most: a re-run classifies each of them again. */
export const MAX_EVALUATION_RUNS = 500;

function reviewedClassOf(run: RunRow): string | null {
  return run.reviewed_output ? fromJsonColumn<ClassificationOutput>(run.reviewed_output).classification.class : null;
}

/** What the run said when it ran, against what a person said. */
function itemOfRun(run: RunRow): EvaluationItem | null {
  const reviewed = reviewedClassOf(run);
  if (!reviewed || !run.initial_output) return null;
  const initial = fromJsonColumn<ClassificationOutput>(run.initial_output);
  return {
    run_id: run.id,
    file_name: run.file_name,
    version: run.classifier_version,
    reviewed_class: reviewed,
    predicted: initial.classification.class,
    confidence: initial.classification.confidence,
    error: null,
  };
}

async function requireClassifierRecord(deps: Deps, workspaceId: string, classifierId: string) {
  const classifier = await getClassifier(deps.store.db, workspaceId, classifierId);
  if (!classifier) throw new AppError('not_found', `No classifier "${classifierId}"; create one with POST /v1/classifiers.`);
  return classifier;
}

export async function evaluateReviewedRuns(deps: Deps, workspaceId: string, classifierId: string): Promise<ClassifierEvaluationView> {
  const classifier = await requireClassifierRecord(deps, workspaceId, classifierId);
  const runs = await listReviewedRuns(deps.store.db, workspaceId, classifierId, MAX_EVALUATION_RUNS);
  const items = runs.map(itemOfRun).filter((item): item is EvaluationItem => item !== null);
  return { object: 'classifier_evaluation', classifier_id: classifierId, version: classifier.version, ...buildEvaluationReport(items) };
}

export function toEvaluationView(row: EvaluationRow): EvaluationView {
  return {
    object: 'evaluation',
    id: row.id,
    classifier_id: row.classifier_id,
    version: row.version,
    status: row.status,
    total: row.total,
    done: row.done,
    error: row.error,
    report: buildEvaluationReport(readEvaluationPredictions<EvaluationItem>(row)),
    created_at: toRfc3339(row.created_at),
    updated_at: toRfc3339(row.updated_at),
  };
}

/** Fixes the set (the reviewed runs as they are now) and queues the job that classifies it again. */
export async function startEvaluation(
  deps: Deps,
  workspaceId: string,
  classifierId: string,
  version: number | undefined,
): Promise<EvaluationRow> {
  const classifier = await requireClassifierRecord(deps, workspaceId, classifierId);
  const chosen = version ?? classifier.version;
  if (!(await getClassifierVersion(deps.store.db, classifierId, chosen)))
    throw new AppError('not_found', `Classifier "${classifierId}" has no version ${chosen}; its latest is ${classifier.version}.`);
  const runs = await listReviewedRuns(deps.store.db, workspaceId, classifierId, MAX_EVALUATION_RUNS);
  if (runs.length === 0)
    throw new AppError(
      'conflict',
      `Classifier "${classifierId}" has no reviewed runs yet; review some runs (PATCH /v1/classify_runs/:id) to make its evaluation set.`,
    );
  const row = await deps.store.db.transaction().execute(async (trx) => {
    const inserted = await insertEvaluation(trx, { workspaceId, classifierId, version: chosen, runIds: runs.map((run) => run.id) });
    await deps.queue.enqueue(trx, EVALUATION_JOB, { evaluationId: inserted.id }, { id: `job_${inserted.id}` });
    return inserted;
  });
  deps.queue.wake();
  return row;
}

export async function requireEvaluation(deps: Deps, workspaceId: string, id: string): Promise<EvaluationRow> {
  const row = await getEvaluationInWorkspace(deps.store.db, workspaceId, id);
  if (!row) throw new AppError('not_found', `No evaluation "${id}".`);
  return row;
}

export async function listClassifierEvaluations(deps: Deps, workspaceId: string, classifierId: string): Promise<EvaluationRow[]> {
  await requireClassifierRecord(deps, workspaceId, classifierId);
  return listEvaluations(deps.store.db, workspaceId, classifierId);
}
