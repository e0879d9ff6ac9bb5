/**
 * Classify runs: sync (`POST /v1/classify`, bounded wait) and async (`POST /v1/classify_runs`),
 * lookup and listing, cancel, redo and review.
 */
import { CreateRunBody, ExpandQuery, ReviewBody, RunCountsQuery, RunListQuery } from '../core/api-requests.js';
import { ClassifyRun, RunCounts, RunPage } from '../core/api-types.js';
import { AppError } from '../core/errors.js';
import type { Deps } from '../deps.js';
import { toRunView, type RunViewOptions } from '../runs/run-view.js';
import { cancelRun, redoRun, requireRun, reviewRun, waitForSyncResult } from '../runs/runs.service.js';
import { countRuns, listRuns, type RunFilters } from '../store/runs.queries.js';
import { cutPage, decodeCursor, pageLimit } from './pagination.js';
import { createRunFromRequest } from './run-request.js';
import type { ApiInstance } from './api-instance.js';
import { ERROR_RESPONSES, IdParams, RunForm } from './schemas.js';

const CREATE_BODY = { content: { 'application/json': { schema: CreateRunBody } } };

function viewOptions(query: ExpandQuery): RunViewOptions {
  return query.expand ? { expand: [query.expand] } : {};
}

function parseDate(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new AppError('invalid_request', `${name} must be an RFC 3339 date-time, e.g. 2026-01-31T00:00:00Z.`);
  return ms;
}

function runFilters(query: RunCountsQuery): RunFilters {
  return {
    classifierId: query.classifier_id,
    status: query.status,
    class: query.class,
    tag: query.tag,
    batchId: query.batch_id,
    reviewStatus: query.review_status,
    fileNameContains: query.q?.trim() || undefined,
    createdFrom: parseDate(query.created_after, 'created_after'),
    createdTo: parseDate(query.created_before, 'created_before'),
  };
}

export function registerClassifyRunRoutes(app: ApiInstance, deps: Deps): void {
  app.post(
    '/v1/classify',
    {
      schema: {
        summary: 'Classify a file and wait for the result (up to SYNC_TIMEOUT_SECONDS, then 504 with run_id)',
        operationId: 'classifyFile',
        tags: ['classify runs'],
        consumes: ['application/json', 'multipart/form-data'],
        querystring: ExpandQuery,
        body: CREATE_BODY,
        multipartBody: RunForm,
        response: { 200: ClassifyRun, 504: ERROR_RESPONSES[500], ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const run = await createRunFromRequest(request, deps);
      return toRunView(await waitForSyncResult(deps, run), viewOptions(request.query));
    },
  );

  app.post(
    '/v1/classify_runs',
    {
      schema: {
        summary: 'Start a classify run; poll it or get a webhook',
        operationId: 'createClassifyRun',
        tags: ['classify runs'],
        consumes: ['application/json', 'multipart/form-data'],
        body: CREATE_BODY,
        multipartBody: RunForm,
        response: { 202: ClassifyRun, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const run = await createRunFromRequest(request, deps);
      return reply.code(202).send(toRunView(run));
    },
  );

  app.get(
    '/v1/classify_runs',
    {
      schema: {
        summary: 'List runs, newest first, with filters',
        operationId: 'listClassifyRuns',
        tags: ['classify runs'],
        querystring: RunListQuery,
        response: { 200: RunPage, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { query } = request;
      const limit = pageLimit(query.limit);
      const rows = await listRuns(deps.store.db, request.workspaceId, runFilters(query), {
        limit: limit + 1,
        after: decodeCursor(query.cursor),
      });
      const { page, has_more, next_cursor } = cutPage(rows, limit, (row) => ({ createdAt: row.created_at, id: row.id }));
      const options = viewOptions(query);
      return { object: 'list' as const, data: page.map((row) => toRunView(row, options)), has_more, next_cursor };
    },
  );

  app.get(
    '/v1/classify_runs/counts',
    {
      schema: {
        summary: 'How many runs each filter value would list (the review queue counts), under the other filters given',
        operationId: 'countClassifyRuns',
        tags: ['classify runs'],
        querystring: RunCountsQuery,
        response: { 200: RunCounts, ...ERROR_RESPONSES },
      },
    },
    async (request) => ({
      object: 'classify_run_counts' as const,
      ...(await countRuns(deps.store.db, request.workspaceId, runFilters(request.query))),
    }),
  );

  app.get(
    '/v1/classify_runs/:id',
    {
      schema: {
        summary: 'A classify run',
        operationId: 'getClassifyRun',
        tags: ['classify runs'],
        params: IdParams,
        querystring: ExpandQuery,
        response: { 200: ClassifyRun, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { id } = request.params;
      return toRunView(await requireRun(deps, request.workspaceId, id), viewOptions(request.query));
    },
  );

  app.post(
    '/v1/classify_runs/:id/cancel',
    {
      schema: {
        summary: 'Cancel a PENDING or PROCESSING run',
        operationId: 'cancelClassifyRun',
        tags: ['classify runs'],
        params: IdParams,
        response: { 200: ClassifyRun, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { id } = request.params;
      return toRunView(await cancelRun(deps, request.workspaceId, id));
    },
  );

  app.post(
    '/v1/classify_runs/:id/redo',
    {
      schema: {
        summary: "A fresh run of the same file with the classifier's current version; a review carries over",
        operationId: 'redoClassifyRun',
        tags: ['classify runs'],
        params: IdParams,
        response: { 202: ClassifyRun, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      return reply.code(202).send(toRunView(await redoRun(deps, request.workspaceId, id, request.apiKey?.id ?? null)));
    },
  );

  app.patch(
    '/v1/classify_runs/:id',
    {
      schema: {
        summary: 'Review a run: the reviewed output sticks beside the initial one and trains the classifier',
        operationId: 'reviewClassifyRun',
        tags: ['classify runs'],
        params: IdParams,
        body: ReviewBody,
        response: { 200: ClassifyRun, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { id } = request.params;
      return toRunView(await reviewRun(deps, request.workspaceId, id, request.body.reviewed_output));
    },
  );
}
