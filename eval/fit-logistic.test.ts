import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitLogistic, sigmoid } from './fit-logistic.js';

test('fitLogistic recovers the slope and bias that generated the labels', () => {
  const rows: number[][] = [];
  const targets: number[] = [];
  // Deterministic "labels": the expected share of positives at each x, as fractional targets.
  for (let x = -4; x <= 4; x += 0.1) {
    rows.push([1, x]);
    targets.push(sigmoid(0.5 + 2 * x));
  }
  const [bias, slope] = fitLogistic(rows, targets, { lambda: 1e-9 });
  assert.ok(Math.abs(bias - 0.5) < 1e-3, `bias ${bias}`);
  assert.ok(Math.abs(slope - 2) < 1e-3, `slope ${slope}`);
});

test('a strong penalty keeps the weights at the prior', () => {
  const rows = [
    [1, 0],
    [1, 1],
    [1, 2],
  ];
  const weights = fitLogistic(rows, [0, 1, 1], { lambda: 1e6, prior: [0, 1] });
  assert.ok(Math.abs(weights[0]) < 1e-3 && Math.abs(weights[1] - 1) < 1e-3, `weights ${weights}`);
});
