import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findContrastStretch } from './contrast-stretch.js';

function apply(value: number, map: { multiply: number; add: number }): number {
  return Math.max(0, Math.min(255, Math.round(value * map.multiply + map.add)));
}

test('a faded scan (grey ink on grey paper) is stretched to black on white', () => {
  const pixels = new Uint8Array(10_000).fill(200);
  pixels.fill(90, 0, 1_000); // 10% ink
  const map = findContrastStretch(pixels);
  assert.ok(map);
  assert.equal(apply(90, map), 0);
  assert.equal(apply(200, map), 255);
});

test('a few outlier pixels do not decide the range', () => {
  const pixels = new Uint8Array(10_000).fill(180);
  pixels.fill(60, 0, 2_000);
  pixels[0] = 0; // one speck of pure black
  pixels[1] = 255; // one speck of pure white
  const map = findContrastStretch(pixels);
  assert.ok(map);
  assert.equal(apply(60, map), 0);
  assert.equal(apply(180, map), 255);
});

test('a flat page and a page already using the full range are left alone', () => {
  assert.equal(findContrastStretch(new Uint8Array(1_000).fill(255)), null);
  const full = new Uint8Array(1_000).fill(255);
  full.fill(0, 0, 500);
  assert.equal(findContrastStretch(full), null);
});
