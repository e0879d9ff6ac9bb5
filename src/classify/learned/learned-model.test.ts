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

  it('trains centroids for the classifier\'s classes only and survives JSON', () => {
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
