/**
 * Evaluation of a classifier on its reviewed runs: the numbers as the runs ran, and re-runs of
 * the set against a chosen version as jobs with progress.
 */
import { CreateEvaluationBody } from '../core/api-requests.js';
import { ClassifierEvaluationView, EvaluationList, EvaluationView } from '../core/api-types.js';
import type { Deps } from '../deps.js';
import {
  evaluateReviewedRuns,
  listClassifierEvaluations,
  requireEvaluation,
  startEvaluation,
  toEvaluationView,
} from '../runs/evaluations.service.js';
import type { ApiInstance } from './api-instance.js';
import { ERROR_RESPONSES, IdParams } from './schemas.js';

export function registerEvaluationRoutes(app: ApiInstance, deps: Deps): void {
  app.get(
    '/v1/classifiers/:id/evaluation',
    {
      schema: {
        summary: "Accuracy of a classifier's reviewed runs as they ran: per-class precision/recall, confusion matrix, reliability",
        operationId: 'getClassifierEvaluation',
        tags: ['evaluations'],
        params: IdParams,
        response: { 200: ClassifierEvaluationView, ...ERROR_RESPONSES },
      },
    },
    async (request) => evaluateReviewedRuns(deps, request.workspaceId, request.params.id),
  );

  app.post(
    '/v1/classifiers/:id/evaluations',
    {
      schema: {
        summary: 'Classify the reviewed runs again with a version (a job); poll GET /v1/evaluations/:id for progress',
        operationId: 'createEvaluation',
        tags: ['evaluations'],
        params: IdParams,
        body: CreateEvaluationBody,
        response: { 202: EvaluationView, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const row = await startEvaluation(deps, request.workspaceId, request.params.id, request.body?.version);
      return reply.code(202).send(toEvaluationView(row));
    },
  );

  app.get(
    '/v1/classifiers/:id/evaluations',
    {
      schema: {
        summary: "A classifier's evaluation re-runs, newest first (the last 20)",
        operationId: 'listClassifierEvaluations',
        tags: ['evaluations'],
        params: IdParams,
        response: { 200: EvaluationList, ...ERROR_RESPONSES },
      },
    },
    async (request) => ({
      object: 'list' as const,
      data: (await listClassifierEvaluations(deps, request.workspaceId, request.params.id)).map(toEvaluationView),
    }),
  );

  app.get(
    '/v1/evaluations/:id',
    {
      schema: {
        summary: 'An evaluation re-run: status, progress and the numbers so far',
        operationId: 'getEvaluation',
        tags: ['evaluations'],
        params: IdParams,
        response: { 200: EvaluationView, ...ERROR_RESPONSES },
      },
    },
    async (request) => toEvaluationView(await requireEvaluation(deps, request.workspaceId, request.params.id)),
  );
}
