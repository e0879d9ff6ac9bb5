/**
 * The life of a classify run: create (run row and its job in one transaction), finish, fail,
 * cancel, redo and review. Every state change is a conditional update, so a cancelled run is
 * never overwritten by a worker finishing late.
 */
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { ClassificationOutput, ClassifierDefinition } from '../core/classifier.js';
import { UNKNOWN } from '../core/classifier.js';
import { AppError, isUserFacing } from '../core/errors.js';
import { failureReasonFor, isFinalRunStatus } from '../core/run.js';
import { decideReviewStatus } from '../core/review-status.js';
import { validatePageRange } from '../core/page-range.js';
import { validateClassifierDefinition } from '../core/validate-classifier.js';
import { deleteExampleOfRun, getClassifier, getClassifierVersion, saveExample } from '../store/classifiers.queries.js';
import { getFile } from '../store/files.queries.js';
import { createId } from '../store/ids.js';
import { fromJsonColumn, toJsonColumn } from '../store/json-column.js';
import {
  carryReviewToOpenRedos,
  closeRun,
  findReviewsOfBytes,
  getRun,
  getRunInWorkspace,
  getRunReview,
  insertRun,
  updateRunReview,
} from '../store/runs.queries.js';
import type { Database, FileRow, NewRun, RunRow } from '../store/schema.js';
import { sealPdfPassword, setFilePdfPassword } from '../store/pdf-passwords.js';
import type { Deps } from '../deps.js';
import { readFilePages } from './read-file-pages.js';
import { announceRunFinished, announceRunReviewed, type RunNotificationOptions } from './run-notifications.js';
import { buildReviewedOutput, type Review } from './run-view.js';
import { computeRunCredits } from '../usage/credits.js';
import { checkClassRoutes } from '../notify/send-webhook.js';
import { detachRunFile, removeDetachedBlob, type BlobToRemove } from './delete-run-file.js';

export const CLASSIFY_JOB = 'runs.classify';

export interface CreateRunInput {
  /** The workspace of the request: the file and classifier are looked up in it, and the run belongs to it. */
  workspaceId: string;
  fileId: string;
  classifier?: { id: string; version?: number };
  config?: ClassifierDefinition;
  pageRange?: string | null;
  queryModel?: string | null;
  metadata?: Record<string, unknown> | null;
  batchId?: string | null;
  redoOf?: string | null;
  /** A review carried over from the run this one redoes. */
  reviewedOutput?: string | null;
  /** The run `reviewedOutput` comes from. */
  reviewedFrom?: string | null;
  /** The API key that asked for the run: usage by key and its credit quota. */
  apiKeyId?: string | null;
  /** Delete the file once the run has finished (and no other open run reads it). */
  deleteFileAfter?: boolean;
  /** Creation time (epoch ms); a batch spaces its runs 1 ms apart so they list in the order the files were sent. */
  createdAt?: number;
  /** The password of the file's encrypted PDF: kept sealed on the file (this run and later ones read it), never on the run. */
  password?: string | null;
}

/** Keeps the password of a file's encrypted PDF for the runs that read it, sealed. */
export async function keepPdfPassword(
  deps: Pick<Deps, 'config' | 'store'>,
  file: FileRow,
  password: string,
  db: Kysely<Database> = deps.store.db,
) {
  const sealed = sealPdfPassword(deps.config, password);
  await setFilePdfPassword(db, file.id, sealed);
  file.pdf_password = sealed;
}

/** The job of a run has the run's id in its own, so cancelling finds it without a lookup column. */
export function jobIdForRun(runId: string): string {
  return `job_${runId}`;
}

/** `usage_tags` (or Extend's `extend:usage_tags`) in metadata: letters, digits, `-` and `_` only. */
export function readUsageTags(metadata: Record<string, unknown> | null | undefined): string[] {
  const raw = metadata?.usage_tags ?? metadata?.['extend:usage_tags'];
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new AppError('invalid_request', 'metadata.usage_tags must be an array of strings.');
  const tags = raw.map((tag) => String(tag).replace(/[^A-Za-z0-9_-]/g, '')).filter((tag) => tag.length > 0);
  return [...new Set(tags)].slice(0, 50);
}

