import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scoreWithLearnedModel, trainLearnedModel } from './learned-model.js';

describe('learned model', () => {
  const examples = [
    { class: 'a', pages: ['invoice amount due bill to'] },
    { class: 'a', pages: ['invoice number total due'] },
    { class: 'b', pages: ['dear sir sincerely yours letter'] },
    { class: 'b', pages: ['dear madam kind regards'], source: 'review' as const },
    { class: 'zzz', pages: ['not a class of this classifier'] },
  ];

  it("trains centroids for the classifier's classes only and survives JSON", () => {
    const model = trainLearnedModel(examples, ['a', 'b']);
    assert.ok(model);
    assert.deepEqual(model.classes.sort(), ['a', 'b']);
    assert.deepEqual(model.counts, { a: 2, b: 2 });
    const copy = JSON.parse(JSON.stringify(model));
    const score = scoreWithLearnedModel(copy, 'Invoice: amount due now');
    assert.ok(score.similarity.a > score.similarity.b);
  });

  it('counts similar examples for reasons, telling reviewed ones apart', () => {
    const model = trainLearnedModel(examples, ['a', 'b'])!;
    const score = scoreWithLearnedModel(model, 'dear madam, kind regards');
    assert.equal(score.neighbours.b?.reviewed, 1);
  });

  it('returns no model without usable examples', () => {
    assert.equal(trainLearnedModel([], ['a']), null);
    assert.equal(trainLearnedModel([{ class: 'a', pages: ['   '] }], ['a']), null);
  });
});

describe('learned model with layout signatures', () => {
  // Two classes whose texts overlap completely but whose layouts differ: only layout tells them apart.
  const layoutA = (jitter: number) => Array.from({ length: 29 }, (_, i) => (i % 2 === 0 ? 0.8 : 0.1) + jitter);
  const layoutB = (jitter: number) => Array.from({ length: 29 }, (_, i) => (i % 2 === 0 ? 0.1 : 0.8) + jitter);
  const text = 'quarterly figures sent for review';
  const examples = [0, 0.01, 0.02, 0.03].flatMap((jitter) => [
    { class: 'a', pages: [text], layout: layoutA(jitter) },
    { class: 'b', pages: [text], layout: layoutB(jitter) },
  ]);

  it('gives layout a weight when it separates the examples, and uses it on new pages', () => {
    const model = trainLearnedModel(examples, ['a', 'b'])!;
    assert.ok((model.layoutWeight ?? 0) > 0);
    const score = scoreWithLearnedModel(model, text, layoutB(0.015));
    assert.ok(score.layoutNearest.b > score.layoutNearest.a);
    assert.ok(score.layoutMean.b > score.layoutMean.a);
  });

  it('gives layout no weight without signatures', () => {
    const model = trainLearnedModel(
      examples.map(({ layout: _layout, ...rest }) => rest),
      ['a', 'b'],
    )!;
    assert.equal(model.layoutWeight, 0);
    assert.deepEqual(scoreWithLearnedModel(model, text, layoutA(0)).layoutNearest, {});
  });
});
