/** API keys, the version header and rate limits over real HTTP, and the `docsort keys` command on the server's database. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listApiKeys } from '../src/auth/api-keys.queries.js';
import { createInitialKeyIfNone } from '../src/auth/initial-key.js';
import { loadConfig, type Environment } from '../src/config.js';
import { createTestDatabase, DIALECTS } from './helpers/test-database.js';
import { runCli } from './helpers/run-cli.js';
import { api, startAuthedServer, type ApiResponse, type AuthedServer } from './integration-support.js';

/** Fills `{id}`-style parameters so every documented route can be called. */
function concretePath(template: string): string {
  return template.replace(/\{[^}]+\}/g, (match) => (match === '{n}' ? '1' : 'x_test'));
}

describe('API keys', () => {
  let server: AuthedServer;
  before(async () => {
    server = await startAuthedServer('sqlite');
  });
  after(() => server.close());

  it('refuses every /v1 route in the OpenAPI document without a key or with a wrong one', async () => {
    const document = (await api(server, null, 'GET', '/openapi.json')).body;
    const routes: Array<[string, string]> = [];
    for (const [template, operations] of Object.entries<Record<string, unknown>>(document.paths)) {
      if (!template.startsWith('/v1/')) continue;
      for (const method of Object.keys(operations)) routes.push([method.toUpperCase(), template]);
    }
    // Files, classifiers, runs, batches, keys, webhooks and usage are all documented.
    for (const prefix of ['/v1/files', '/v1/classifiers', '/v1/classify_runs', '/v1/batches', '/v1/keys', '/v1/webhooks', '/v1/usage']) {
      assert.ok(
        routes.some(([, template]) => template.startsWith(prefix)),
        `${prefix} is in the OpenAPI document`,
      );
    }
    assert.ok(routes.length >= 25, `found ${routes.length} routes`);
    for (const [method, template] of routes) {
      const url = concretePath(template);
      const missing = await api(server, null, method, url);
      assert.equal(missing.status, 401, `${method} ${template} without a key`);
      assert.equal(missing.body.error, 'unauthorized');
      const wrong = await api(server, 'dsk_wrong', method, url, { headers: { 'x-api-key': 'dsk_also_wrong' } });
      assert.equal(wrong.status, 401, `${method} ${template} with a wrong key`);
      assert.equal(wrong.body.success, false);
    }
  });

  it('documents the key schemes on /v1 operations', async () => {
    const document = (await api(server, null, 'GET', '/openapi.json')).body;
    assert.ok(document.components.securitySchemes.bearer);
    assert.deepEqual(document.paths['/v1/webhooks'].post.security, [{ bearer: [] }, { apiKey: [] }]);
    assert.ok(document.paths['/v1/usage'].get.responses['401']);
    assert.ok(document.paths['/v1/usage'].get.responses['403']);
    assert.match(document.paths['/v1/classify_runs/{id}'].patch.description, /role `review`/);
    assert.match(document.paths['/v1/classify_runs/{id}'].get.description, /role `read`/);
    assert.match(document.paths['/v1/keys'].post.description, /role `admin`/);
  });

  it('accepts a key as Bearer or x-api-key, and leaves health and metrics open', async () => {
    assert.equal((await api(server, server.adminKey, 'GET', '/v1/classifiers')).status, 200);
    const viaHeader = await fetch(`${server.url}/v1/classifiers`, { headers: { 'x-api-key': server.adminKey } });
    assert.equal(viaHeader.status, 200);
    assert.equal((await api(server, null, 'GET', '/healthz')).status, 200);
    assert.equal((await api(server, null, 'GET', '/metrics')).status, 200);
  });

  it('asks for METRICS_TOKEN on /metrics when one is set, and no API key will do', async () => {
    const guarded = await startAuthedServer('sqlite', { METRICS_TOKEN: 'scrape-secret-1' });
    try {
      const open = await api(guarded, null, 'GET', '/metrics');
      assert.equal(open.status, 401);
      assert.equal(open.body.error, 'unauthorized');
      assert.match(open.body.message, /METRICS_TOKEN/);
      assert.equal((await api(guarded, guarded.adminKey, 'GET', '/metrics')).status, 401);
      assert.equal((await api(guarded, 'scrape-secret-1', 'GET', '/metrics')).status, 200);
      assert.equal((await api(guarded, null, 'GET', '/healthz')).status, 200);
    } finally {
      await guarded.close();
    }
  });

  it('creates, lists by prefix and revokes keys through /v1/keys; a revoked key stops at once', async () => {
    const created = await api(server, server.adminKey, 'POST', '/v1/keys', { json: { name: 'ingest robot' } });
    assert.equal(created.status, 201);
    const key: string = created.body.key;
    assert.ok(key.startsWith(created.body.prefix));
    assert.equal((await api(server, key, 'GET', '/v1/classifiers')).status, 200);

    const listed = await api(server, server.adminKey, 'GET', '/v1/keys');
    const entry = listed.body.data.find((item: { id: string }) => item.id === created.body.id);
    assert.equal(entry.prefix, created.body.prefix);
    assert.ok(!JSON.stringify(listed.body).includes(key), 'the list never shows a key');

    assert.equal((await api(server, key, 'GET', '/v1/keys')).status, 403, 'a non-admin key cannot manage keys');
    assert.equal((await api(server, server.adminKey, 'DELETE', `/v1/keys/${created.body.id}`)).status, 200);
    const after = await api(server, key, 'GET', '/v1/classifiers');
    assert.equal(after.status, 401);
    assert.equal(after.body.error, 'unauthorized');
  });

  it('judges the route the router matched, so percent-escaped paths need a key too', async () => {
    // The router decodes `%76` to `v`: these reach /v1/keys and /v1/classifiers.
    for (const path of ['/%761/keys', '/%76%31/classifiers', '/v%31/keys']) {
      const answer = await api(server, null, 'GET', path);
      assert.equal(answer.status, 401, `${path} without a key`);
      assert.equal(answer.body.error, 'unauthorized');
    }
    const created = await api(server, server.adminKey, 'POST', '/v1/keys', { json: { name: 'plain robot' } });
    const escaped = await api(server, created.body.key, 'POST', '/%761/keys', { json: { name: 'escalation' } });
    assert.equal(escaped.status, 403, 'a non-admin key stays non-admin on an escaped path');
  });

  it('speaks the current dated version by default, accepts it by name and refuses unknown ones', async () => {
    const plain = await api(server, server.adminKey, 'GET', '/v1/classifiers');
    assert.equal(plain.headers.get('docsort-version'), '2026-11-01');
    const pinned = await api(server, server.adminKey, 'GET', '/v1/classifiers', { headers: { 'docsort-version': '2026-11-01' } });
    assert.equal(pinned.status, 200);
    const unknown = await api(server, server.adminKey, 'GET', '/v1/classifiers', { headers: { 'docsort-version': '2019-01-01' } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error, 'unsupported_version');
  });

  it('rate-limits each key on its own with 429 rate_limited and Retry-After', async () => {
    const limited = await server.createKey({ name: 'slow', rateLimitPerMinute: 3 });
    const statuses: number[] = [];
    let refused: ApiResponse<{ error: string }> | undefined;
    for (let i = 0; i < 5; i++) {
      const response = await api(server, limited.key, 'GET', '/v1/classifiers');
      statuses.push(response.status);
      if (response.status === 429) refused ??= response;
    }
    assert.deepEqual(statuses.slice(0, 3), [200, 200, 200]);
    assert.ok(refused, `statuses ${statuses.join(',')}`);
    assert.equal(refused.body.error, 'rate_limited');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.equal(refused.headers.get('ratelimit-limit'), '3');
    // Another key is not slowed by this one.
    assert.equal((await api(server, server.adminKey, 'GET', '/v1/classifiers')).status, 200);
  });

  it('creates, lists and revokes keys with `docsort keys` on the same DATA_DIR', async () => {
    const env = server.database.env;
    const created = await runCli(['keys', 'create', '--name', 'from the cli'], { env });
    assert.equal(created.code, 0, created.stderr);
    const lines = created.stdout.trim().split('\n');
    const key = lines[lines.length - 1];
    assert.match(key, /^dsk_[A-Za-z0-9_-]{40,}$/);
    assert.equal((await api(server, key, 'GET', '/v1/classifiers')).status, 200);

    const listed = await runCli(['keys', 'list', '--json'], { env });
    assert.equal(listed.code, 0, listed.stderr);
    const keys = JSON.parse(listed.stdout) as Array<{ id: string; name: string; prefix: string; hash?: string }>;
    const entry = keys.find((item) => item.name === 'from the cli');
    assert.ok(entry && key.startsWith(entry.prefix));
    assert.equal(entry.hash, undefined);

    assert.equal((await runCli(['keys', 'revoke', entry.id], { env })).code, 0);
    assert.equal((await api(server, key, 'GET', '/v1/classifiers')).status, 401);
  });
});

describe('AUTH=off', () => {
  it('is accepted on a loopback address and refused on any other', () => {
    assert.equal(loadConfig({ AUTH: 'off', HOST: '127.0.0.1' }).authEnabled, false);
    assert.equal(loadConfig({ AUTH: 'off', HOST: '::1' }).authEnabled, false);
    assert.throws(() => loadConfig({ AUTH: 'off', HOST: '0.0.0.0' }), /AUTH="off" is only allowed when HOST is a loopback address/);
    assert.equal(loadConfig({}).authEnabled, true);
  });
});

/** Starts `docsort serve` until it listens, answers what it printed on stdout, and stops it. */
async function serveOnce(env: Environment): Promise<string> {
  const served = await runCli(['serve'], {
    env: { ...env, AUTH: 'on', LOG_LEVEL: 'silent', PORT: '0', WORKER_CONCURRENCY: '0' },
    stopWhenStdoutMatches: /listening on/,
  });
  return served.stdout;
}

describe('the first key', () => {
  it('is created and printed once by the first `docsort serve`, and works', async () => {
    const database = await createTestDatabase('sqlite');
    try {
      const first = await serveOnce(database.env);
      const printed = /\b(dsk_[A-Za-z0-9_-]{40,})\b/.exec(first)?.[1];
      assert.ok(printed, first);
      const second = await serveOnce(database.env);
      assert.doesNotMatch(second, /dsk_/);
      const store = await database.openStore();
      try {
        const keys = await listApiKeys(store.db);
        assert.equal(keys.length, 1);
        assert.equal(keys[0].role, 'admin');
        assert.equal(keys[0].workspace_id, 'default');
        assert.ok(printed.startsWith(keys[0].prefix));
      } finally {
        await store.close();
      }
    } finally {
      await database.drop();
    }
  });

  // Scale-out runs several API processes on one PostgreSQL database; SQLite serves one process.
  for (const dialect of DIALECTS.filter((name) => name === 'postgres')) {
    it(`is made once when several servers start together (${dialect})`, async () => {
      const database = await createTestDatabase(dialect);
      const stores = [await database.openStore(), await database.openStore(), await database.openStore()];
      try {
        const made = await Promise.all(stores.map((store) => createInitialKeyIfNone(store)));
        assert.equal(made.filter((key) => key !== null).length, 1);
        assert.equal((await listApiKeys(stores[0].db)).length, 1);
      } finally {
        for (const store of stores) await store.close();
        await database.drop();
      }
    });
  }
});
