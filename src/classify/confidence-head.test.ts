import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from '../core/document.js';
import { measureConfidenceFeatures } from './confidence-features.js';
import { CONFIDENCE_WEIGHTS, headConfidence, IDENTITY_HEAD, recalibrateReading, withLabelConfidence } from './confidence-head.js';
import type { PageScores } from './engine.js';

function page(text: string, source: 'text' | 'ocr', ocrConfidence: number | null): Page {
  return { page: 0, source, text, lines: [], width: 612, height: 792, rotation: 0, ocr_confidence: ocrConfidence };
}

function scores(informativeness: number): PageScores {
  return { page: 0, probabilities: {}, evidence: {}, opening: 1, informativeness, source: 'text' };
}

test('the identity head reports the engine confidence unchanged', () => {
  const features = measureConfidenceFeatures([page('Invoice number 42', 'text', null)], [scores(1)], {
    label: 'invoice',
    confidence: 0.83,
  });
  assert.ok(Math.abs(headConfidence(features, IDENTITY_HEAD) - 0.83) < 1e-3);
});

test('the same reading is trusted less from a doubtful scan than from a text layer', () => {
  const probabilities = { invoice: 0.9, receipt: 0.06, unknown: 0.04 };
  const decision = { label: 'invoice', confidence: 0.9, rejected: false };
  const fromText = recalibrateReading([page('Invoice total due', 'text', null)], [scores(0.9)], probabilities, decision);
  const fromScan = recalibrateReading([page('Invoice total due', 'ocr', 0.35)], [scores(0.9)], probabilities, decision);
  assert.ok(fromScan.confidence < fromText.confidence, `${fromScan.confidence} < ${fromText.confidence}`);
  assert.ok(CONFIDENCE_WEIGHTS.weights.ocrDoubt < 0, 'OCR doubt lowers confidence in the shipped weights');
});

test('a recalibrated distribution keeps its ranking, its sum and the label on top', () => {
  const probabilities = { invoice: 0.5, receipt: 0.3, form: 0.15, unknown: 0.05 };
  for (const confidence of [0.35, 0.6, 0.95]) {
    const result = withLabelConfidence(probabilities, 'invoice', confidence);
    const sum = Object.values(result).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, `sums to 1 at ${confidence}`);
    assert.ok(Math.abs(result.invoice - confidence) < 1e-6, `label at ${confidence}`);
    assert.ok(result.invoice > result.receipt && result.receipt > result.form && result.form > result.unknown, `ranking at ${confidence}`);
  }
});

test('a rejection below the threshold keeps the other classes in proportion', () => {
  const probabilities = { invoice: 0.2, receipt: 0.2, unknown: 0.1, form: 0.5 };
  const result = withLabelConfidence(probabilities, 'unknown', 0.3);
  assert.ok(Math.abs(result.unknown - 0.3) < 1e-9);
  assert.ok(Math.abs(result.invoice / result.form - 0.4) < 1e-9);
});
