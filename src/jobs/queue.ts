/**
 * The job queue: a `jobs` table in the same database as everything else, so enqueueing a job
 * commits together with the row it works on. Workers claim one job at a time under a lease they
 * renew while working; a job whose worker died is claimed again once the lease runs out.
 * On PostgreSQL claims use `FOR UPDATE SKIP LOCKED`; SQLite has one writer, so its plain
 * conditional update is already exclusive.
 */
import { EventEmitter } from 'node:events';
import { Value } from '@sinclair/typebox/value';
import type { Kysely } from 'kysely';
import type { Store } from '../store/database.js';
import type { Database, JobRow } from '../store/schema.js';
import { createId } from '../store/ids.js';
import { fromJsonColumn, toJsonColumn } from '../store/json-column.js';
import type { JobContract } from './job-registry.js';
import type { WorkerLogger } from './worker.js';

export interface EnqueueOptions {
  /** A caller-chosen id makes enqueueing idempotent (e.g. one job per run). */
  id?: string;
  maxAttempts?: number;
  /** Not before this time (epoch ms). */
  runAt?: number;
  /** With `id`: a job with that id already there is left as it is (no error, nothing added). */
  ifAbsent?: boolean;
}

export interface ClaimedJob {
  id: string;
  type: string;
  /** The payload version it was enqueued with (the job type's version then). */
  version: number;
  payload: unknown;
  /** 1 on the first try. */
  attempt: number;
  maxAttempts: number;
}

export interface LeaseState {
  /** False when the lease was lost: another worker owns the job now, or it was finished elsewhere. */
  held: boolean;
  cancelRequested: boolean;
}

export interface JobQueue {
  /** Adds a job inside the caller's transaction; call `wake()` after commit so idle local workers start at once. */
  enqueue(db: Kysely<Database>, type: string, payload: unknown, options?: EnqueueOptions): Promise<string>;
  /** Wakes this process's idle workers. */
  wake(): void;
  onWake(listener: () => void): () => void;
  /** Claims the next due job of one of `types`; with `versions`, only jobs of a version this worker runs (≤ its own). */
  claim(workerId: string, types: readonly string[], versions?: Readonly<Record<string, number>>): Promise<ClaimedJob | undefined>;
  renewLease(jobId: string, workerId: string): Promise<LeaseState>;
  complete(jobId: string, workerId: string, status?: 'succeeded' | 'cancelled'): Promise<void>;
  /**
   * Records a failure; a retryable one is queued again after a backoff while attempts remain.
   * `lost` means this worker no longer holds the job (its lease ran out and another worker took it).
   */
  fail(jobId: string, workerId: string, message: string, retryable: boolean): Promise<'retrying' | 'failed' | 'lost'>;
  /**
   * Gives a job this worker holds back to the queue, due at once and without counting the
   * attempt (a worker shutting down, not the job failing); false when the worker no longer held it.
   */
  release(jobId: string, workerId: string): Promise<boolean>;
  /** Cancels a queued job at once; a running one is asked to stop at its next lease renewal. */
  requestCancel(db: Kysely<Database>, jobId: string): Promise<void>;
  getJob(jobId: string): Promise<JobRow | undefined>;
  getStepOutput<T>(jobId: string, step: string): Promise<{ found: true; output: T } | { found: false }>;
  saveStepOutput(jobId: string, step: string, output: unknown): Promise<void>;
}

export interface QueueOptions {
  leaseMs: number;
  /**
   * The registered job types: enqueueing any other, or a payload its schema refuses, fails at once
   * instead of leaving a job no worker runs; each job stores its type's version.
   */
  jobTypes?: readonly JobContract[];
  defaultMaxAttempts: number;
  /** Backoff before retry n (1-based): base · 2^(n-1), capped, with jitter. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /**
   * The time (epoch ms) every claim, lease and retry is judged by; `Date.now` unless given. A
   * caller that moves it can see when a job becomes due without waiting for it.
   */
  clock?: () => number;
  /** Where failed signals to other processes are reported (polling covers them, later); unreported without it. */
  logger?: Pick<WorkerLogger, 'warn'>;
}

