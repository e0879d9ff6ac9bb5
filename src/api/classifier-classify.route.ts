/**
 * `POST /v1/classifiers/:id/classify`: a saved classifier applied to an uploaded file, answered
 * in DocumentPro's shape (one label, a score for every label, credits, pages, seconds).
 */
import { Type } from '@sinclair/typebox';
import type { Deps } from '../deps.js';
import { finalOutput } from '../runs/run-view.js';
import { createRun } from '../runs/runs.service.js';
import type { ApiInstance } from './api-instance.js';
import { ERROR_RESPONSES, IdParams } from './schemas.js';
import { requireClassifier, requireFile } from './lookups.js';
import { waitForSyncResult } from '../runs/runs.service.js';

const ClassifyBody = Type.Object(
  {
    document_id: Type.String({ minLength: 1, description: 'The file id (file_…).' }),
    page_range: Type.Optional(
      Type.String({ maxLength: 200, description: 'Overrides the classifier\'s page range for this call, e.g. "1-3".' }),
    ),
    query_model: Type.Optional(Type.String({ maxLength: 200, description: 'Overrides the model for this call (llm engine).' })),
  },
  { additionalProperties: false },
);

const ClassifyAnswer = Type.Object(
  {
    request_id: Type.String({ description: 'The run id (clr_…).' }),
    document_id: Type.String(),
    classifier_id: Type.String(),
    version: Type.Integer(),
    classification: Type.Union([Type.String(), Type.Null()]),
    confidence_scores: Type.Record(Type.String(), Type.Number()),
    request_status: Type.Union([Type.Literal('completed'), Type.Literal('failed')]),
    credits_used: Type.Number(),
    num_pages: Type.Integer(),
    duration: Type.Number({ description: 'Seconds.' }),
    failure_reason: Type.Optional(Type.String()),
    failure_message: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

export function registerClassifierClassifyRoutes(app: ApiInstance, deps: Deps): void {
  app.post(
    '/v1/classifiers/:id/classify',
    {
      schema: {
        operationId: 'classifyWithClassifier',
        summary: 'Classify an uploaded file with a saved classifier and wait for the answer',
        tags: ['classifiers'],
        params: IdParams,
        body: ClassifyBody,
        response: { 200: ClassifyAnswer, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { body } = request;
      const classifier = await requireClassifier(deps, request.workspaceId, id);
      const file = await requireFile(deps, request.workspaceId, body.document_id);
      const run = await createRun(deps, {
        workspaceId: request.workspaceId,
        fileId: file.id,
        classifier: { id: classifier.id },
        pageRange: body.page_range ?? null,
        queryModel: body.query_model ?? null,
        apiKeyId: request.apiKey?.id ?? null,
      });
      const finished = await waitForSyncResult(deps, run);
      const output = finalOutput(finished);
      return {
        request_id: finished.id,
        document_id: file.id,
        classifier_id: classifier.id,
        version: finished.classifier_version ?? classifier.version,
        classification: output?.classification.class ?? null,
        confidence_scores: output?.confidence_scores ?? {},
        request_status: finished.status === 'PROCESSED' ? ('completed' as const) : ('failed' as const),
        credits_used: finished.credits ?? 0,
        num_pages: finished.num_pages ?? 0,
        duration: (finished.duration_ms ?? 0) / 1000,
        ...(finished.status === 'PROCESSED'
          ? {}
          : { failure_reason: finished.failure_reason ?? 'ABORTED', failure_message: finished.failure_message ?? '' }),
      };
    },
  );
}
