import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCsv, parseSegments, toGoldLabel } from './read-manifest.js';
import { pickShots, splitHalves } from './split-manifest.js';

const rows = Array.from({ length: 21 }, (_, i) => {
  const label = ['invoice', 'letter', 'unknown'][i % 3];
  return { file: `f${i}.pdf`, path: `/x/f${i}.pdf`, label };
});

describe('manifest halves and shots', () => {
  it('splits every label across two disjoint halves, the same way for the same seed', () => {
    const [a, b] = splitHalves(rows, 7);
    assert.equal(a.length + b.length, rows.length);
    assert.equal(new Set([...a, ...b].map((row) => row.file)).size, rows.length);
    for (const label of ['invoice', 'letter', 'unknown']) {
      const inA = a.filter((row) => row.label === label).length;
      assert.ok(inA >= 3 && inA <= 4, `${label}: ${inA}`);
    }
    assert.deepEqual(
      splitHalves(rows, 7)[0].map((row) => row.file),
      a.map((row) => row.file),
    );
    assert.notDeepEqual(
      splitHalves(rows, 8)[0].map((row) => row.file),
      a.map((row) => row.file),
    );
  });

  it('picks up to K examples per class and never an unknown one', () => {
    const shots = pickShots(rows, 5, 1);
    assert.equal(shots.filter((row) => row.label === 'invoice').length, 5);
    assert.equal(shots.filter((row) => row.label === 'unknown').length, 0);
  });
});

describe('manifest parsing', () => {
  it('reads quoted CSV fields and bundle segments', () => {
    assert.deepEqual(parseCsv('file,note\r\na.pdf,"x, ""y"""\n'), [
      ['file', 'note'],
      ['a.pdf', 'x, "y"'],
    ]);
    assert.deepEqual(parseSegments('bank_statement:0-1;other:2-2'), [
      { class: 'bank_statement', first_page: 0, last_page: 1 },
      { class: 'unknown', first_page: 2, last_page: 2 },
    ]);
    assert.equal(toGoldLabel('other'), 'unknown');
  });
});
