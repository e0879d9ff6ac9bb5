import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { isAppError } from '../core/errors.js';
import { checkWebhookUrl, createWebhookSender } from './send-webhook.js';

describe('webhook sending', () => {
  it('refuses private, loopback and link-local receivers unless private URLs are allowed', async () => {
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://10.1.2.3/hook',
      'http://169.254.169.254/latest',
      'http://[::1]/hook',
      'http://localhost/hook',
    ]) {
      await assert.rejects(checkWebhookUrl(url, false), (error) => isAppError(error) && error.code === 'url_not_allowed', url);
    }
    assert.equal((await checkWebhookUrl('http://127.0.0.1:9/hook', true)).port, '9');
  });

  it('refuses URLs that are not http(s) or carry credentials', async () => {
    await assert.rejects(checkWebhookUrl('ftp://example.com/x', true), (error) => isAppError(error) && error.code === 'url_not_allowed');
    await assert.rejects(
      checkWebhookUrl('https://user:pw@example.com/x', true),
      (error) => isAppError(error) && error.code === 'url_not_allowed',
    );
    await assert.rejects(checkWebhookUrl('not a url', true), (error) => isAppError(error) && error.code === 'invalid_request');
  });

  it('checks the address again when sending, and does not follow redirects', async () => {
    const server = http.createServer((_request, response) => response.writeHead(302, { location: 'http://10.0.0.1/' }).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      await assert.rejects(createWebhookSender({ allowPrivate: false })(url, '{}', {}, 2000), /private, loopback or link-local/);
      const answer = await createWebhookSender({ allowPrivate: true })(url, '{}', {}, 2000);
      assert.equal(answer.status, 302);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
