/**
 * What a run's life announces. Called inside the transaction that changes the run, so
 * an event and its deliveries exist exactly when the change does (delivered at least once);
 * the HTTP work happens later in delivery jobs, so a slow receiver never holds a run up.
 *
 * - PROCESSED → `classify_run.processed`, `file.classified`, and `file.routed` for each class
 *   route the output lands in; FAILED → `classify_run.failed`; either, when the run needs a
 *   person (`review_status: needs_review`) → `classify_run.needs_review` too.
 * - reviewed → `classify_run.reviewed`, and `file.routed` again when the review moves the file
 *   to a class (or pages to a segment) with a route it was not routed to before.
 * - the last run of a batch to finish → `batch.processed`.
 */
import type { Kysely } from 'kysely';
import type { ClassificationOutput, ClassifierDefinition } from '../core/classifier.js';
import { isFinalRunStatus } from '../core/run.js';
import type { JobQueue } from '../jobs/queue.js';
import { dropSupersededRuns, finalOutput, toRunView } from './run-view.js';
import type { DialectCapabilities } from '../store/database.js';
import { getFile } from '../store/files.queries.js';
import { fromJsonColumn } from '../store/json-column.js';
import type { Database, RunRow } from '../store/schema.js';
import { emitEvent, resolveRoute } from '../notify/emit-event.js';

export interface RunNotificationOptions {
  queue: JobQueue;
  dialect: DialectCapabilities;
  /** Told about a class route that names no webhook (the run itself is fine). */
  warn(object: object, message: string): void;
}

/** Called by `runs.service` inside the transaction that closes `run` (PROCESSED, FAILED or CANCELLED). */
export async function announceRunFinished(trx: Kysely<Database>, options: RunNotificationOptions, run: RunRow): Promise<void> {
  if (run.status === 'PROCESSED') {
    await emitEvent(trx, options.queue, run.workspace_id, 'classify_run.processed', { run: toRunView(run) });
    await emitFileClassified(trx, options, run);
    await routeRun(trx, options, run, 'classified');
  } else if (run.status === 'FAILED') {
    await emitEvent(trx, options.queue, run.workspace_id, 'classify_run.failed', { run: toRunView(run) });
  }
  if (run.review_status === 'needs_review')
    await emitEvent(trx, options.queue, run.workspace_id, 'classify_run.needs_review', { run: toRunView(run) });
  if (run.batch_id) await emitBatchProcessedIfDone(trx, options, run.workspace_id, run.batch_id);
  options.queue.wake();
}

/** Called by `runs.service` inside the transaction that records a person's review of `run`. */
export async function announceRunReviewed(trx: Kysely<Database>, options: RunNotificationOptions, run: RunRow): Promise<void> {
  await emitEvent(trx, options.queue, run.workspace_id, 'classify_run.reviewed', { run: toRunView(run) });
  await routeRun(trx, options, run, 'reviewed');
  options.queue.wake();
}

async function emitFileClassified(trx: Kysely<Database>, options: RunNotificationOptions, run: RunRow): Promise<void> {
  const output = finalOutput(run);
  if (!output) return;
  await emitEvent(trx, options.queue, run.workspace_id, 'file.classified', {
    file_id: run.file_id,
    run_id: run.id,
    batch_id: run.batch_id,
    classifier: run.classifier_id ? { id: run.classifier_id, version: run.classifier_version } : null,
    class: output.classification.class,
    confidence: output.classification.confidence,
    reason: output.classification.reason,
    suggested_class: output.classification.suggested_class,
    metadata: fromJsonColumn<Record<string, unknown>>(run.metadata),
  });
}

export interface RouteTarget {
  class: string;
  route: string;
  /** The pages of a split segment; null when the whole file goes. */
  pages: { first_page: number; last_page: number } | null;
}

/** Where an output sends the file: its class's route, or each split segment's class route. */
export function findRouteTargets(definition: ClassifierDefinition, output: ClassificationOutput): RouteTarget[] {
  const routes = new Map<string, string>();
  for (const item of definition.classes) if (item.route && item.route.trim() !== '') routes.set(item.name, item.route.trim());
  if (routes.size === 0) return [];
  if (output.mode === 'split' && output.segments.length > 0) {
    return output.segments
      .filter((segment) => routes.has(segment.class))
      .map((segment) => ({
        class: segment.class,
        route: routes.get(segment.class)!,
        pages: { first_page: segment.first_page, last_page: segment.last_page },
      }));
  }
  const route = routes.get(output.classification.class);
  return route ? [{ class: output.classification.class, route, pages: null }] : [];
}

