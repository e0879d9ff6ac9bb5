import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkJsonValue, MAX_JSON_DEPTH } from './json-limits.js';

const nestedArrays = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

describe('checkJsonValue', () => {
  it('takes ordinary JSON up to the depth limit', () => {
    checkJsonValue({ a: [1, 'two', { three: null }], b: true }, 'metadata');
    checkJsonValue(nestedArrays(MAX_JSON_DEPTH), 'metadata');
  });

  it('refuses 100,000 nested arrays without overflowing the stack itself', () => {
    assert.throws(() => checkJsonValue(nestedArrays(100_000), 'metadata'), {
      code: 'invalid_request',
      message: /metadata nests deeper than 64/,
    });
  });

  it('refuses a value one level past the limit', () => {
    assert.throws(() => checkJsonValue(nestedArrays(MAX_JSON_DEPTH + 1), 'body'), { code: 'invalid_request' });
  });

  it('refuses a NUL in a string or in a key, wherever it sits', () => {
    assert.throws(() => checkJsonValue({ a: [{ b: 'x\u0000y' }] }, 'body'), { code: 'invalid_request', message: /NUL/ });
    assert.throws(() => checkJsonValue({ 'k\u0000': 1 }, 'body'), { code: 'invalid_request', message: /NUL/ });
  });
});