export function checkMetadata(metadata: unknown, maxBytes: number): Record<string, unknown> | null {
  if (metadata === undefined || metadata === null) return null;
  if (typeof metadata !== 'object' || Array.isArray(metadata)) throw new AppError('invalid_request', '"metadata" must be a JSON object.');
  const size = Buffer.byteLength(JSON.stringify(metadata));
  if (size > maxBytes) throw new AppError('invalid_request', `"metadata" is ${size} bytes of JSON; the limit is ${maxBytes} bytes.`);
  return metadata as Record<string, unknown>;
}

interface ResolvedDefinition {
  definition: ClassifierDefinition;
  classifierId: string | null;
  version: number | null;
}

async function resolveDefinition(
  db: Kysely<Database>,
  input: CreateRunInput,
  availableEngines: readonly string[],
  allowPrivateUrls: boolean,
): Promise<ResolvedDefinition> {
  if (input.classifier && input.config) throw new AppError('invalid_request', 'Send either "classifier" or "config", not both.');
  if (input.classifier) {
    const classifier = await getClassifier(db, input.workspaceId, input.classifier.id);
    if (!classifier) throw new AppError('not_found', `No classifier "${input.classifier.id}"; create one with POST /v1/classifiers.`);
    if (input.classifier.version === undefined || input.classifier.version === classifier.version) {
      // Saved when the engine was available; checked again, since the operator may have removed the model server since.
      validateClassifierDefinition(classifier.definition, availableEngines);
      return { definition: classifier.definition, classifierId: classifier.id, version: classifier.version };
    }
    const version = await getClassifierVersion(db, classifier.id, input.classifier.version);
    if (!version)
      throw new AppError(
        'not_found',
        `Classifier "${classifier.id}" has no version ${input.classifier.version}; its latest is ${classifier.version}.`,
      );
    validateClassifierDefinition(version.definition, availableEngines);
    return { definition: version.definition, classifierId: classifier.id, version: version.version };
  }
  if (input.config) {
    validateClassifierDefinition(input.config, availableEngines);
    await checkClassRoutes(input.config.classes, allowPrivateUrls);
    return { definition: input.config, classifierId: null, version: null };
  }
  throw new AppError('invalid_request', 'Say how to classify: send "classifier": { "id" } or an inline "config": { "classes": [...] }.');
}

/**
 * Creates a run and its job in one transaction. Inside a caller's transaction (`trx`, e.g. a
 * batch and all its runs) everything goes through it and the caller wakes the workers after commit.
 */
export async function createRun(deps: Deps, input: CreateRunInput, trx?: Transaction<Database>): Promise<RunRow> {
  const db = trx ?? deps.store.db;
  const file = await getFile(db, input.workspaceId, input.fileId);
  if (!file) throw new AppError('not_found', `No file "${input.fileId}"; upload it with POST /v1/files.`);
  // An empty range is refused too: it would otherwise read as "every page".
  if (input.pageRange !== undefined && input.pageRange !== null) validatePageRange(input.pageRange);
  const metadata = checkMetadata(input.metadata, deps.config.maxMetadataBytes);
  const tags = readUsageTags(metadata);
  const resolved = await resolveDefinition(db, input, deps.classifier.availableEngines, deps.config.allowPrivateUrls);
  const carried =
    input.reviewedOutput === undefined && resolved.classifierId
      ? await findEarlierReview(db, input.workspaceId, resolved.classifierId, file.sha256, resolved.definition, input.pageRange ?? null)
      : null;
  const reviewedOutput = input.reviewedOutput ?? carried?.reviewedOutput ?? null;
  const now = input.createdAt ?? Date.now();
  const run: NewRun = {
    id: createId('run'),
    workspace_id: input.workspaceId,
    status: 'PENDING',
    file_id: file.id,
    classifier_id: resolved.classifierId,
    classifier_version: resolved.version,
    config: toJsonColumn(resolved.definition),
    page_range: input.pageRange ?? null,
    query_model: input.queryModel ?? null,
    batch_id: input.batchId ?? null,
    redo_of: input.redoOf ?? null,
    initial_output: null,
    reviewed_output: reviewedOutput,
    reviewed: reviewedOutput ? 1 : 0,
    review_status: null,
    file_name: file.name,
    reviewed_from: reviewedOutput ? (input.reviewedFrom ?? carried?.runId ?? null) : null,
    output_class: null,
    failure_reason: null,
    failure_message: null,
    failure_code: null,
    metadata: metadata ? toJsonColumn(metadata) : null,
    num_pages: null,
    duration_ms: null,
    credits: null,
    created_at: now,
    updated_at: now,
    finished_at: null,
    api_key_id: input.apiKeyId ?? null,
    delete_file_after: input.deleteFileAfter ? 1 : 0,
  };
  const insert = async (into: Kysely<Database>) => {
    if (input.password) await keepPdfPassword(deps, file, input.password, into);
    const inserted = await insertRun(into, run, tags);
    await deps.queue.enqueue(into, CLASSIFY_JOB, { runId: inserted.id }, { id: jobIdForRun(inserted.id) });
    return inserted;
  };
  if (trx) return insert(trx);
  const row = await deps.store.db.transaction().execute(insert);
  deps.queue.wake();
  return row;
}