/** The notification topic that says "a job was queued". */
const JOBS_TOPIC = 'jobs';

/** The contract of `type`, after checking `payload` against its schema; undefined when the queue was given no contracts. */
function checkPayload(contracts: readonly JobContract[] | undefined, type: string, payload: unknown): JobContract | undefined {
  if (!contracts) return undefined;
  const contract = contracts.find((candidate) => candidate.name === type);
  if (!contract) throw new Error(`No handler is registered for job type "${type}"; add it to JOB_DEFINITIONS.`);
  const problem = Value.Errors(contract.payload, payload).First();
  if (problem)
    throw new Error(
      `The payload of job "${type}" v${contract.version} does not fit its schema: ${problem.path || '/'} ${problem.message}.`,
    );
  return contract;
}

export function computeBackoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  // Jitter spreads retries of jobs that failed together (e.g. a database restart).
  return Math.round(exponential * (0.75 + Math.random() * 0.5));
}

export function createJobQueue(store: Store, options: QueueOptions): JobQueue {
  const { db } = store;
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const backoffBaseMs = options.backoffBaseMs ?? 1000;
  const backoffMaxMs = options.backoffMaxMs ?? 60_000;
  const clock = options.clock ?? Date.now;
  let listeningElsewhere = false;

  return {
    async enqueue(trx, type, payload, enqueueOptions = {}) {
      const contract = checkPayload(options.jobTypes, type, payload);
      const now = clock();
      const id = enqueueOptions.id ?? createId('job');
      const insert = trx.insertInto('jobs').values({
        id,
        type,
        version: contract?.version ?? 1,
        payload: toJsonColumn(payload),
        status: 'queued',
        attempts: 0,
        max_attempts: enqueueOptions.maxAttempts ?? options.defaultMaxAttempts,
        run_at: enqueueOptions.runAt ?? now,
        locked_by: null,
        locked_until: null,
        cancel_requested: 0,
        last_error: null,
        created_at: now,
        updated_at: now,
      });
      await (enqueueOptions.ifAbsent ? insert.onConflict((oc) => oc.column('id').doNothing()) : insert).execute();
      return id;
    },

    wake() {
      events.emit('wake');
      store.notifications?.notify(JOBS_TOPIC, '').catch((error: unknown) => {
        options.logger?.warn({ err: error }, 'could not signal other processes that a job was queued; their workers find it by polling');
      });
    },

    onWake(listener) {
      events.on('wake', listener);
      // Jobs queued by other processes wake this one too; polling covers a lost signal.
      if (!listeningElsewhere && store.notifications) {
        listeningElsewhere = true;
        store.notifications
          .listen(JOBS_TOPIC, () => events.emit('wake'))
          .catch((error: unknown) => {
            // The next subscriber tries again; meanwhile jobs from other processes are found by polling.
            listeningElsewhere = false;
            options.logger?.warn({ err: error }, 'could not listen for jobs queued by other processes; polling for them');
          });
      }
      return () => events.off('wake', listener);
    },

    async claim(workerId, types, versions = {}) {
      if (types.length === 0) return undefined;
      const now = clock();
      const row = await db
        .updateTable('jobs')
        .set((eb) => ({
          status: 'running',
          locked_by: workerId,
          locked_until: now + options.leaseMs,
          attempts: eb('attempts', '+', 1),
          updated_at: now,
        }))
        .where('id', '=', (eb) => {
          let next = eb
            .selectFrom('jobs')
            .select('id')
            .where('type', 'in', types)
            .where((w) =>
              w.or(
                types.map((type) =>
                  versions[type] === undefined ? w('type', '=', type) : w.and([w('type', '=', type), w('version', '<=', versions[type])]),
                ),
              ),
            )
            .where((w) =>
              w.or([
                w.and([w('status', '=', 'queued'), w('run_at', '<=', now)]),
                // A running job whose lease ran out belongs to a worker that died or hung.
                w.and([w('status', '=', 'running'), w('locked_until', '<', now)]),
              ]),
            )
            .orderBy('run_at')
            .orderBy('created_at')
            .limit(1);
          if (store.dialect.supportsSkipLocked) next = next.forUpdate().skipLocked();
          return next;
        })
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        id: row.id,
        type: row.type,
        version: row.version,
        payload: fromJsonColumn(row.payload),
        attempt: row.attempts,
        maxAttempts: row.max_attempts,
      };
    },

    async renewLease(jobId, workerId) {
      const now = clock();
      const row = await db
        .updateTable('jobs')
        .set({ locked_until: now + options.leaseMs, updated_at: now })
        .where('id', '=', jobId)
        .where('locked_by', '=', workerId)
        .where('status', '=', 'running')
        .returning('cancel_requested')
        .executeTakeFirst();
      return { held: row !== undefined, cancelRequested: row?.cancel_requested === 1 };
    },

    async complete(jobId, workerId, status = 'succeeded') {
      const result = await db
        .updateTable('jobs')
        .set({ status, locked_by: null, locked_until: null, updated_at: clock() })
        .where('id', '=', jobId)
        .where('locked_by', '=', workerId)
        .executeTakeFirst();
      // Step outputs only matter to a retry; a finished job needs them no more.
      if (Number(result.numUpdatedRows) > 0) await db.deleteFrom('job_steps').where('job_id', '=', jobId).execute();
    },

    async fail(jobId, workerId, message, retryable) {
      return db.transaction().execute(async (trx) => {
        const job = await trx
          .selectFrom('jobs')
          .select(['attempts', 'max_attempts', 'cancel_requested'])
          .where('id', '=', jobId)
          .where('locked_by', '=', workerId)
          .executeTakeFirst();
        if (!job) return 'lost' as const;
        const now = clock();
        const retry = retryable && job.cancel_requested === 0 && job.attempts < job.max_attempts;
        await trx
          .updateTable('jobs')
          .set({
            status: retry ? 'queued' : 'failed',
            run_at: retry ? now + computeBackoffMs(job.attempts, backoffBaseMs, backoffMaxMs) : now,
            locked_by: null,
            locked_until: null,
            last_error: message.slice(0, 2000),
            updated_at: now,
          })
          .where('id', '=', jobId)
          .execute();
        return retry ? ('retrying' as const) : ('failed' as const);
      });
    },

    async release(jobId, workerId) {
      const now = clock();
      const result = await db
        .updateTable('jobs')
        .set((eb) => ({
          status: 'queued',
          locked_by: null,
          locked_until: null,
          run_at: now,
          attempts: eb('attempts', '-', 1),
          updated_at: now,
        }))
        .where('id', '=', jobId)
        .where('locked_by', '=', workerId)
        .where('status', '=', 'running')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async requestCancel(trx, jobId) {
      const now = clock();
      await trx
        .updateTable('jobs')
        .set({ status: 'cancelled', updated_at: now })
        .where('id', '=', jobId)
        .where('status', '=', 'queued')
        .execute();
      await trx
        .updateTable('jobs')
        .set({ cancel_requested: 1, updated_at: now })
        .where('id', '=', jobId)
        .where('status', '=', 'running')
        .execute();
    },

    async getJob(jobId) {
      return db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
    },

    async getStepOutput<T>(jobId: string, step: string) {
      const row = await db.selectFrom('job_steps').select('output').where('job_id', '=', jobId).where('step', '=', step).executeTakeFirst();
      return row ? { found: true as const, output: fromJsonColumn<T>(row.output) } : { found: false as const };
    },

    async saveStepOutput(jobId, step, output) {
      await db
        .insertInto('job_steps')
        .values({ job_id: jobId, step, output: toJsonColumn(output ?? null), created_at: clock() })
        .onConflict((oc) => oc.columns(['job_id', 'step']).doUpdateSet({ output: toJsonColumn(output ?? null) }))
        .execute();
    },
  };
}
