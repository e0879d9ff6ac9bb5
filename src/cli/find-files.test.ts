import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { findFiles, globToRegExp, matchesGlob } from './find-files.js';

describe('finding files in folders', () => {
  it('matches a glob without "/" against the file name, in any case', () => {
    assert.ok(matchesGlob('scans/2024/Invoice.PDF', '*.pdf'));
    assert.ok(matchesGlob('a.tiff', '*.{tif,tiff}'));
    assert.ok(!matchesGlob('a.pdf.txt', '*.pdf'));
  });

  it('matches a glob with "/" against the path below the folder, ** spanning folders', () => {
    assert.ok(matchesGlob('scans/a.tif', 'scans/*.tif'));
    assert.ok(!matchesGlob('other/scans/a.tif', 'scans/*.tif'));
    assert.ok(matchesGlob('other/scans/a.tif', '**/scans/*.tif'));
    assert.ok(matchesGlob('a.tif', '**/*.tif'));
    assert.ok(!matchesGlob('scans/deep/a.tif', 'scans/*.tif'));
    assert.ok(matchesGlob('scans/deep/a.tif', 'scans/**'));
  });

  it('refuses a glob with an unclosed brace', () => {
    assert.throws(() => globToRegExp('*.{pdf'), /unclosed/);
  });

  it('walks folders recursively in path order and keeps files given by name', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-find-'));
    try {
      for (const name of ['b.pdf', 'a/z.png', 'a/notes.txt', 'a/deeper/c.PDF']) {
        fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
        fs.writeFileSync(path.join(root, name), 'x');
      }
      const relative = (files: string[]) => files.map((file) => path.relative(root, file));
      assert.deepEqual(relative(findFiles([root])), ['a/deeper/c.PDF', 'a/z.png', 'b.pdf']);
      assert.deepEqual(relative(findFiles([root], '*.pdf')), ['a/deeper/c.PDF', 'b.pdf']);
      assert.deepEqual(relative(findFiles([path.join(root, 'a/notes.txt'), path.join(root, 'missing.pdf')])), [
        'a/notes.txt',
        'missing.pdf',
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
