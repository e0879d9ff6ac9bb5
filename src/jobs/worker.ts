/**
 * A worker runs registered jobs from the queue, up to `concurrency` at once. It renews each
 * job's lease while the handler works (a crashed process simply stops renewing, and another
 * worker takes the job over), stops a handler when its job is cancelled, and records failures
 * for the queue to retry or give up on.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import { AppError, isRetryableCode, isUserFacing, toAppError } from '../core/errors.js';
import type { JobQueue, ClaimedJob } from './queue.js';
import type { JobContext, JobDefinition, JobRegistry } from './job-registry.js';

/** The part of pino the worker and the services use; a test passes a pino writing to a stream. */
export interface WorkerLogger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/**
 * How one attempt of a job ended: `processed`, `retried` (a retryable failure, queued again),
 * `failed` (for good), `cancelled`, `lost` (the lease ran out and another worker has the job), or
 * `released` (the worker shut down and gave the job back to the queue for another worker).
 */
export type JobOutcome = 'processed' | 'retried' | 'failed' | 'cancelled' | 'lost' | 'released';

interface JobEnd {
  outcome: JobOutcome;
  error?: AppError;
}

export interface WorkerOptions<D> {
  queue: JobQueue;
  registry: JobRegistry<D>;
  deps: D;
  concurrency: number;
  /** The job types this worker claims; every registered type without it. Lets a kind of job (webhook deliveries) have slots of its own. */
  types?: readonly string[];
  leaseMs: number;
  pollMs: number;
  logger: WorkerLogger;
}

export interface Worker {
  readonly id: string;
  start(): void;
  /**
   * Stops claiming and waits for running jobs up to `graceMs`; jobs still running then are
   * stopped and given back to the queue, due at once, so another (or a restarted) worker takes
   * them without waiting for their lease to run out.
   */
  stop(graceMs?: number): Promise<void>;
  /** Jobs running now. */
  activeCount(): number;
}

function isRetryableByDefault(error: AppError): boolean {
  return isRetryableCode(error.code);
}

class CancelledError extends Error {}

/** Stops a handler whose job this worker gave back because it is shutting down. */
class ReleasedError extends Error {}

/** The job's own log fields from its payload; a payload that does not fit gives none rather than failing the log line. */
function payloadLogFields<D>(definition: JobDefinition<unknown, D>, payload: unknown): Record<string, unknown> {
  if (!definition.logFields) return {};
  try {
    return definition.logFields(payload);
  } catch {
    // Only a payload of another version can make this throw; that job fails with invalid_request, which the end line says.
    return {};
  }
}

