import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClassificationOutput, ClassifierDefinition } from '../core/classifier.js';
import { findRouteTargets } from './run-notifications.js';

const definition: ClassifierDefinition = {
  classes: [
    { name: 'bank_statement', route: 'https://extract.example.com/statements' },
    { name: 'pay_stub', route: 'payroll' },
    { name: 'letter' },
  ],
};

function output(mode: ClassificationOutput['mode'], label: string, segments: ClassificationOutput['segments'] = []): ClassificationOutput {
  return {
    classification: { class: label, confidence: 0.9, reason: '', suggested_class: null },
    confidence_scores: {},
    pages: [],
    segments,
    mode,
    engine: 'builtin',
  };
}

describe('route targets', () => {
  it('routes the whole file by its document class', () => {
    assert.deepEqual(findRouteTargets(definition, output('document', 'pay_stub')), [{ class: 'pay_stub', route: 'payroll', pages: null }]);
  });

  it('routes nothing for a class without a route, or unknown', () => {
    assert.deepEqual(findRouteTargets(definition, output('document', 'letter')), []);
    assert.deepEqual(findRouteTargets(definition, output('document', 'unknown')), []);
  });

  it('routes each split segment of a routed class with its pages', () => {
    const split = output('split', 'bank_statement', [
      { class: 'bank_statement', first_page: 0, last_page: 1, confidence: 0.9, reason: 'r' },
      { class: 'letter', first_page: 2, last_page: 2, confidence: 0.8, reason: 'r' },
      { class: 'pay_stub', first_page: 3, last_page: 3, confidence: 0.7, reason: 'r' },
    ]);
    assert.deepEqual(findRouteTargets(definition, split), [
      { class: 'bank_statement', route: 'https://extract.example.com/statements', pages: { first_page: 0, last_page: 1 } },
      { class: 'pay_stub', route: 'payroll', pages: { first_page: 3, last_page: 3 } },
    ]);
  });
});
