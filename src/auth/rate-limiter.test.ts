import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/helpers/test-database.js';
import type { Store } from '../store/database.js';
import { createRateLimiter } from './rate-limiter.js';

for (const dialect of DIALECTS) {
  describe(`rate limiter (${dialect})`, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await createTestDatabase(dialect);
      store = await database.openStore();
    });
    after(async () => {
      await store.close();
      await database.drop();
    });

    it('allows a burst, then refuses with the wait until the next token', async () => {
      let now = 1_000_000;
      const limiter = createRateLimiter(store.db, { burst: 3, now: () => now });
      for (let i = 0; i < 3; i++) assert.equal((await limiter.take('k', 6)).allowed, true);
      const refused = await limiter.take('k', 6);
      assert.equal(refused.allowed, false);
      assert.equal(refused.remaining, 0);
      assert.equal(refused.retryAfterSeconds, 10);
      now += 10_000;
      assert.equal((await limiter.take('k', 6)).allowed, true);
    });

    it('keeps one bucket per key', async () => {
      const limiter = createRateLimiter(store.db, { burst: 1, now: () => 0 });
      assert.equal((await limiter.take('a', 60)).allowed, true);
      assert.equal((await limiter.take('a', 60)).allowed, false);
      assert.equal((await limiter.take('b', 60)).allowed, true);
    });

    it('shares the bucket between limiters, as between API processes', async () => {
      const first = createRateLimiter(store.db, { burst: 2, now: () => 5 });
      const second = createRateLimiter(store.db, { burst: 2, now: () => 5 });
      const decisions = await Promise.all([
        first.take('shared', 2),
        second.take('shared', 2),
        first.take('shared', 2),
        second.take('shared', 2),
      ]);
      assert.equal(decisions.filter((decision) => decision.allowed).length, 2);
    });

    it('caps the burst at the per-minute limit and treats 0 as unlimited', async () => {
      const limiter = createRateLimiter(store.db, { burst: 100, now: () => 0 });
      assert.equal((await limiter.take('c', 2)).allowed, true);
      assert.equal((await limiter.take('c', 2)).allowed, true);
      assert.equal((await limiter.take('c', 2)).allowed, false);
      for (let i = 0; i < 50; i++) assert.equal((await limiter.take('free', 0)).allowed, true);
    });

    it('starts a full bucket when the key gets another limit', async () => {
      const limiter = createRateLimiter(store.db, { burst: 1, now: () => 0 });
      assert.equal((await limiter.take('d', 1)).allowed, true);
      assert.equal((await limiter.take('d', 1)).allowed, false);
      assert.equal((await limiter.take('d', 5)).allowed, true);
    });
  });
}