function pageSelectionOf(definition: ClassifierDefinition, pageRange: string | null): string {
  return JSON.stringify([pageRange ?? definition.settings?.page_range ?? null, definition.settings?.max_pages ?? null]);
}

/**
 * The newest review of the same bytes by the same classifier that still fits: read with the same
 * pages, and naming only classes the classifier still has. A person's verdict on a document is
 * not asked for twice.
 */
async function findEarlierReview(
  db: Kysely<Database>,
  workspaceId: string,
  classifierId: string,
  sha256: string,
  definition: ClassifierDefinition,
  pageRange: string | null,
): Promise<{ runId: string; reviewedOutput: string } | null> {
  const names = new Set([...definition.classes.map((item) => item.name), UNKNOWN]);
  const selection = pageSelectionOf(definition, pageRange);
  for (const candidate of await findReviewsOfBytes(db, workspaceId, classifierId, sha256)) {
    if (!candidate.reviewed_output) continue;
    if (pageSelectionOf(fromJsonColumn<ClassifierDefinition>(candidate.config), candidate.page_range) !== selection) continue;
    const review = fromJsonColumn<ClassificationOutput>(candidate.reviewed_output);
    const labels = [review.classification.class, ...review.pages.map((page) => page.class), ...review.segments.map((item) => item.class)];
    if (labels.every((label) => names.has(label))) return { runId: candidate.id, reviewedOutput: candidate.reviewed_output };
  }
  return null;
}

/** The definition a run classifies with: its stored config plus the per-run overrides. */
export function effectiveDefinition(run: RunRow): ClassifierDefinition {
  const definition = fromJsonColumn<ClassifierDefinition>(run.config);
  const settings = { ...definition.settings };
  if (run.page_range) settings.page_range = run.page_range;
  if (run.query_model) settings.model = run.query_model;
  return { ...definition, settings };
}

/** Same classifier version and same example set → same key, so an engine can reuse a trained model. */
export function trainingCacheKey(run: RunRow, examplesRevision: number | null): string {
  if (run.classifier_id) return `${run.classifier_id}:v${run.classifier_version}:e${examplesRevision ?? 0}`;
  return `inline:${createHash('sha256').update(run.config).digest('hex').slice(0, 24)}`;
}

async function closeAndAnnounce(deps: Deps, runId: string, update: Parameters<typeof closeRun>[2]): Promise<RunRow | undefined> {
  let detached: BlobToRemove = null;
  const closed = await deps.store.db.transaction().execute(async (trx) => {
    const row = await closeRun(trx, runId, update);
    if (row) {
      await announceRunFinished(trx, notificationOptions(deps), row);
      detached = await detachRunFile(trx, row);
    }
    return row;
  });
  if (closed) {
    announceRunClosed(deps, closed);
    await removeDetachedBlob(deps, detached, closed.id);
  }
  return closed;
}

/** Webhook events go out from here, in the transaction that changes the run (see run-notifications.ts). */
function notificationOptions(deps: Deps): RunNotificationOptions {
  return { queue: deps.queue, dialect: deps.store.dialect, warn: (object, message) => deps.logger.warn(object, message) };
}

