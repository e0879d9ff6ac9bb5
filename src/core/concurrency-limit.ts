/**
 * At most `limit` tasks at once, the rest waiting in order; past `maxWaiting` waiting tasks a new
 * one is refused with `service_unavailable`, so a burst of requests cannot queue without bound.
 */
import { AppError } from './errors.js';

export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly limit: number,
    readonly maxWaiting: number,
    private readonly what = 'tasks',
  ) {}

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.maxWaiting)
        throw new AppError(
          'service_unavailable',
          `Too many ${this.what} are waiting (${this.waiting.length}); try again in a few seconds.`,
        );
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter, so running never dips while work waits.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
