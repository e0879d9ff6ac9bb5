import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupedFolds, groupOf } from './grouped-folds.js';
import { decideTempered, fitPostHocTemperature, measureLogLoss, temperProbabilities } from './post-hoc-temperature.js';

// 12 sources of 1–6 documents, and two documents of no known source.
const rows = [
  ...Array.from({ length: 40 }, (_, i) => ({
    file: `f${i}.pdf`,
    columns: { repo: `owner/repo${i % 12}`, lang: i % 2 ? 'de' : 'en' },
  })).filter((_, i) => i % 12 >= (i % 7) - 1),
  { file: 'loose-a.pdf', columns: { repo: '', lang: 'en' } },
  { file: 'loose-b.pdf', columns: { repo: '', lang: 'en' } },
];

describe('source-grouped folds', () => {
  it('never puts one source in both the training and the test rows of a fold', () => {
    for (const k of [2, 3, 5]) {
      for (const fold of groupedFolds(rows, k, 1)) {
        const trainSources = new Set(fold.train.map((row) => groupOf(row, 'repo')));
        for (const row of fold.test) assert.ok(!trainSources.has(groupOf(row, 'repo')), `k=${k}: ${row.columns.repo} split`);
        assert.equal(fold.train.length + fold.test.length, rows.length);
      }
    }
  });

  it('tests every row exactly once, in folds of similar size', () => {
    const folds = groupedFolds(rows, 3, 1);
    const tested = folds.flatMap((fold) => fold.test.map((row) => row.file));
    assert.deepEqual([...tested].sort(), rows.map((row) => row.file).sort());
    const sizes = folds.map((fold) => fold.test.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 6, `sizes ${sizes}`);
  });

  it('leaves one source out per fold when k is at least the number of sources', () => {
    const sources = new Set(rows.map((row) => groupOf(row, 'repo')));
    const folds = groupedFolds(rows, 1000, 1);
    assert.equal(folds.length, sources.size);
    for (const fold of folds) {
      assert.equal(fold.groups.length, 1);
      assert.equal(new Set(fold.test.map((row) => groupOf(row, 'repo'))).size, 1);
    }
    // Rows without a source are sources of their own, not one lump.
    assert.ok(folds.some((fold) => fold.groups[0] === 'file:loose-a.pdf'));
  });

  it('groups by any column and deals the same folds for the same seed', () => {
    assert.equal(groupedFolds(rows, 5, 1, 'lang').length, 2);
    const heldOut = (seed: number) => groupedFolds(rows, 4, seed).map((fold) => fold.groups.join(','));
    assert.deepEqual(heldOut(3), heldOut(3));
    assert.notDeepEqual(heldOut(3), heldOut(4));
  });
});

describe('post-hoc temperature', () => {
  const classifier = { classes: [{ name: 'invoice' }, { name: 'letter' }] };

  it('sharpens above 1 and flattens below, keeping a distribution', () => {
    const scores = { invoice: 0.6, letter: 0.3, unknown: 0.1 };
    const sharper = temperProbabilities(scores, 2);
    const flatter = temperProbabilities(scores, 0.5);
    assert.ok(sharper.invoice > 0.6 && flatter.invoice < 0.6);
    assert.ok(Math.abs(Object.values(sharper).reduce((a, b) => a + b, 0) - 1) < 1e-12);
  });

  it('fits a flattening temperature to an over-confident engine and a sharpening one to a timid engine', () => {
    // Over-confident: says 0.95 and is right 6 times in 10.
    const overConfident = Array.from({ length: 10 }, (_, i) => ({
      scores: { invoice: 0.95, letter: 0.04, unknown: 0.01 },
      gold: i < 6 ? 'invoice' : 'letter',
    }));
    assert.ok(fitPostHocTemperature(overConfident) < 1);
    // Timid: says 0.5 and is always right.
    const timid = Array.from({ length: 10 }, () => ({ scores: { invoice: 0.5, letter: 0.3, unknown: 0.2 }, gold: 'invoice' }));
    assert.ok(fitPostHocTemperature(timid) > 1);
    assert.ok(measureLogLoss(timid, 2) < measureLogLoss(timid, 1));
  });

  it('decides the label again, so flattening can push a weak class below the unknown threshold', () => {
    const four = { classes: [{ name: 'invoice' }, { name: 'letter' }, { name: 'memo' }, { name: 'form' }] };
    const document = { scores: { invoice: 0.3, letter: 0.2, memo: 0.2, form: 0.2, unknown: 0.1 }, gold: 'invoice' };
    const shipped = decideTempered(document, 1, four);
    assert.equal(shipped.label, 'invoice');
    assert.ok(Math.abs(shipped.confidence - 0.3) < 1e-12);
    const flattened = decideTempered(document, 0.3, four);
    assert.equal(flattened.label, 'unknown');
    assert.equal(flattened.correct, false);
    assert.equal(decideTempered({ scores: { invoice: 0.2, letter: 0.7, unknown: 0.1 }, gold: 'letter' }, 2, classifier).label, 'letter');
  });
});
