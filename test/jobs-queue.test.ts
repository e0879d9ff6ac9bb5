/** The job queue and worker on both dialects: exclusive claims, leases, retries, cancellation, saved steps. */
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AppError } from '../src/core/errors.js';
import type { Store } from '../src/store/database.js';
import { defineJob, JobRegistry } from '../src/jobs/job-registry.js';
import { computeBackoffMs, createJobQueue, type JobQueue } from '../src/jobs/queue.js';
import { createWorker } from '../src/jobs/worker.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './helpers/test-database.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const Numbered = Type.Object({ n: Type.Integer() });

async function waitFor<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Time that stands still until the test moves it. */
class ManualClock {
  private current = Date.now();
  readonly now = (): number => this.current;
  advance(ms: number): void {
    this.current += ms;
  }
  set(epochMs: number): void {
    this.current = epochMs;
  }
}

for (const dialect of DIALECTS) {
  describe(`job queue on ${dialect}`, () => {
    let database: TestDatabase;
    let store: Store;
    /** Judges leases and retries by `clock`, which only the test moves: no test waits for time to pass. */
    let queue: JobQueue;
    let clock: ManualClock;

    // Each test gets its own database file or PostgreSQL schema.
    beforeEach(async () => {
      database = await createTestDatabase(dialect);
      store = await database.openStore();
      clock = new ManualClock();
      queue = createJobQueue(store, { leaseMs: 300, defaultMaxAttempts: 3, backoffBaseMs: 1000, backoffMaxMs: 60_000, clock: clock.now });
    });
    /**
     * For tests with a running worker, which waits in real time. The lease is far longer than any
     * such test, so a slow machine never loses one mid-test; retries wait 10–50 ms.
     */
    const realTimeQueue = () => createJobQueue(store, { leaseMs: 30_000, defaultMaxAttempts: 3, backoffBaseMs: 10, backoffMaxMs: 50 });
    afterEach(async () => {
      await store.close();
      await database.drop();
    });

    it('gives each job to exactly one of many concurrent claimers', async () => {
      for (let i = 0; i < 20; i++) await queue.enqueue(store.db, 'claim.test', { i });
      const claimed = await Promise.all(Array.from({ length: 40 }, (_, i) => queue.claim(`w${i}`, ['claim.test'])));
      const ids = claimed.filter((job) => job !== undefined).map((job) => job!.id);
      assert.equal(ids.length, 20);
      assert.equal(new Set(ids).size, 20);
    });

    it('claims a running job again once its lease runs out', async () => {
      const id = await queue.enqueue(store.db, 'lease.test', {});
      const first = await queue.claim('dead-worker', ['lease.test']);
      assert.equal(first?.id, id);
      assert.equal(await queue.claim('other', ['lease.test']), undefined, 'a leased job is not claimable');
      clock.advance(300);
      assert.equal(await queue.claim('other', ['lease.test']), undefined, 'not claimable at the very end of its lease');
      clock.advance(1);
      const second = await queue.claim('other', ['lease.test']);
      assert.equal(second?.id, id);
      assert.equal(second?.attempt, 2);
      assert.deepEqual(await queue.renewLease(id, 'dead-worker'), { held: false, cancelRequested: false });
      assert.equal(await queue.fail(id, 'dead-worker', 'late failure', false), 'lost', 'a worker that lost its lease cannot fail the job');
      assert.equal((await queue.getJob(id))?.status, 'running');
    });

    it('keeps a failed retryable job from being claimed until its backoff is over', async () => {
      const id = await queue.enqueue(store.db, 'retry.test', {}, { maxAttempts: 3 });
      const first = await queue.claim('w', ['retry.test']);
      const failedAt = clock.now();
      assert.equal(await queue.fail(first!.id, 'w', 'boom', true), 'retrying');
      const queued = await queue.getJob(id);
      assert.equal(queued?.status, 'queued');
      // The first backoff is 1000 ms ± 25 % jitter.
      assert.ok(
        queued!.run_at >= failedAt + 750 && queued!.run_at <= failedAt + 1250,
        `run_at is ${queued!.run_at - failedAt} ms after the failure`,
      );
      assert.equal(await queue.claim('w', ['retry.test']), undefined, 'not claimable right after failing');
      clock.set(queued!.run_at - 1);
      assert.equal(await queue.claim('w', ['retry.test']), undefined, 'not claimable 1 ms before run_at');
      clock.set(queued!.run_at);
      const second = await queue.claim('w', ['retry.test']);
      assert.equal(second?.id, id, 'claimable at run_at');
      assert.equal(second?.attempt, 2);

      // The second backoff is twice the first: 2000 ms ± 25 %.
      const secondFailedAt = clock.now();
      assert.equal(await queue.fail(id, 'w', 'boom again', true), 'retrying');
      const requeued = await queue.getJob(id);
      assert.ok(
        requeued!.run_at >= secondFailedAt + 1500 && requeued!.run_at <= secondFailedAt + 2500,
        `run_at is ${requeued!.run_at - secondFailedAt} ms after the failure`,
      );
      clock.set(requeued!.run_at - 1);
      assert.equal(await queue.claim('w', ['retry.test']), undefined);
      clock.set(requeued!.run_at);
      assert.equal((await queue.claim('w', ['retry.test']))?.attempt, 3);
    });

    it('gives up on a retryable failure after the last attempt, and at once on one that is not', async () => {
      const id = await queue.enqueue(store.db, 'retry.test', {}, { maxAttempts: 2 });
      await queue.claim('w', ['retry.test']);
      assert.equal(await queue.fail(id, 'w', 'boom', true), 'retrying');
      clock.set((await queue.getJob(id))!.run_at);
      assert.equal((await queue.claim('w', ['retry.test']))?.id, id);
      assert.equal(await queue.fail(id, 'w', 'boom', true), 'failed');
      const failed = await queue.getJob(id);
      assert.equal(failed?.status, 'failed');
      assert.equal(failed?.last_error, 'boom');
      clock.advance(24 * 3_600_000);
      assert.equal(await queue.claim('w', ['retry.test']), undefined, 'a failed job is never claimed again');

      const other = await queue.enqueue(store.db, 'retry.test', {});
      assert.equal((await queue.claim('w', ['retry.test']))?.id, other);
      assert.equal(await queue.fail(other, 'w', 'bad input', false), 'failed');
    });

    it('cancels a queued job at once and flags a running one', async () => {
      const queued = await queue.enqueue(store.db, 'cancel.test', {});
      await queue.requestCancel(store.db, queued);
      assert.equal((await queue.getJob(queued))?.status, 'cancelled');
      assert.equal(await queue.claim('w', ['cancel.test']), undefined);
      const running = await queue.enqueue(store.db, 'cancel.test', {});
      await queue.claim('w', ['cancel.test']);
      await queue.requestCancel(store.db, running);
      assert.deepEqual(await queue.renewLease(running, 'w'), { held: true, cancelRequested: true });
    });

    it('refuses job types that have no registered handler', async () => {
      const strict = createJobQueue(store, {
        leaseMs: 300,
        defaultMaxAttempts: 1,
        clock: clock.now,
        jobTypes: [{ name: 'known.test', version: 1, payload: Type.Object({}) }],
      });
      await strict.enqueue(store.db, 'known.test', {});
      await assert.rejects(strict.enqueue(store.db, 'typo.test', {}), /No handler is registered/);
    });

    it('refuses a payload its schema does not describe, and stores the version with the job', async () => {
      const strict = createJobQueue(store, {
        leaseMs: 300,
        defaultMaxAttempts: 1,
        clock: clock.now,
        jobTypes: [{ name: 'numbered.test', version: 3, payload: Numbered }],
      });
      await assert.rejects(strict.enqueue(store.db, 'numbered.test', { n: 'four' }), /does not fit its schema: \/n/);
      const id = await strict.enqueue(store.db, 'numbered.test', { n: 4 });
      assert.equal((await strict.getJob(id))?.version, 3);
    });

    it('leaves a job of a newer version to a worker that runs that version', async () => {
      const newer = createJobQueue(store, {
        leaseMs: 300,
        defaultMaxAttempts: 1,
        clock: clock.now,
        jobTypes: [{ name: 'versioned.test', version: 2, payload: Numbered }],
      });
      const id = await newer.enqueue(store.db, 'versioned.test', { n: 1 });
      assert.equal(
        await queue.claim('old-worker', ['versioned.test'], { 'versioned.test': 1 }),
        undefined,
        'a v1 worker does not take a v2 job',
      );
      assert.equal((await queue.claim('new-worker', ['versioned.test'], { 'versioned.test': 2 }))?.id, id);
    });

    it('fails, without retrying, a stored job whose payload the handler no longer reads', async () => {
      const queue = realTimeQueue();
      const id = await queue.enqueue(store.db, 'renamed.test', { count: 1 });
      const failures: string[] = [];
      const registry = new JobRegistry<null>().register(
        defineJob<{ n: number }, null>({
          name: 'renamed.test',
          version: 1,
          payload: Numbered,
          async run() {
            throw new Error('a handler given a payload it cannot read must not run');
          },
          async onFailure(_payload, error) {
            failures.push(`${error.code}: ${error.message}`);
          },
        }),
      );
      const worker = createWorker({ queue, registry, deps: null, concurrency: 1, leaseMs: 30_000, pollMs: 20, logger: silent });
      worker.start();
      try {
        const job = await waitFor(
          () => queue.getJob(id),
          (row) => row?.status === 'failed',
        );
        assert.equal(job?.attempts, 1);
        assert.match(failures[0] ?? '', /^invalid_request: The payload of job "renamed.test" v1 does not fit .*\/n/);
      } finally {
        await worker.stop();
      }
    });

    it('grows the backoff with each attempt up to the cap', () => {
      assert.ok(computeBackoffMs(1, 1000, 60_000) <= 1250);
      assert.ok(computeBackoffMs(4, 1000, 60_000) >= 6000);
      assert.ok(computeBackoffMs(20, 1000, 60_000) <= 75_000);
    });

    it('runs registered handlers, resumes after saved steps and reports final failures', async () => {
      const calls: string[] = [];
      const failures: string[] = [];
      const registry = new JobRegistry<{ label: string }>();
      registry.register(
        defineJob<{ n: number }, { label: string }>({
          name: 'steps.test',
          version: 1,
          payload: Numbered,
          async run({ n }, { step, attempt }) {
            const a = await step('first', async () => {
              calls.push(`first-${n}`);
              return n * 10;
            });
            await step('second', async () => {
              calls.push(`second-${n}-${attempt}`);
              if (attempt === 1) throw new AppError('internal_error', 'transient');
              return a + 1;
            });
          },
        }),
      );
      registry.register(
        defineJob<{ n: number }, { label: string }>({
          name: 'bad.test',
          version: 1,
          payload: Numbered,
          async run() {
            throw new AppError('unreadable_document', 'never works');
          },
          async onFailure(_payload, error) {
            failures.push(error.code);
          },
        }),
      );
      assert.throws(
        () => registry.register(defineJob({ name: 'bad.test', version: 2, payload: Numbered, async run() {} })),
        /registered twice/,
      );
      const queue = realTimeQueue();
      const worker = createWorker({ queue, registry, deps: { label: 'x' }, concurrency: 2, leaseMs: 30_000, pollMs: 20, logger: silent });
      worker.start();
      try {
        const good = await queue.enqueue(store.db, 'steps.test', { n: 4 });
        const bad = await queue.enqueue(store.db, 'bad.test', { n: 1 });
        queue.wake();
        await waitFor(
          () => queue.getJob(good),
          (job) => job?.status === 'succeeded',
        );
        await waitFor(
          () => queue.getJob(bad),
          (job) => job?.status === 'failed',
        );
        assert.deepEqual(calls, ['first-4', 'second-4-1', 'second-4-2']);
        assert.deepEqual(failures, ['unreadable_document']);
      } finally {
        await worker.stop();
      }
    });
  });
}

if (DIALECTS.includes('postgres')) {
  describe('job queue signals between processes on postgres', () => {
    it('wakes an idle worker of another process when a job is queued', async () => {
      const database = await createTestDatabase('postgres');
      const first = await database.openStore();
      const second = await database.openStore();
      try {
        const producer = createJobQueue(first, { leaseMs: 1000, defaultMaxAttempts: 1 });
        const consumer = createJobQueue(second, { leaseMs: 1000, defaultMaxAttempts: 1 });
        let woken = 0;
        consumer.onWake(() => woken++);
        // The subscription is set up asynchronously; keep signalling until it is heard.
        await waitFor(
          async () => {
            producer.wake();
            await new Promise((resolve) => setTimeout(resolve, 50));
            return woken;
          },
          (count) => count > 0,
        );
      } finally {
        await first.close();
        await second.close();
        await database.drop();
      }
    });
  });
}