/** The notification topic that says "run <id> finished". */
const RUNS_TOPIC = 'runs';

/** Tells waiters in this process at once, and those in other processes through the database. */
function announceRunClosed(deps: Deps, run: RunRow): void {
  deps.runWaiters.announceRunClosed(run);
  deps.store.notifications?.notify(RUNS_TOPIC, run.id).catch((error: unknown) => {
    // Waiters elsewhere still see the run by polling, only later; a failing signal usually means the database is in trouble.
    deps.logger.warn({ err: error, runId: run.id }, 'could not signal other processes that a run finished');
  });
}

/** Lets this process's waiters hear about runs finished by workers in other processes. */
export async function listenForRunsClosedElsewhere(deps: Deps): Promise<void> {
  await deps.store.notifications?.listen(RUNS_TOPIC, (runId) => {
    if (!deps.runWaiters.hasWaiters(runId)) return;
    getRun(deps.store.db, runId).then(
      (run) => {
        if (run && isFinalRunStatus(run.status)) deps.runWaiters.announceRunClosed(run);
      },
      // The waiters' own polling will read the run; the failed read is worth knowing about.
      (error: unknown) => deps.logger.warn({ err: error, runId }, 'could not read a run finished by another process'),
    );
  });
}

export interface FinishedWork {
  output: ClassificationOutput;
  numPages: number;
  durationMs: number;
}

/**
 * Records the output of `run`. The review is read again now: one carried over by redo, or
 * given to this redo while it was processing, decides the final class.
 */
export async function finishRun(deps: Deps, run: RunRow, work: FinishedWork): Promise<RunRow | undefined> {
  const review = await getRunReview(deps.store.db, run.id);
  const reviewed = review ? fromJsonColumn<ClassificationOutput>(review) : null;
  const settings = fromJsonColumn<ClassifierDefinition>(run.config).settings;
  return closeAndAnnounce(deps, run.id, {
    status: 'PROCESSED',
    review_status: decideReviewStatus({ status: 'PROCESSED', reviewed: reviewed !== null, output: work.output, settings }),
    initial_output: toJsonColumn(work.output),
    output_class: (reviewed ?? work.output).classification.class,
    num_pages: work.numPages,
    duration_ms: Math.round(work.durationMs),
    credits: computeRunCredits(work.numPages, deps.config.creditsPerPage),
    llm_input_tokens: work.output.llm?.input_tokens ?? null,
    llm_output_tokens: work.output.llm?.output_tokens ?? null,
  });
}

/** What a FAILED run tells its user when the error was ours, not theirs; the worker logs the real error with the run id. */
export const INTERNAL_FAILURE_MESSAGE = 'An internal error stopped this run; it has been logged.';

/** The message stored on a failed run: the error's own when it was written for users, never an internal one (paths, SQL, stacks). */
export function runFailureMessage(error: AppError): string {
  return isUserFacing(error) ? error.message : INTERNAL_FAILURE_MESSAGE;
}

export async function failRun(deps: Deps, runId: string, error: AppError): Promise<RunRow | undefined> {
  return closeAndAnnounce(deps, runId, {
    status: 'FAILED',
    review_status: decideReviewStatus({ status: 'FAILED', reviewed: false, output: null, settings: undefined }),
    failure_reason: failureReasonFor(error.code),
    failure_code: error.code,
    failure_message: runFailureMessage(error),
  });
}

export async function cancelRun(deps: Deps, workspaceId: string, runId: string): Promise<RunRow> {
  const run = await requireRun(deps, workspaceId, runId);
  if (isFinalRunStatus(run.status))
    throw new AppError('conflict', `Run "${runId}" is already ${run.status}; only PENDING or PROCESSING runs can be cancelled.`);
  let detached: BlobToRemove = null;
  const closed = await deps.store.db.transaction().execute(async (trx) => {
    const row = await closeRun(trx, runId, { status: 'CANCELLED', failure_reason: 'ABORTED', failure_message: 'The run was cancelled.' });
    if (row) {
      await deps.queue.requestCancel(trx, jobIdForRun(runId));
      await announceRunFinished(trx, notificationOptions(deps), row);
      detached = await detachRunFile(trx, row);
    }
    return row;
  });
  if (!closed) {
    // It finished between the read and the update.
    const current = await getRun(deps.store.db, runId);
    throw new AppError(
      'conflict',
      `Run "${runId}" is already ${current?.status ?? 'finished'}; only PENDING or PROCESSING runs can be cancelled.`,
    );
  }
  announceRunClosed(deps, closed);
  await removeDetachedBlob(deps, detached, closed.id);
  return closed;
}

