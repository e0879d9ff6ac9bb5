import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createLocalCopies } from './local-copies.js';

describe('local copies of stored bytes', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-copies-'));
  after(() => fs.rmSync(directory, { recursive: true, force: true }));
  const fetched: string[] = [];
  const copies = createLocalCopies({
    directory,
    maxBytes: 150,
    async fetch(sha256, target) {
      fetched.push(sha256);
      fs.writeFileSync(target, Buffer.alloc(100, sha256));
    },
  });

  it('fetches once while the copy fits, and again once it was evicted', async () => {
    await copies.use('a', async (file) => assert.equal(fs.readFileSync(file).length, 100));
    await copies.use('a', async () => undefined);
    assert.deepEqual(fetched, ['a']);
    await copies.use('b', async () => undefined); // 200 bytes > 150: the least recently used ('a') goes
    assert.equal(fs.existsSync(path.join(directory, 'a')), false);
    await copies.use('a', async () => undefined);
    assert.deepEqual(fetched, ['a', 'b', 'a']);
  });

  it('never evicts a copy while it is being read', async () => {
    await copies.use('c', async (file) => {
      await copies.use('d', async () => undefined);
      await copies.use('e', async () => undefined);
      assert.equal(fs.readFileSync(file).length, 100, 'still there while in use');
    });
  });

  it('fetches once for readers asking at the same time', async () => {
    const before = fetched.length;
    await Promise.all([1, 2, 3].map(() => copies.use('f', async () => undefined)));
    assert.equal(fetched.length - before, 1);
  });
});
