import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fingerprintCode } from './page-cache.js';

describe('fingerprintCode', () => {
  it('changes when extractor code changes, not when its tests do', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'docsort-fingerprint-'));
    try {
      await writeFile(path.join(directory, 'ocr-page.js'), 'export const a = 1;');
      const first = await fingerprintCode(directory);
      await writeFile(path.join(directory, 'ocr-page.test.js'), 'test');
      assert.equal(await fingerprintCode(directory), first);
      await writeFile(path.join(directory, 'ocr-page.js'), 'export const a = 2;');
      assert.notEqual(await fingerprintCode(directory), first);
      assert.equal(await fingerprintCode(path.join(directory, 'missing')), 'unknown');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