function routeKey(target: RouteTarget): string {
  return `${target.class}|${target.pages ? `${target.pages.first_page}-${target.pages.last_page}` : 'all'}|${target.route}`;
}

async function routeRun(
  trx: Kysely<Database>,
  options: RunNotificationOptions,
  run: RunRow,
  trigger: 'classified' | 'reviewed',
): Promise<void> {
  const output = finalOutput(run);
  if (!output) return;
  const targets = findRouteTargets(fromJsonColumn<ClassifierDefinition>(run.config), output);
  const previous = await trx.selectFrom('run_routes').select('routed').where('run_id', '=', run.id).executeTakeFirst();
  const alreadyRouted = new Set(previous ? fromJsonColumn<string[]>(previous.routed) : []);
  const current = targets.map(routeKey);
  const routed = JSON.stringify(current);
  if (previous) await trx.updateTable('run_routes').set({ routed, updated_at: Date.now() }).where('run_id', '=', run.id).execute();
  else if (current.length > 0) await trx.insertInto('run_routes').values({ run_id: run.id, routed, updated_at: Date.now() }).execute();

  const fresh = targets.filter((target) => !alreadyRouted.has(routeKey(target)));
  if (fresh.length === 0) return;
  const file = await getFile(trx, run.workspace_id, run.file_id);
  for (const target of fresh) {
    const destination = await resolveRoute(trx, run.workspace_id, target.route);
    if (!destination) {
      options.warn(
        { run: run.id, class: target.class, route: target.route },
        'class route names no webhook; file.routed goes only to subscribers',
      );
    }
    await emitEvent(
      trx,
      options.queue,
      run.workspace_id,
      'file.routed',
      {
        route: target.route,
        destination: destination ? { webhook_id: destination.id, name: destination.name } : null,
        trigger,
        class: target.class,
        pages: target.pages,
        file: {
          id: run.file_id,
          name: file?.name ?? null,
          type: file?.type ?? null,
          num_pages: file?.num_pages ?? null,
          url: `/v1/files/${run.file_id}`,
        },
        run_id: run.id,
        batch_id: run.batch_id,
        classifier: run.classifier_id ? { id: run.classifier_id, version: run.classifier_version } : null,
        metadata: fromJsonColumn<Record<string, unknown>>(run.metadata),
      },
      { alsoTo: destination ? [destination] : [] },
    );
  }
}

async function emitBatchProcessedIfDone(
  trx: Kysely<Database>,
  options: RunNotificationOptions,
  workspaceId: string,
  batchId: string,
): Promise<void> {
  // On PostgreSQL, runs of one batch finishing at once in other transactions take turns here, so exactly one sees the batch done.
  let batchQuery = trx.selectFrom('batches').selectAll().where('id', '=', batchId).where('workspace_id', '=', workspaceId);
  if (options.dialect.supportsSkipLocked) batchQuery = batchQuery.forUpdate();
  const batch = await batchQuery.executeTakeFirst();
  if (!batch) return;
  // A redo joins its batch and replaces the run it redoes in the batch's answer and counts.
  const runs = dropSupersededRuns(
    await trx.selectFrom('classify_runs').select(['id', 'status', 'redo_of']).where('batch_id', '=', batchId).execute(),
  );
  if (runs.length === 0 || runs.some((item) => !isFinalRunStatus(item.status))) return;
  const counts: Record<string, number> = {};
  for (const item of runs) counts[item.status] = (counts[item.status] ?? 0) + 1;
  await emitEvent(trx, options.queue, workspaceId, 'batch.processed', {
    batch: {
      id: batch.id,
      classifier_id: batch.classifier_id,
      file_count: batch.file_count,
      status: 'processed',
      run_counts: counts,
      metadata: fromJsonColumn<Record<string, unknown>>(batch.metadata),
    },
  });
}
