import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from '../core/errors.js';
import { CURRENT_API_VERSION, resolveApiVersion } from './api-version.js';

describe('api version', () => {
  it('defaults to the current version', () => {
    assert.equal(resolveApiVersion(undefined), CURRENT_API_VERSION);
    assert.equal(resolveApiVersion(' '), CURRENT_API_VERSION);
  });

  it('accepts a known date and refuses an unknown one with unsupported_version', () => {
    assert.equal(resolveApiVersion('2026-11-01'), '2026-11-01');
    assert.throws(
      () => resolveApiVersion('2020-01-01'),
      (error) => isAppError(error) && error.code === 'unsupported_version',
    );
  });
});
