/**
 * Job types and their handlers. A feature defines a job (name, payload schema, version, handler) and registers
 * it at start; workers claim only the types registered in their process, and enqueueing an
 * unregistered type fails at once instead of leaving a job nobody runs.
 */
import type { TSchema } from '@sinclair/typebox';
import type { AppError } from '../core/errors.js';

/**
 * What the queue knows of a job type: the payload it accepts and the version of that payload,
 * stored with every job, so a worker only claims jobs whose version it runs and a payload that
 * does not fit the schema fails at enqueue, not inside a handler.
 */
export interface JobContract {
  name: string;
  /** Bump when the payload changes; older workers leave newer jobs for newer workers. */
  version: number;
  payload: TSchema;
}

export interface JobContext<D> {
  deps: D;
  jobId: string;
  /** 1 on the first try. */
  attempt: number;
  /** Aborted when the run is cancelled or the lease is lost; handlers stop at the next step. */
  signal: AbortSignal;
  /**
   * Runs `fn` once per job: its output is saved, and a retry of the job returns the saved output
   * instead of running `fn` again (a retry resumes after the steps that finished).
   */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Adds facts learned while working (pages read, engine used) to the one line logged when the job ends. */
  addLogFields(fields: Record<string, unknown>): void;
}

export interface JobDefinition<P, D> extends JobContract {
  /** Attempts for retryable failures; the queue default when absent. */
  maxAttempts?: number;
  /**
   * What names the job's subject in the log (`{ runId }`), read from the payload, so every line
   * about the job carries it — also when it fails before the handler runs.
   */
  logFields?(payload: P): Record<string, unknown>;
  run(payload: P, context: JobContext<D>): Promise<void>;
  /** Whether a failure is worth another attempt (network, database, unexpected errors are; bad input is not). */
  isRetryable?(error: AppError): boolean;
  /** Called once when the job fails for good (no attempts left or not retryable). */
  onFailure?(payload: P, error: AppError, context: { deps: D; jobId: string }): Promise<void>;
  /** Called when the job stopped because cancellation was requested. */
  onCancel?(payload: P, context: { deps: D; jobId: string }): Promise<void>;
}

/** `P` is the `Static` type of `definition.payload`; the queue checks payloads against that schema. */
export function defineJob<P, D>(definition: JobDefinition<P, D>): JobDefinition<P, D> {
  return definition;
}

/**
 * Holds definitions of any payload type as `unknown`: the worker checks each stored payload
 * against the definition's schema before calling it, so no handler sees a payload it did not declare.
 */
export class JobRegistry<D> {
  readonly #jobs = new Map<string, JobDefinition<unknown, D>>();

  register(definition: JobDefinition<unknown, D>): this {
    if (this.#jobs.has(definition.name)) throw new Error(`Job type "${definition.name}" is registered twice`);
    this.#jobs.set(definition.name, definition);
    return this;
  }

  get(name: string): JobDefinition<unknown, D> | undefined {
    return this.#jobs.get(name);
  }

  /** Throws for a type no handler is registered for. */
  require(name: string): JobDefinition<unknown, D> {
    const definition = this.#jobs.get(name);
    if (!definition) throw new Error(`No handler is registered for job type "${name}"`);
    return definition;
  }

  names(): string[] {
    return [...this.#jobs.keys()];
  }

  /** Name, version and payload schema of every registered job, for the queue. */
  contracts(): JobContract[] {
    return [...this.#jobs.values()].map(({ name, version, payload }) => ({ name, version, payload }));
  }
}
