import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { measureBundles, measureDocuments, scoreBundle } from './measure-accuracy.js';

describe('measureDocuments', () => {
  it('counts gold unknown right only when the answer is unknown', () => {
    const metrics = measureDocuments([
      { file: 'a', gold: 'invoice', predicted: 'invoice', confidence: 0.9, reason: '', suggested_class: null },
      { file: 'b', gold: 'unknown', predicted: 'invoice', confidence: 0.6, reason: '', suggested_class: null },
      { file: 'c', gold: 'unknown', predicted: 'unknown', confidence: 0.7, reason: '', suggested_class: 'letter' },
      { file: 'd', gold: 'letter', predicted: 'unknown', confidence: 0.5, reason: '', suggested_class: 'letter' },
    ]);
    assert.equal(metrics.accuracy, 0.5);
    assert.equal(metrics.unknown_precision, 0.5);
    assert.equal(metrics.unknown_recall, 0.5);
    assert.equal(metrics.per_class.invoice.precision, 0.5);
    assert.equal(metrics.per_class.invoice.recall, 1);
    assert.equal(metrics.confusion.unknown.invoice, 1);
    // macro-F1 over gold classes except unknown: invoice 0.667, letter 0
    assert.equal(metrics.macro_f1, 0.3333);
  });
});

describe('bundle metrics', () => {
  it('scores pages, boundaries and exact segments', () => {
    const gold = [
      { class: 'a', first_page: 0, last_page: 1 },
      { class: 'a', first_page: 2, last_page: 2 },
      { class: 'b', first_page: 3, last_page: 4 },
    ];
    const predicted = [
      { class: 'a', first_page: 0, last_page: 2 },
      { class: 'b', first_page: 3, last_page: 4 },
    ];
    const score = scoreBundle(gold, predicted, ['a', 'a', 'a', 'b', 'a']);
    assert.equal(score.correctPages, 4);
    const metrics = measureBundles([score]);
    assert.equal(metrics.page_accuracy, 0.8);
    // one of one predicted boundary right, one of two gold boundaries found
    assert.equal(metrics.boundary_f1, 0.6667);
    assert.equal(metrics.segment_exact, 0.3333);
  });
});
