/**
 * Hooks around a run's life. `onRunFinished` and `onRunReviewed` listeners run inside the
 * transaction that records the change, so what they write (a webhook delivery, a usage row)
 * commits with it or not at all. `whenRunClosed` is an in-process notice after commit, used by
 * callers waiting for a result in this process.
 */
import { EventEmitter } from 'node:events';
import type { Kysely } from 'kysely';
import type { Database, RunRow } from '../store/schema.js';

export interface RunEvent {
  /** The run as stored after the change. */
  run: RunRow;
}

export type RunListener = (event: RunEvent, trx: Kysely<Database>) => Promise<void>;

export class RunEvents {
  readonly #finished: RunListener[] = [];
  readonly #reviewed: RunListener[] = [];
  readonly #local = new EventEmitter();

  constructor() {
    this.#local.setMaxListeners(0);
  }

  /** Called when a run reaches PROCESSED, FAILED or CANCELLED. */
  onRunFinished(listener: RunListener): () => void {
    this.#finished.push(listener);
    return () => this.#finished.splice(this.#finished.indexOf(listener), 1);
  }

  /** Called when a person reviews a run's output. */
  onRunReviewed(listener: RunListener): () => void {
    this.#reviewed.push(listener);
    return () => this.#reviewed.splice(this.#reviewed.indexOf(listener), 1);
  }

  async emitRunFinished(event: RunEvent, trx: Kysely<Database>): Promise<void> {
    for (const listener of this.#finished) await listener(event, trx);
  }

  async emitRunReviewed(event: RunEvent, trx: Kysely<Database>): Promise<void> {
    for (const listener of this.#reviewed) await listener(event, trx);
  }

  /** After commit: wakes local waiters of this run. */
  announceRunClosed(run: RunRow): void {
    this.#local.emit(run.id, run);
  }

  hasWaiters(runId: string): boolean {
    return this.#local.listenerCount(runId) > 0;
  }

  whenRunClosed(runId: string, listener: (run: RunRow) => void): () => void {
    this.#local.on(runId, listener);
    return () => this.#local.off(runId, listener);
  }
}
