import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateLimiter } from './rate-limiter.js';

describe('rate limiter', () => {
  it('allows a burst, then refuses with the wait until the next token', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 3, now: () => now });
    for (let i = 0; i < 3; i++) assert.equal(limiter.take('k', 6).allowed, true);
    const refused = limiter.take('k', 6);
    assert.equal(refused.allowed, false);
    assert.equal(refused.remaining, 0);
    assert.equal(refused.retryAfterSeconds, 10);
    now += 10_000;
    assert.equal(limiter.take('k', 6).allowed, true);
  });

  it('keeps one bucket per key', () => {
    const limiter = new RateLimiter({ burst: 1, now: () => 0 });
    assert.equal(limiter.take('a', 60).allowed, true);
    assert.equal(limiter.take('a', 60).allowed, false);
    assert.equal(limiter.take('b', 60).allowed, true);
  });

  it('caps the burst at the per-minute limit and treats 0 as unlimited', () => {
    const limiter = new RateLimiter({ burst: 100, now: () => 0 });
    assert.equal(limiter.take('a', 2).allowed, true);
    assert.equal(limiter.take('a', 2).allowed, true);
    assert.equal(limiter.take('a', 2).allowed, false);
    for (let i = 0; i < 500; i++) assert.equal(limiter.take('free', 0).allowed, true);
  });
});
