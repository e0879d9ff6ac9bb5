import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binReliability, fitTemperature, measureCalibrationError, softmax } from './calibrate.js';

describe('calibration', () => {
  it('softmax sums to 1 and gives -Infinity logits no mass', () => {
    const probabilities = softmax([1, 2, -Infinity], 2);
    assert.ok(Math.abs(probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    assert.equal(probabilities[2], 0);
    assert.ok(probabilities[1] > probabilities[0]);
  });

  it('measures zero error when confidence matches accuracy in every bin', () => {
    const samples = [
      ...Array.from({ length: 8 }, () => ({ confidence: 0.75, correct: true })),
      ...Array.from({ length: 2 }, () => ({ confidence: 0.75, correct: false })),
    ];
    // 8 of 10 right at 0.75 confidence: a gap of 0.05
    assert.ok(Math.abs(measureCalibrationError(samples) - 0.05) < 1e-9);
    assert.equal(measureCalibrationError([{ confidence: 1, correct: true }]), 0);
  });

  it('puts every sample in exactly one reliability bin', () => {
    const samples = [0, 0.1, 0.15, 0.5, 0.99, 1].map((confidence) => ({ confidence, correct: true }));
    const bins = binReliability(samples);
    assert.equal(
      bins.reduce((sum, bin) => sum + bin.count, 0),
      samples.length,
    );
  });

  it('fits a sharper softmax when the top logit is reliably right', () => {
    const logits = Array.from({ length: 50 }, () => [2, 1, 0]);
    const gold = logits.map(() => 0);
    const noisyGold = logits.map((_, i) => (i % 2 === 0 ? 0 : 1));
    assert.ok(fitTemperature(logits, gold) > fitTemperature(logits, noisyGold));
  });
});
