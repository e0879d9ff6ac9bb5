import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClassificationOutput } from './classifier.js';
import { decideReviewStatus } from './review-status.js';

function output(label: string, confidence: number, segmentConfidences: number[] = [], mode = 'document'): ClassificationOutput {
  return {
    classification: { class: label, confidence, reason: 'r', suggested_class: null },
    confidence_scores: { [label]: confidence },
    pages: [],
    segments: segmentConfidences.map((value, index) => ({
      class: label,
      first_page: index,
      last_page: index,
      confidence: value,
      reason: 'r',
    })),
    mode: mode as ClassificationOutput['mode'],
    engine: 'builtin',
  };
}

describe('decideReviewStatus', () => {
  it('sends failed runs and unknown answers to the queue', () => {
    assert.equal(decideReviewStatus({ status: 'FAILED', reviewed: false, output: null, settings: {} }), 'needs_review');
    assert.equal(
      decideReviewStatus({ status: 'PROCESSED', reviewed: false, output: output('unknown', 0.9), settings: {} }),
      'needs_review',
    );
  });

  it('accepts confident answers, and any answer when the classifier sets no review_below', () => {
    assert.equal(
      decideReviewStatus({ status: 'PROCESSED', reviewed: false, output: output('invoice', 0.3), settings: {} }),
      'auto_accepted',
    );
    const settings = { review_below: 0.8 };
    assert.equal(decideReviewStatus({ status: 'PROCESSED', reviewed: false, output: output('invoice', 0.85), settings }), 'auto_accepted');
    assert.equal(decideReviewStatus({ status: 'PROCESSED', reviewed: false, output: output('invoice', 0.79), settings }), 'needs_review');
  });

  it('holds a split file for review when one of its documents is unsure', () => {
    const settings = { review_below: 0.8 };
    const split = output('invoice', 0.95, [0.95, 0.6], 'split');
    assert.equal(decideReviewStatus({ status: 'PROCESSED', reviewed: false, output: split, settings }), 'needs_review');
  });

  it('says reviewed once a person has decided, and nothing for open or cancelled runs', () => {
    assert.equal(decideReviewStatus({ status: 'PROCESSED', reviewed: true, output: output('unknown', 0.1), settings: {} }), 'reviewed');
    assert.equal(decideReviewStatus({ status: 'PENDING', reviewed: false, output: null, settings: {} }), null);
    assert.equal(decideReviewStatus({ status: 'PROCESSING', reviewed: true, output: null, settings: {} }), null);
    assert.equal(decideReviewStatus({ status: 'CANCELLED', reviewed: false, output: null, settings: {} }), null);
  });
});