/**
 * A fresh run of the same file with the classifier's current version (or the same inline
 * config). A review of the original carries over to the new run, so redo never undoes a
 * person's verdict; the original run is left as it was.
 */
export async function redoRun(deps: Deps, workspaceId: string, runId: string, apiKeyId: string | null = null): Promise<RunRow> {
  const run = await requireRun(deps, workspaceId, runId);
  if (!(await getFile(deps.store.db, run.workspace_id, run.file_id))) {
    throw new AppError('not_found', `The file of run "${runId}" (${run.file_id}) was deleted; upload it again and start a new run.`);
  }
  return createRun(deps, {
    workspaceId: run.workspace_id,
    fileId: run.file_id,
    classifier: run.classifier_id ? { id: run.classifier_id } : undefined,
    config: run.classifier_id ? undefined : fromJsonColumn<ClassifierDefinition>(run.config),
    pageRange: run.page_range,
    queryModel: run.query_model,
    metadata: fromJsonColumn<Record<string, unknown>>(run.metadata),
    batchId: run.batch_id,
    redoOf: run.id,
    reviewedOutput: run.reviewed_output,
    reviewedFrom: run.reviewed_output ? run.id : null,
    apiKeyId: apiKeyId ?? run.api_key_id,
  });
}

/**
 * Records a reviewer's verdict beside the initial output; with a saved classifier the reviewed
 * document also becomes one of its training examples.
 */
export async function reviewRun(deps: Deps, workspaceId: string, runId: string, review: Review): Promise<RunRow> {
  const run = await requireRun(deps, workspaceId, runId);
  if (run.status !== 'PROCESSED' || !run.initial_output) {
    throw new AppError('conflict', `Run "${runId}" is ${run.status}; only PROCESSED runs can be reviewed.`);
  }
  const definition = fromJsonColumn<ClassifierDefinition>(run.config);
  const names = new Set([...definition.classes.map((item) => item.name), UNKNOWN]);
  for (const label of [
    review.class,
    ...(review.pages ?? []).map((page) => page.class),
    ...(review.segments ?? []).map((item) => item.class),
  ]) {
    if (!names.has(label))
      throw new AppError('invalid_request', `"${label}" is not a class of this run; use one of: ${[...names].join(', ')}.`);
  }
  const initial = fromJsonColumn<ClassificationOutput>(run.initial_output);
  const knownPages = new Set(initial.pages.map((page) => page.page));
  for (const page of review.pages ?? []) {
    if (!knownPages.has(page.page))
      throw new AppError('invalid_request', `Page ${page.page} is not in this run's output; pages are numbered like output.pages[].page.`);
  }
  if (review.segments) checkSegmentsCoverPages(review.segments, [...knownPages]);
  const reviewed = buildReviewedOutput(initial, review);

  let example: { pages: string[]; layout: number[] | null } | null = null;
  if (run.classifier_id && review.class !== UNKNOWN) {
    const file = await getFile(deps.store.db, run.workspace_id, run.file_id);
    if (file) {
      const settings = effectiveDefinition(run).settings ?? {};
      const document = await readFilePages(deps, file, { pageRange: settings.page_range, maxPages: settings.max_pages });
      example = deps.classifier.describeExample(document.pages);
    }
  }

  const updated = await deps.store.db.transaction().execute(async (trx) => {
    const row = await updateRunReview(trx, runId, toJsonColumn(reviewed), reviewed.classification.class);
    if (!row) throw new AppError('not_found', `No classify run "${runId}".`);
    // A redo of this run that has not finished yet inherits this verdict, as it would have at creation.
    await carryReviewToOpenRedos(trx, runId, toJsonColumn(reviewed));
    await announceRunReviewed(trx, notificationOptions(deps), row);
    return row;
  });
  if (run.classifier_id && example) {
    await saveExample(deps.store.db, {
      workspaceId: run.workspace_id,
      classifierId: run.classifier_id,
      class: review.class,
      source: 'review',
      fileId: run.file_id,
      runId: run.id,
      ...example,
    });
  } else if (run.classifier_id && review.class === UNKNOWN) {
    // "Fits no class" takes back what an earlier review of this run taught.
    await deleteExampleOfRun(deps.store.db, run.workspace_id, run.classifier_id, run.id);
  }
  return updated;
}