export function createWorker<D>(options: WorkerOptions<D>): Worker {
  const { queue, registry, deps, logger } = options;
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const types = options.types ?? registry.names();
  const versions = Object.fromEntries(registry.contracts().map((contract) => [contract.name, contract.version]));
  const active = new Set<Promise<void>>();
  /** The abort controller of each running job, so a shutdown can stop the ones that outlast the grace period. */
  const controllers = new Map<string, AbortController>();
  let running = false;
  let wakeUp: (() => void) | null = null;
  // A wake arriving while the loop is busy claiming must not be lost, or a fresh job waits a whole poll interval.
  let wakePending = false;
  let unsubscribe: (() => void) | null = null;
  let loop: Promise<void> | null = null;
  // Resolves when stop() is called, so a loop waiting for a free slot stops waiting at once.
  let signalStop: () => void = () => undefined;
  let stopped = new Promise<void>((resolve) => (signalStop = resolve));

  function sleep(ms: number): Promise<void> {
    if (wakePending) {
      wakePending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });
  }

  /** Runs one job and logs one line when it ends: what it was, how long it took, how it ended. */
  async function runJob(job: ClaimedJob): Promise<void> {
    const startedAt = performance.now();
    const definition = registry.require(job.type);
    const fields: Record<string, unknown> = {
      job: job.id,
      type: job.type,
      attempt: job.attempt,
      ...payloadLogFields(definition, job.payload),
    };
    let end: JobEnd;
    try {
      end = await attemptJob(job, definition, fields);
    } catch (error) {
      logger.error({ ...fields, err: error }, 'job bookkeeping failed');
      return;
    }
    const errorFields = end.error
      ? { errorCode: end.error.code, ...(isUserFacing(end.error) ? { errorMessage: end.error.message } : {}) }
      : {};
    logger.info({ ...fields, outcome: end.outcome, ...errorFields, durationMs: Math.round(performance.now() - startedAt) }, 'job finished');
  }

  async function attemptJob(job: ClaimedJob, definition: JobDefinition<unknown, D>, fields: Record<string, unknown>): Promise<JobEnd> {
    const controller = new AbortController();
    controllers.set(job.id, controller);
    let cancelRequested = false;
    const heartbeat = setInterval(
      () => {
        queue.renewLease(job.id, id).then(
          (lease) => {
            if (!lease.held) controller.abort(new AppError('internal_error', 'The job was taken over by another worker.'));
            else if (lease.cancelRequested) {
              cancelRequested = true;
              controller.abort(new CancelledError('cancelled'));
            }
          },
          (error) => logger.warn({ ...fields, err: error }, 'could not renew job lease'),
        );
      },
      Math.max(50, Math.floor(options.leaseMs / 3)),
    );

    const context: JobContext<D> = {
      deps,
      jobId: job.id,
      attempt: job.attempt,
      signal: controller.signal,
      async step<T>(name: string, fn: () => Promise<T>): Promise<T> {
        if (controller.signal.aborted) throw controller.signal.reason;
        // Only a retry can find saved steps; the first attempt skips the lookup. The saved output
        // was returned by this same step of this job (same type and version), so it is a `T`.
        if (job.attempt > 1) {
          const saved = await queue.getStepOutput<T>(job.id, name);
          if (saved.found) return saved.output;
        }
        const output = await fn();
        if (controller.signal.aborted) throw controller.signal.reason;
        await queue.saveStepOutput(job.id, name, output);
        return output;
      },
      addLogFields(more) {
        Object.assign(fields, more);
      },
    };

    try {
      if (job.attempt > job.maxAttempts) {
        // Claimed again after its lease ran out more often than it may be tried: the work itself keeps killing workers.
        throw new AppError('internal_error', `The job stopped without finishing ${job.maxAttempts} times; giving up.`);
      }
      const problem = Value.Errors(definition.payload, job.payload).First();
      if (problem) {
        // Written by a version of docsort whose payload this handler no longer reads: retrying cannot help.
        throw new AppError(
          'invalid_request',
          `The payload of job "${job.type}" v${job.version} does not fit the schema of v${definition.version}: ${problem.path || '/'} ${problem.message}.`,
        );
      }
      await definition.run(job.payload, context);
      clearInterval(heartbeat);
      await queue.complete(job.id, id);
      return { outcome: 'processed' };
    } catch (thrown) {
      clearInterval(heartbeat);
      if (controller.signal.reason instanceof ReleasedError) return { outcome: 'released' };
      if (cancelRequested || thrown instanceof CancelledError) {
        await queue.complete(job.id, id, 'cancelled');
        await definition.onCancel?.(job.payload, { deps, jobId: job.id });
        return { outcome: 'cancelled' };
      }
      const error = toAppError(thrown);
      const retryable = job.attempt <= job.maxAttempts && (definition.isRetryable ?? isRetryableByDefault)(error);
      const recorded = await queue.fail(job.id, id, `${error.code}: ${error.message}`, retryable);
      const outcome: JobOutcome = recorded === 'retrying' ? 'retried' : recorded;
      if (!isUserFacing(error)) {
        // A bug or a broken dependency: users are told only that it happened, so the real error and its stack go here.
        const level = outcome === 'failed' ? 'error' : 'warn';
        logger[level]({ ...fields, outcome, errorCode: error.code, err: error.cause ?? thrown }, 'job stopped by an internal error');
      }
      // A job this worker lost belongs to whoever took it over; only a final failure is reported.
      if (outcome === 'failed') await definition.onFailure?.(job.payload, error, { deps, jobId: job.id });
      return { outcome, error };
    } finally {
      controllers.delete(job.id);
    }
  }

  /** Gives every job still running back to the queue, then stops its handler. */
  async function releaseRunning(): Promise<void> {
    let released = 0;
    for (const [jobId, controller] of controllers) {
      try {
        // Released in the database first: once the handler stops, nothing of this attempt may record a failure.
        if (await queue.release(jobId, id)) released += 1;
      } catch (error) {
        logger.warn({ job: jobId, err: error }, 'could not give a job back to the queue; it runs again once its lease runs out');
      }
      controller.abort(new ReleasedError('released'));
    }
    if (released > 0) queue.wake();
  }

  async function runLoop(): Promise<void> {
    while (running) {
      if (active.size >= options.concurrency) {
        await Promise.race([...active, stopped]);
        continue;
      }
      let job: ClaimedJob | undefined;
      wakePending = false;
      try {
        job = await queue.claim(id, types, versions);
      } catch (error) {
        logger.error({ err: error }, 'could not claim a job; retrying');
        await sleep(options.pollMs);
        continue;
      }
      if (!job) {
        await sleep(options.pollMs);
        continue;
      }
      const task = runJob(job)
        .catch((error) => logger.error({ err: error, job: job?.id, type: job?.type }, 'job bookkeeping failed'))
        .finally(() => active.delete(task));
      active.add(task);
    }
  }

  return {
    id,
    start() {
      if (running) return;
      running = true;
      stopped = new Promise<void>((resolve) => (signalStop = resolve));
      unsubscribe = queue.onWake(() => {
        if (wakeUp) wakeUp();
        else wakePending = true;
      });
      loop = runLoop();
      // The process's ready line says how many workers run; the details are for debugging.
      logger.debug({ worker: id, types, concurrency: options.concurrency }, 'worker started');
    },
    async stop(graceMs = 10_000) {
      running = false;
      signalStop();
      unsubscribe?.();
      wakeUp?.();
      await loop;
      if (active.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.allSettled([...active]), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
        clearTimeout(timer);
      }
      if (active.size > 0) {
        await releaseRunning();
        // An aborted handler settles at its next await; a CPU-bound step may not, and the process is exiting anyway.
        await Promise.race([Promise.allSettled([...active]), new Promise((resolve) => setTimeout(resolve, 1000))]);
      }
    },
    activeCount: () => active.size,
  };
}
