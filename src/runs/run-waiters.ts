/**
 * In-process notice that a run closed, after commit: lets a sync request waiting for its run
 * answer the moment a local worker finishes it (runs closed in other processes arrive through the
 * database's notifications, or by polling).
 */
import { EventEmitter } from 'node:events';
import type { RunRow } from '../store/schema.js';

export class RunWaiters {
  readonly #local = new EventEmitter();

  constructor() {
    this.#local.setMaxListeners(0);
  }

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
