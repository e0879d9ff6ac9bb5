/**
 * Classifies each run of an evaluation set again with the chosen version and records what it
 * says beside the review. Progress is saved after every run, so a retried job goes on where it
 * stopped. A file's own examples (reviews of the same bytes) are left out of training, so a
 * version is not scored on documents it was shown the answer for.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { EvaluationItem } from '../core/api-types.js';
import type { ClassificationOutput } from '../core/classifier.js';
import { AppError } from '../core/errors.js';
import type { Deps } from '../deps.js';
import { defineJob } from '../jobs/job-registry.js';
import { getClassifierVersion, getTrainingExamples } from '../store/classifiers.queries.js';
import {
  appendEvaluationPrediction,
  finishEvaluation,
  getEvaluation,
  readEvaluationPredictions,
  readEvaluationRunIds,
} from '../store/evaluations.queries.js';
import { getFile } from '../store/files.queries.js';
import { fromJsonColumn } from '../store/json-column.js';
import { getRun } from '../store/runs.queries.js';
import { EVALUATION_JOB } from './evaluations.service.js';
import { readFilePages } from './read-file-pages.js';

const EvaluateVersionPayload = Type.Object({ evaluationId: Type.String({ minLength: 1 }) }, { additionalProperties: false });
type EvaluateVersionPayload = Static<typeof EvaluateVersionPayload>;

async function scoreRun(deps: Deps, runId: string, classifierId: string, version: number): Promise<EvaluationItem> {
  const run = await getRun(deps.store.db, runId);
  const reviewed = run?.reviewed_output ? fromJsonColumn<ClassificationOutput>(run.reviewed_output).classification.class : null;
  const item: EvaluationItem = {
    run_id: runId,
    file_name: run?.file_name ?? null,
    version,
    reviewed_class: reviewed ?? 'unknown',
    predicted: null,
    confidence: 0,
    error: null,
  };
  const file = run ? await getFile(deps.store.db, run.workspace_id, run.file_id) : undefined;
  if (!run || !reviewed || !file) return { ...item, error: 'The run or its file was deleted after the evaluation started.' };
  const definition = await getClassifierVersion(deps.store.db, classifierId, version);
  if (!definition) throw new AppError('not_found', `Classifier "${classifierId}" has no version ${version}.`);
  const settings = definition.definition.settings ?? {};
  try {
    const document = await readFilePages(deps, file, { pageRange: run.page_range ?? settings.page_range, maxPages: settings.max_pages });
    const examples = await getTrainingExamples(deps.store.db, classifierId, { exceptSha256: file.sha256 });
    const output = await deps.classifier.classifyPages(document.pages, { classifier: definition.definition, examples });
    return { ...item, predicted: output.classification.class, confidence: output.classification.confidence };
  } catch (error) {
    // A file that cannot be read again is reported in the evaluation, not fatal to it.
    if (error instanceof AppError && error.code !== 'internal_error') return { ...item, error: error.message };
    throw error;
  }
}

export const evaluateVersionJob = defineJob<EvaluateVersionPayload, Deps>({
  name: EVALUATION_JOB,
  version: 1,
  payload: EvaluateVersionPayload,
  logFields: ({ evaluationId }) => ({ evaluationId }),

  async run({ evaluationId }, { deps, signal }) {
    const evaluation = await getEvaluation(deps.store.db, evaluationId);
    if (!evaluation || evaluation.status === 'succeeded' || evaluation.status === 'failed') return;
    const predictions = readEvaluationPredictions<EvaluationItem>(evaluation);
    const runIds = readEvaluationRunIds(evaluation);
    await appendEvaluationPrediction(deps.store.db, evaluationId, predictions);
    for (const runId of runIds.slice(predictions.length)) {
      if (signal.aborted) return;
      predictions.push(await scoreRun(deps, runId, evaluation.classifier_id, evaluation.version));
      await appendEvaluationPrediction(deps.store.db, evaluationId, predictions);
    }
    await finishEvaluation(deps.store.db, evaluationId, { error: null });
  },

  async onFailure({ evaluationId }, error, { deps }) {
    await finishEvaluation(deps.store.db, evaluationId, {
      error: error.code === 'internal_error' ? 'An internal error stopped this evaluation; it has been logged.' : error.message,
    });
  },
});