/** Reviewed segments are the file's documents in page order: each page in exactly one, none left out. */
function checkSegmentsCoverPages(segments: NonNullable<Review['segments']>, pages: number[]): void {
  const sorted = [...pages].sort((a, b) => a - b);
  let expected = 0;
  for (const [index, segment] of segments.entries()) {
    if (segment.last_page < segment.first_page)
      throw new AppError(
        'invalid_request',
        `segments[${index}] ends (page ${segment.last_page}) before it starts (page ${segment.first_page}).`,
      );
    const firstExpected = sorted[expected];
    if (segment.first_page !== firstExpected)
      throw new AppError(
        'invalid_request',
        firstExpected === undefined
          ? `segments[${index}] starts after the last page (${sorted[sorted.length - 1]}); the segments already cover every page.`
          : `segments[${index}] starts at page ${segment.first_page}, but the next page not yet in a segment is ${firstExpected}; segments go in page order, with no gap or overlap.`,
      );
    while (expected < sorted.length && sorted[expected] <= segment.last_page) expected++;
  }
  if (expected < sorted.length)
    throw new AppError(
      'invalid_request',
      `The segments end at page ${segments[segments.length - 1].last_page}, but the run has pages up to ${sorted[sorted.length - 1]}; every page must be in a segment.`,
    );
}

/** With notifications from other processes polling is only a backstop; without them it is how a waiter learns. */
function defaultWaitPollMs(deps: Deps): number {
  return deps.store.notifications ? 1000 : 100;
}

/** Waits until the run is final, or `timeoutMs` passes (then answers the run as it is). */
export async function waitForRun(deps: Deps, runId: string, timeoutMs: number, pollMs = defaultWaitPollMs(deps)): Promise<RunRow> {
  return new Promise<RunRow>((resolve, reject) => {
    let settled = false;
    let poller: NodeJS.Timeout | undefined;
    const finish = (run: RunRow | undefined, error?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(poller);
      unsubscribe();
      if (error) reject(error);
      else if (run) resolve(run);
      else reject(new AppError('not_found', `No classify run "${runId}".`));
    };
    // Local workers announce at once; runs finished by workers in other processes are seen by polling.
    const unsubscribe = deps.runWaiters.whenRunClosed(runId, (run) => finish(run));
    const deadline = setTimeout(
      () =>
        getRun(deps.store.db, runId).then(
          (run) => finish(run),
          (error) => finish(undefined, error),
        ),
      timeoutMs,
    );
    const poll = () => {
      getRun(deps.store.db, runId).then(
        (run) => {
          if (!run || isFinalRunStatus(run.status)) finish(run);
          else if (!settled) poller = setTimeout(poll, pollMs);
        },
        (error) => finish(undefined, error),
      );
    };
    poll();
  });
}

/** The run a request names, in the request's workspace; another workspace's run is not found. */
export async function requireRun(deps: Deps, workspaceId: string, id: string): Promise<RunRow> {
  const run = await getRunInWorkspace(deps.store.db, workspaceId, id);
  if (!run) throw new AppError('not_found', `No classify run "${id}".`);
  return run;
}

/** Waits for a run within the sync limit; past it answers 504 `timeout` naming the run to poll. */
export async function waitForSyncResult(deps: Deps, run: RunRow): Promise<RunRow> {
  const finished = await waitForRun(deps, run.id, deps.config.syncTimeoutMs);
  if (!isFinalRunStatus(finished.status)) {
    throw new AppError(
      'timeout',
      `The run did not finish within ${Math.round(deps.config.syncTimeoutMs / 1000)} s; it goes on in the background. Poll GET /v1/classify_runs/${run.id}.`,
      { run_id: run.id },
    );
  }
  return finished;
}
