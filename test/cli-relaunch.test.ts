/**
 * The `docsort` bin runs its command in a child process with a malloc arena limit (relaunch.ts).
 * These tests check what a user of the bin relies on: the child really runs with the limit,
 * SIGTERM reaches it and ends it gracefully, and killing the supervisor outright takes the child
 * down with it instead of leaving an unsupervised server running.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { shouldRelaunch } from '../src/cli/relaunch.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import { spawnDocsort, stopChild, waitUntil } from './helpers/test-server.js';

function childPidsOf(pid: number): number[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return children ? children.split(/\s+/).map(Number) : [];
}

function isRunning(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

describe('relaunch decision', () => {
  it('relaunches on Linux unless MALLOC_ARENA_MAX is already set', () => {
    assert.equal(shouldRelaunch({}, 'linux', []), true);
    assert.equal(shouldRelaunch({ MALLOC_ARENA_MAX: '4' }, 'linux', []), false);
    assert.equal(shouldRelaunch({}, 'darwin'), false);
  });

  it('does not relaunch under a debugger, whose port the child could not take', () => {
    assert.equal(shouldRelaunch({}, 'linux', ['--inspect=127.0.0.1:9229']), false);
    assert.equal(shouldRelaunch({ NODE_OPTIONS: '--inspect-brk' }, 'linux', []), false);
    assert.equal(shouldRelaunch({}, 'linux', []), true);
  });
});

describe('the docsort bin under a supervisor', { skip: process.platform !== 'linux' }, () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase('sqlite');
  });
  after(async () => {
    await database.drop();
  });

  it('runs the command in a child with the arena limit, and SIGTERM stops both gracefully', async () => {
    const supervisor = await spawnDocsort('worker', database);
    const [child] = childPidsOf(supervisor.pid!);
    assert.ok(child, 'the supervisor has a child process');
    assert.match(readFileSync(`/proc/${child}/environ`, 'utf8'), /(^|\0)MALLOC_ARENA_MAX=2(\0|$)/);
    const exited = new Promise<[number | null, string | null]>((resolve) =>
      supervisor.once('exit', (code, signal) => resolve([code, signal])),
    );
    supervisor.kill('SIGTERM');
    assert.deepEqual(await exited, [0, null], 'the graceful exit status is passed on');
    assert.equal(isRunning(child), false);
  });

  it('stops gracefully when SIGTERM reaches the supervisor and the child at once (a process-group signal)', async () => {
    const supervisor = await spawnDocsort('worker', database);
    const [child] = childPidsOf(supervisor.pid!);
    assert.ok(child);
    const exited = new Promise<[number | null, string | null]>((resolve) =>
      supervisor.once('exit', (code, signal) => resolve([code, signal])),
    );
    process.kill(child, 'SIGTERM');
    supervisor.kill('SIGTERM');
    assert.deepEqual(await exited, [0, null], 'the second SIGTERM is the same stop request, not a kill');
  });

  it('takes the child down when the supervisor is killed with SIGKILL', async () => {
    const supervisor = await spawnDocsort('worker', database);
    const [child] = childPidsOf(supervisor.pid!);
    assert.ok(child);
    await stopChild(supervisor, 'SIGKILL');
    await waitUntil(
      async () => isRunning(child),
      (running) => !running,
      10_000,
    );
  });
});
