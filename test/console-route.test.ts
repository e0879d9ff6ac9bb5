/** The console is served by the API process: `/` redirects, the page and its assets load from docsort alone. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startAuthedServer, type AuthedServer } from './integration-support.js';

describe('console route', () => {
  let server: AuthedServer;
  before(async () => {
    server = await startAuthedServer('sqlite');
  });
  after(async () => {
    await server.close();
  });

  it('redirects / to the console without asking for a key', async () => {
    const response = await fetch(`${server.url}/`, { redirect: 'manual' });
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), '/console/');
  });

  it('serves the page with a policy that allows nothing from elsewhere', async () => {
    const response = await fetch(`${server.url}/console/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const html = await response.text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    assert.ok(sources.length >= 3);
    for (const source of sources) {
      assert.match(source, /^\/console\/assets\//, `${source} comes from docsort`);
      const asset = await fetch(`${server.url}${source}`);
      assert.equal(asset.status, 200, source);
    }
  });

  it('answers an unknown asset with a not_found error', async () => {
    const response = await fetch(`${server.url}/console/assets/nothing.js`);
    assert.equal(response.status, 404);
    assert.equal((await response.json()).error, 'not_found');
    const traversal = await fetch(`${server.url}/console/assets/..%2F..%2Fpackage.json`);
    assert.notEqual(traversal.status, 200);
  });

  it('leaves the console and its redirect out of the OpenAPI document', async () => {
    const openapi = await (await fetch(`${server.url}/openapi.json`)).json();
    assert.ok(!Object.keys(openapi.paths).some((path) => path.startsWith('/console') || path === '/'));
    assert.ok(openapi.paths['/v1/classify_runs/counts']);
    assert.ok(openapi.paths['/v1/evaluations/{id}']);
  });
});
