import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPrivateAddress, resolvePublicAddress } from './safe-fetch.js';

describe('isPrivateAddress', () => {
  it('flags loopback, private, link-local and mapped forms', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:a9fe:a9fe',
      '224.0.0.1',
      '0:0:0:0:0:ffff:7f00:1',
      '::7f00:1',
      '64:ff9b::7f00:1',
      '64:ff9b::a00:1',
      '64:ff9b:1::a9fe:a9fe',
      '2002:7f00:1::',
      '2002:a9fe:a9fe::1',
    ]) {
      assert.equal(isPrivateAddress(address), true, address);
    }
  });

  it('flags IPv4-translated (::ffff:0:0/96) and Teredo (2001::/32) addresses, which tunnel to any IPv4 host', () => {
    for (const address of [
      '::ffff:0:7f00:1',
      '::ffff:0:808:808',
      '0:0:0:0:ffff:0:a9fe:a9fe',
      '2001::1',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    ]) {
      assert.equal(isPrivateAddress(address), true, address);
    }
  });

  it('lets public addresses through', () => {
    for (const address of [
      '8.8.8.8',
      '1.1.1.1',
      '172.32.0.1',
      '2606:4700:4700::1111',
      '::ffff:8.8.8.8',
      '64:ff9b::808:808',
      '2002:808:808::1',
      '2001:4860:4860::8888',
    ]) {
      assert.equal(isPrivateAddress(address), false, address);
    }
  });

  it('refuses host names that resolve to loopback unless allowed', async () => {
    await assert.rejects(resolvePublicAddress('localhost', false), { code: 'url_not_allowed' });
    await assert.rejects(resolvePublicAddress('[::1]', false), { code: 'url_not_allowed' });
    assert.equal((await resolvePublicAddress('127.0.0.1', true)).address, '127.0.0.1');
  });
});
