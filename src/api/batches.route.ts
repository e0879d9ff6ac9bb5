/**
 * Batches: many files through one saved classifier in one request (multipart files, or a JSON
 * list of file ids and URLs); one run per file, and a batch view with each file's verdict.
 */
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { BatchBody } from '../core/api-requests.js';
import { BatchPage, type BatchSummary, BatchView } from '../core/api-types.js';
import { AppError } from '../core/errors.js';
import { isFinalRunStatus, RUN_STATUSES } from '../core/run.js';
import type { Deps } from '../deps.js';
import { dropSupersededRuns, finalOutput, toRfc3339 } from '../runs/run-view.js';
import { cancelRun, checkMetadata, createRun, readUsageTags } from '../runs/runs.service.js';
import { validatePageRange } from '../core/page-range.js';
import { getBatch, insertBatch, listBatches, markBatchCancelled } from '../store/batches.queries.js';
import { getFile } from '../store/files.queries.js';
import { createId } from '../store/ids.js';
import { listBatchRuns } from '../store/runs.queries.js';
import type { BatchRow, FileRow, RunRow } from '../store/schema.js';
import { discardStoredFiles } from './file-ingest.js';
import type { ApiInstance } from './api-instance.js';
import { assertMatches, readJsonField, readMultipart, type RejectedFile } from './multipart-body.js';
import { BatchForm, ERROR_RESPONSES, IdParams } from './schemas.js';
import { cutPage, decodeCursor, PageQuery, pageLimit } from './pagination.js';
import { requireClassifier, resolveFileReference } from './lookups.js';

const batchBody = TypeCompiler.Compile(BatchBody);

function batchStatus(batch: BatchRow, runs: RunRow[]): BatchSummary['status'] {
  if (batch.cancelled_at !== null) return 'cancelled';
  const finished = runs.filter((run) => isFinalRunStatus(run.status)).length;
  const started = runs.filter((run) => run.status !== 'PENDING').length;
  return finished === runs.length ? 'processed' : started === 0 ? 'queued' : 'processing';
}

function countByStatus(runs: RunRow[]): BatchSummary['counts'] {
  const counts = Object.fromEntries(RUN_STATUSES.map((status) => [status, 0])) as BatchSummary['counts'];
  for (const run of runs) counts[run.status] += 1;
  return counts;
}

/** The batch's newest run of each file: a redo of a batch run joins the batch, and the file is shown with that run only. */
async function currentBatchRuns(deps: Deps, batch: BatchRow): Promise<RunRow[]> {
  return dropSupersededRuns(await listBatchRuns(deps.store.db, batch.id));
}

function toBatchSummary(batch: BatchRow, runs: RunRow[]): BatchSummary {
  return {
    object: 'batch' as const,
    id: batch.id,
    classifier_id: batch.classifier_id,
    status: batchStatus(batch, runs),
    file_count: batch.file_count,
    counts: countByStatus(runs),
    metadata: batch.metadata ? (JSON.parse(batch.metadata) as Record<string, unknown>) : null,
    created_at: toRfc3339(batch.created_at),
    cancelled_at: batch.cancelled_at === null ? null : toRfc3339(batch.cancelled_at),
  };
}

async function toBatchView(deps: Deps, batch: BatchRow): Promise<BatchView> {
  const runs = await currentBatchRuns(deps, batch);
  const files = await Promise.all(
    runs.map(async (run) => {
      const file = await getFile(deps.store.db, batch.workspace_id, run.file_id);
      const output = finalOutput(run);
      return {
        file_id: run.file_id,
        file_name: file?.name ?? null,
        run_id: run.id,
        status: run.status,
        class: output?.classification.class ?? null,
        confidence: output?.classification.confidence ?? null,
        reason: output?.classification.reason ?? null,
        reviewed: run.reviewed === 1,
        failure_reason: run.failure_reason,
        failure_code: run.failure_code,
      };
    }),
  );
  return { ...toBatchSummary(batch, runs), files };
}

async function requireBatch(deps: Deps, workspaceId: string, id: string): Promise<BatchRow> {
  const batch = await getBatch(deps.store.db, workspaceId, id);
  if (!batch) throw new AppError('not_found', `No batch "${id}"; list them with GET /v1/batches.`);
  return batch;
}

/**
 * Cancels every run of the batch that has not finished; finished ones keep their results. A run
 * that finishes while this runs is left as it finished (its cancel answers `conflict`).
 */
async function cancelBatch(deps: Deps, batch: BatchRow): Promise<BatchRow> {
  const cancelled = await markBatchCancelled(deps.store.db, batch.workspace_id, batch.id, Date.now());
  for (const run of await listBatchRuns(deps.store.db, batch.id)) {
    if (isFinalRunStatus(run.status)) continue;
    try {
      await cancelRun(deps, batch.workspace_id, run.id);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
    }
  }
  return cancelled ?? batch;
}

const BatchListQuery = Type.Object(
  { classifier_id: Type.Optional(Type.String({ maxLength: 100 })), ...PageQuery.properties },
  { additionalProperties: false },
);

