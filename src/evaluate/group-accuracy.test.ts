import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { measureGroups, NO_VALUE, worstGroups } from './group-accuracy.js';
import { readManifest } from './read-manifest.js';

const outcome = (group: string, correct: boolean) => ({ group, correct });

describe('accuracy per group', () => {
  it('counts each group on its own and lists the largest group first', () => {
    const perGroup = measureGroups([
      outcome('small/repo', false),
      outcome('big/repo', true),
      outcome('big/repo', true),
      outcome('big/repo', false),
      outcome('', true),
    ]);
    assert.deepEqual(Object.keys(perGroup), ['big/repo', NO_VALUE, 'small/repo']);
    assert.deepEqual(perGroup['big/repo'], { accuracy: 0.6667, count: 3 });
    assert.deepEqual(perGroup['small/repo'], { accuracy: 0, count: 1 });
    assert.deepEqual(perGroup[NO_VALUE], { accuracy: 1, count: 1 });
  });

  it('names the worst groups, the larger first among equals, and leaves out groups with nothing wrong', () => {
    const perGroup = measureGroups([
      outcome('a', false),
      outcome('b', false),
      outcome('b', false),
      outcome('c', true),
      outcome('c', false),
      outcome('d', true),
    ]);
    assert.deepEqual(
      worstGroups(perGroup, 10).map(([group]) => group),
      ['b', 'a', 'c'],
    );
    assert.equal(worstGroups(perGroup, 1).length, 1);
  });
});

describe('manifest columns for grouping', () => {
  it('keeps every column of a row under its lower-case header name', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'docsort-manifest-'));
    const manifestPath = path.join(folder, 'm.csv');
    await writeFile(manifestPath, 'file,label,Repo,lang\na.pdf,invoice,owner/one,de\nb.pdf,other,,en\n');
    const manifest = await readManifest(manifestPath);
    assert.deepEqual(manifest.columns, ['file', 'label', 'repo', 'lang']);
    assert.equal(manifest.rows[0].columns?.repo, 'owner/one');
    assert.equal(manifest.rows[1].columns?.repo, '');
    assert.equal(manifest.rows[1].columns?.lang, 'en');
  });
});
