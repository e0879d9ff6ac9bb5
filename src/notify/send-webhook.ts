/**
 * Sends one webhook POST under the same SSRF rules as URL input: the host must resolve to
 * public addresses (unless ALLOW_PRIVATE_URLS) and the connection goes to the address that was
 * checked. Redirects are not followed: a receiver that moved answers 3xx, which counts as a
 * failed attempt, rather than bouncing signed events somewhere else.
 */
import http from 'node:http';
import https from 'node:https';
import { AppError } from '../core/errors.js';
import { resolvePublicAddress } from '../net/safe-fetch.js';
import type { SendWebhookRequest, WebhookResponse } from './deliver-webhook.job.js';

const MAX_RESPONSE_CHARS = 1000;

/** Checks a webhook URL when it is registered: http(s), no credentials, a host that passes the SSRF rules. */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('invalid_request', `"${raw}" is not a valid URL; give the full https:// address of your receiver.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new AppError('url_not_allowed', `Webhook URLs must be http or https, not ${url.protocol}`);
  if (url.username || url.password)
    throw new AppError('url_not_allowed', 'Webhook URLs must not carry a user name or password; authenticate with the signature instead.');
  try {
    await resolvePublicAddress(url.hostname, allowPrivate);
  } catch (error) {
    // An unresolvable host is fine at registration only if it is public-looking; refuse private ones now.
    if (error instanceof AppError && error.code === 'url_not_allowed') throw error;
  }
  return url;
}

/**
 * Checks the URL routes of a classifier's classes as a webhook registration would, so a route no
 * delivery could ever reach (loopback, the cloud metadata address, a non-http scheme) is refused
 * when the classifier is saved rather than retried over hours. Named routes are left alone: the
 * webhook they name may be registered later.
 */
export async function checkClassRoutes(classes: ReadonlyArray<{ name: string; route?: string }>, allowPrivate: boolean): Promise<void> {
  for (const item of classes) {
    const route = item.route?.trim();
    if (!route || !/^[a-z][a-z0-9+.-]*:/i.test(route)) continue;
    try {
      await checkWebhookUrl(route, allowPrivate);
    } catch (error) {
      if (error instanceof AppError) throw new AppError(error.code, `The route of class "${item.name}": ${error.message}`);
      throw error;
    }
  }
}

export function createWebhookSender(options: { allowPrivate: boolean }): SendWebhookRequest {
  return async (raw, body, headers, timeoutMs) => {
    const url = new URL(raw);
    const address = await resolvePublicAddress(url.hostname, options.allowPrivate);
    return postOnce(url, address, body, headers, timeoutMs);
  };
}

function postOnce(
  url: URL,
  address: { address: string; family: number },
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<WebhookResponse> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      signal: AbortSignal.timeout(timeoutMs),
      lookup: (_hostname, lookupOptions, callback) => {
        if ((lookupOptions as { all?: boolean }).all)
          (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [address]);
        else callback(null, address.address, address.family);
      },
    });
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (text.length < MAX_RESPONSE_CHARS) text += chunk;
        else response.destroy();
      });
      const done = () => resolve({ status: response.statusCode ?? 0, body: text.slice(0, MAX_RESPONSE_CHARS) });
      response.on('end', done);
      response.on('close', done);
    });
    request.on('error', (error) => {
      const timedOut = error.name === 'TimeoutError' || error.name === 'AbortError';
      reject(
        new Error(timedOut ? `No answer within ${Math.round(timeoutMs / 1000)} s.` : `Could not reach the receiver: ${error.message}`),
      );
    });
    request.end(body);
  });
}