export function registerBatchRoutes(app: ApiInstance, deps: Deps): void {
  app.post(
    '/v1/classifiers/:id/batches',
    {
      schema: {
        operationId: 'createBatch',
        summary: 'Classify many files at once (multipart files, or JSON { files: [{ id } | { url }] })',
        tags: ['batches'],
        params: IdParams,
        consumes: ['multipart/form-data', 'application/json'],
        body: { content: { 'application/json': { schema: BatchBody } } },
        multipartBody: BatchForm,
        response: { 202: BatchView, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const classifier = await requireClassifier(deps, request.workspaceId, id);
      const max = deps.config.maxBatchFiles;
      let files: FileRow[];
      let rejected: RejectedFile[];
      let metadata: unknown;
      let pageRange: string | undefined;
      let deleteFileAfter = false;
      let uploaded: FileRow[] = [];
      let fields: Record<string, string> | null = null;
      if (request.isMultipart()) {
        const body = await readMultipart(request, deps, max, { perFile: true, fields: ['metadata', 'page_range'] });
        files = body.files;
        uploaded = body.files;
        rejected = body.rejected;
        fields = body.fields;
        pageRange = body.fields.page_range;
        deleteFileAfter = body.fields.delete_file_after === 'true';
      } else {
        // Fastify has checked a JSON body against BatchBody already; this gives it its type.
        const body = request.body === undefined ? undefined : assertMatches(batchBody, request.body);
        if (!body) throw new AppError('invalid_request', 'Send files as multipart/form-data, or JSON { "files": [{ "id" } | { "url" }] }.');
        if (body.files.length > max)
          throw new AppError('payload_too_large', `Too many files: ${body.files.length} sent, at most ${max} allowed in one batch.`);
        metadata = body.metadata;
        pageRange = body.page_range;
        deleteFileAfter = body.delete_file_after ?? false;
        files = [];
        rejected = [];
        // One bad reference does not sink the batch: it is answered in `rejected_files`.
        for (const reference of body.files) {
          try {
            files.push(await resolveFileReference(deps, request.workspaceId, reference, uploaded));
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            rejected.push({ file_name: 'id' in reference ? reference.id : reference.url, error });
          }
        }
      }
      if (files.length === 0) {
        if (rejected.length > 0) throw rejected[0].error;
        throw new AppError('invalid_request', 'The batch has no files.');
      }
      // Everything the runs would refuse is checked before the batch row exists, so a bad request leaves no empty batch.
      let checked: Record<string, unknown> | null;
      try {
        if (fields) metadata = readJsonField(fields, 'metadata');
        checked = checkMetadata(metadata, deps.config.maxMetadataBytes);
        readUsageTags(checked);
        if (pageRange !== undefined) validatePageRange(pageRange);
      } catch (error) {
        // Files uploaded with a refused request are not kept.
        await discardStoredFiles(deps, uploaded);
        throw error;
      }
      const batch: BatchRow = {
        id: createId('batch'),
        workspace_id: request.workspaceId,
        classifier_id: classifier.id,
        file_count: files.length,
        metadata: checked ? JSON.stringify(checked) : null,
        created_at: Date.now(),
        cancelled_at: null,
      };
      // The batch and all its runs commit together: a crash never leaves a batch with some of its files.
      await deps.store.db.transaction().execute(async (trx) => {
        await insertBatch(trx, batch);
        for (const [index, file] of files.entries()) {
          const input = {
            workspaceId: request.workspaceId,
            fileId: file.id,
            classifier: { id: classifier.id, version: classifier.version },
            batchId: batch.id,
            metadata: checked,
            pageRange: pageRange ?? null,
            deleteFileAfter,
            apiKeyId: request.apiKey?.id ?? null,
          };
          await createRun(deps, { ...input, createdAt: batch.created_at + index }, trx);
        }
      });
      deps.queue.wake();
      const view = await toBatchView(deps, batch);
      const rejectedFiles = rejected.map((item) => ({ file_name: item.file_name, error: item.error.code, message: item.error.message }));
      return reply.code(202).send({ ...view, rejected_files: rejectedFiles });
    },
  );

  app.get(
    '/v1/batches/:id',
    {
      schema: {
        operationId: 'getBatch',
        summary: "A batch with its counts by run status and each file's status and verdict",
        tags: ['batches'],
        params: IdParams,
        response: { 200: BatchView, ...ERROR_RESPONSES },
      },
    },
    async (request) => toBatchView(deps, await requireBatch(deps, request.workspaceId, request.params.id)),
  );

  app.get(
    '/v1/batches',
    {
      schema: {
        operationId: 'listBatches',
        summary: 'List batches, newest first, each with its counts by run status',
        tags: ['batches'],
        querystring: BatchListQuery,
        response: { 200: BatchPage, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { query } = request;
      const limit = pageLimit(query.limit);
      const rows = await listBatches(deps.store.db, request.workspaceId, {
        limit: limit + 1,
        classifierId: query.classifier_id,
        after: decodeCursor(query.cursor),
      });
      const { page, has_more, next_cursor } = cutPage(rows, limit, (row) => ({ createdAt: row.created_at, id: row.id }));
      const data = await Promise.all(page.map(async (batch) => toBatchSummary(batch, await currentBatchRuns(deps, batch))));
      return { object: 'list' as const, data, has_more, next_cursor };
    },
  );

  app.post(
    '/v1/batches/:id/cancel',
    {
      schema: {
        operationId: 'cancelBatch',
        summary: 'Cancel the runs of a batch that have not finished; finished ones keep their results',
        tags: ['batches'],
        params: IdParams,
        response: { 200: BatchView, ...ERROR_RESPONSES },
      },
    },
    async (request) => toBatchView(deps, await cancelBatch(deps, await requireBatch(deps, request.workspaceId, request.params.id))),
  );
}
