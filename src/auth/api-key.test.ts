import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateApiKey, hashApiKey, keyMatchesHash, readPresentedKey } from './api-key.js';

describe('api keys', () => {
  it('creates distinct high-entropy keys whose prefix is the start of the key', () => {
    const first = generateApiKey();
    const second = generateApiKey();
    assert.notEqual(first.key, second.key);
    assert.ok(first.key.startsWith(first.prefix));
    assert.ok(first.key.length >= 40);
    assert.equal(first.hash, hashApiKey(first.key));
    assert.ok(!first.hash.includes(first.key));
  });

  it('matches a key only against its own hash', () => {
    const { key, hash } = generateApiKey();
    assert.equal(keyMatchesHash(key, hash), true);
    assert.equal(keyMatchesHash(key + 'x', hash), false);
    assert.equal(keyMatchesHash(key, 'not-hex'), false);
  });

  it('reads the key from a Bearer authorization header or x-api-key', () => {
    assert.equal(readPresentedKey({ authorization: 'Bearer dsk_abc' }), 'dsk_abc');
    assert.equal(readPresentedKey({ authorization: 'bearer   dsk_abc ' }), 'dsk_abc');
    assert.equal(readPresentedKey({ 'x-api-key': ' dsk_xyz ' }), 'dsk_xyz');
    assert.equal(readPresentedKey({ authorization: 'Basic Zm9vOmJhcg==' }), null);
    assert.equal(readPresentedKey({}), null);
  });
});
