import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RETRY_SCHEDULE_MS, nextRetryDelay, parseRetrySchedule } from './retry-schedule.js';

describe('webhook retry schedule', () => {
  it('parses delays with units, bare numbers as seconds', () => {
    assert.deepEqual(parseRetrySchedule('500ms, 2, 1.5s,5m,1h'), [500, 2000, 1500, 300_000, 3_600_000]);
  });

  it('refuses empty lists and unknown units', () => {
    assert.throws(() => parseRetrySchedule(' , '), /at least one/);
    assert.throws(() => parseRetrySchedule('5d'), /not a delay/);
  });

  it('gives the delay after each failed attempt, then gives up', () => {
    assert.equal(nextRetryDelay([10, 20], 1), 10);
    assert.equal(nextRetryDelay([10, 20], 2), 20);
    assert.equal(nextRetryDelay([10, 20], 3), null);
  });

  it('keeps retrying for hours by default, growing each time', () => {
    const total = DEFAULT_RETRY_SCHEDULE_MS.reduce((sum, delay) => sum + delay, 0);
    assert.ok(total > 12 * 3_600_000);
    for (let i = 1; i < DEFAULT_RETRY_SCHEDULE_MS.length; i++) assert.ok(DEFAULT_RETRY_SCHEDULE_MS[i] >= DEFAULT_RETRY_SCHEDULE_MS[i - 1]);
  });
});
