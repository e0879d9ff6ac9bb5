import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { signWebhookPayload, verifyWebhookSignature } from './webhook-signature.js';

describe('webhook signatures', () => {
  const body = JSON.stringify({ id: 'evt_1', type: 'classify_run.processed' });

  it('verifies its own signature and matches a plain HMAC of "<t>.<body>"', () => {
    const header = signWebhookPayload('whsec_test', body, 1_800_000_000);
    const plain = createHmac('sha256', 'whsec_test').update(`1800000000.${body}`).digest('hex');
    assert.equal(header, `t=1800000000,v1=${plain}`);
    assert.equal(verifyWebhookSignature({ payload: body, header, secret: 'whsec_test', now: 1_800_000_010 }), true);
  });

  it('refuses a changed body, a wrong secret, a stale timestamp or a missing header', () => {
    const header = signWebhookPayload('s', body, 1_800_000_000);
    assert.equal(verifyWebhookSignature({ payload: body + ' ', header, secret: 's', now: 1_800_000_000 }), false);
    assert.equal(verifyWebhookSignature({ payload: body, header, secret: 'other', now: 1_800_000_000 }), false);
    assert.equal(verifyWebhookSignature({ payload: body, header, secret: 's', now: 1_800_001_000 }), false);
    assert.equal(verifyWebhookSignature({ payload: body, header: undefined, secret: 's' }), false);
    assert.equal(verifyWebhookSignature({ payload: body, header: 'v1=abc', secret: 's' }), false);
  });
});
