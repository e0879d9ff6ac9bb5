/**
 * Shared by the integration tests of keys, webhooks and usage: an authenticated test server,
 * a signed-request helper, and a loopback webhook receiver that can be told to fail.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiKey, type CreateKeyInput } from '../src/auth/api-keys.queries.js';
import type { Environment } from '../src/config.js';
import type { DialectName } from '../src/store/database.js';
import { startTestServer, waitUntil, type TestServer } from './helpers/test-server.js';

export interface AuthedServer extends TestServer {
  adminKey: string;
  createKey(input: CreateKeyInput): Promise<{ id: string; key: string }>;
}

/** The real app with API keys on, webhooks retried in a fraction of a second, and loopback receivers allowed. */
export async function startAuthedServer(dialect: DialectName = 'sqlite', env: Environment = {}): Promise<AuthedServer> {
  const server = await startTestServer(dialect, {
    AUTH: 'on',
    ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_RETRY_SCHEDULE: '200ms,200ms,300ms,300ms,500ms',
    // Tests poll quickly; rate limits are tested with keys that carry their own.
    RATE_LIMIT_PER_MINUTE: '0',
    ...env,
  });
  const db = server.app.deps.store.db;
  const admin = await createApiKey(db, { name: 'test admin', role: 'admin' });
  return {
    ...server,
    adminKey: admin.key,
    async createKey(input) {
      const created = await createApiKey(db, input);
      return { id: created.row.id, key: created.key };
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function api<T = any>(
  server: { url: string },
  key: string | null,
  method: string,
  path: string,
  init: { json?: unknown; form?: FormData; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (key) headers.authorization = `Bearer ${key}`;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(server.url + path, {
    method,
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.form,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (metrics): keep the text.
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The raw body, exactly as sent (signatures are over these bytes). */
  body: string;
  json: any;
  /** What the receiver answered. */
  answered: number;
}

export interface Receiver {
  url: string;
  received: ReceivedRequest[];
  /** Answer 503 to the next `count` requests on `path`. */
  failNext(path: string, count: number): void;
  waitFor(accept: (request: ReceivedRequest) => boolean, timeoutMs?: number): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

/** A webhook receiver on 127.0.0.1 that records every request. */
export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const failures = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      const left = failures.get(path) ?? 0;
      const answered = left > 0 ? 503 : 200;
      if (left > 0) failures.set(path, left - 1);
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      received.push({ path, headers: request.headers, body, json, answered });
      response.writeHead(answered, { 'content-type': 'text/plain' }).end(answered === 200 ? 'ok' : 'try later');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    failNext(path, count) {
      failures.set(path, count);
    },
    async waitFor(accept, timeoutMs = 30_000) {
      const found = await waitUntil(
        async () => received.find(accept),
        (value) => value !== undefined,
        timeoutMs,
      );
      return found!;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export { waitUntil };
