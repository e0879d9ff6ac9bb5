import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClassificationOutput } from '../core/classifier.js';
import { buildReviewedOutput, readOutput } from './run-view.js';

const initial: ClassificationOutput = {
  classification: { class: 'bank_statement', confidence: 0.8, reason: 'balances', suggested_class: null },
  confidence_scores: { bank_statement: 0.8, pay_stub: 0.15, unknown: 0.05 },
  pages: [0, 1, 2].map((page) => ({ page, class: 'bank_statement', confidence: 0.8, reason: 'balances', suggested_class: null })),
  segments: [{ class: 'bank_statement', first_page: 0, last_page: 2, confidence: 0.8, reason: 'balances' }],
  mode: 'split',
  engine: 'builtin',
};

describe('buildReviewedOutput', () => {
  it('gives every page the reviewed class when no pages are named', () => {
    const reviewed = buildReviewedOutput(initial, { class: 'pay_stub' });
    assert.equal(reviewed.classification.class, 'pay_stub');
    assert.deepEqual(reviewed.confidence_scores, { bank_statement: 0, pay_stub: 1, unknown: 0 });
    assert.ok(reviewed.pages.every((page) => page.class === 'pay_stub'));
    assert.deepEqual(reviewed.segments, [{ class: 'pay_stub', first_page: 0, last_page: 2, confidence: 1, reason: 'Set by a reviewer.' }]);
    assert.equal(initial.classification.class, 'bank_statement', 'the initial output is not changed');
  });

  it('changes only the named pages and splits segments where labels change', () => {
    const reviewed = buildReviewedOutput(initial, { class: 'bank_statement', pages: [{ page: 2, class: 'pay_stub' }] });
    assert.deepEqual(
      reviewed.pages.map((page) => page.class),
      ['bank_statement', 'bank_statement', 'pay_stub'],
    );
    assert.deepEqual(
      reviewed.segments.map((segment) => [segment.class, segment.first_page, segment.last_page]),
      [
        ['bank_statement', 0, 1],
        ['pay_stub', 2, 2],
      ],
    );
    assert.equal(reviewed.segments[1].reason, 'Set by a reviewer.');
    assert.match(reviewed.segments[0].reason, /^Pages 0–1 labelled 'bank_statement' after a review/);
  });

  it("takes a reviewer's segments as given, pages following their segment unless named", () => {
    const reviewed = buildReviewedOutput(initial, {
      class: 'bank_statement',
      segments: [
        { first_page: 0, last_page: 0, class: 'bank_statement' },
        { first_page: 1, last_page: 2, class: 'pay_stub' },
      ],
      pages: [{ page: 2, class: 'unknown' }],
    });
    assert.deepEqual(
      reviewed.segments.map((segment) => [segment.class, segment.first_page, segment.last_page, segment.confidence]),
      [
        ['bank_statement', 0, 0, 1],
        ['pay_stub', 1, 2, 1],
      ],
    );
    assert.deepEqual(
      reviewed.pages.map((page) => page.class),
      ['bank_statement', 'pay_stub', 'unknown'],
    );
    assert.equal(reviewed.pages[0].confidence, 0.8, 'a page already in its segment class keeps the engine label');
  });

  it('gives a segment stored without a reason one when read back', () => {
    const { segments, ...rest } = initial;
    const stored = JSON.stringify({ ...rest, segments: segments.map(({ reason: _reason, ...segment }) => segment) });
    const output = readOutput(stored);
    assert.match(output!.segments[0].reason, /^Pages 0–2 labelled 'bank_statement'; no reason was recorded/);
  });
});
