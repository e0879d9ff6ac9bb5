import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConcurrencyLimit } from './concurrency-limit.js';

describe('ConcurrencyLimit', () => {
  it('runs at most `limit` tasks at once, the rest in order, and refuses past the waiting room', async () => {
    const limit = new ConcurrencyLimit(1, 2, 'page requests');
    const order: string[] = [];
    let release!: () => void;
    const first = limit.run(() => new Promise<void>((resolve) => (release = resolve)).then(() => order.push('first')));
    const second = limit.run(async () => order.push('second'));
    const third = limit.run(async () => order.push('third'));
    assert.equal(limit.active, 1);
    assert.equal(limit.queued, 2);
    await assert.rejects(
      limit.run(async () => order.push('fourth')),
      { code: 'service_unavailable', message: /page requests/ },
    );
    release();
    await Promise.all([first, second, third]);
    assert.deepEqual(order, ['first', 'second', 'third']);
    assert.equal(limit.active, 0);
  });

  it('frees the slot when a task fails', async () => {
    const limit = new ConcurrencyLimit(1, 1);
    await assert.rejects(limit.run(async () => Promise.reject(new Error('boom'))));
    assert.equal(await limit.run(async () => 'next'), 'next');
  });
});
