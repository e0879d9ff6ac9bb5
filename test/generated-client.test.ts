/**
 * Clients generated from the OpenAPI document. The committed document (`docs/openapi.json`,
 * linted by `npm run lint`) and the types generated from it (`packages/client/src/openapi.ts`)
 * are what the running server describes now; and a client generated with openapi-typescript and
 * openapi-fetch, knowing nothing of docsort but the document, uploads a real file, classifies it
 * and reviews the run against the real server.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import createClient from 'openapi-fetch';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import type { paths } from '../packages/client/src/openapi.js';
import path from 'node:path';
import { repoRoot } from './helpers/repo-paths.js';
import { corpusFile, startTestServer, type TestServer } from './helpers/test-server.js';

const INVOICE = corpusFile('pdf/invoice/i2d-aws-invoice.pdf');
const REGENERATE = 'run `npm run openapi` and commit the result';

type Document = { paths: Record<string, Record<string, { operationId?: string; responses: Record<string, unknown> }>> };

describe('clients generated from the OpenAPI document', () => {
  let server: TestServer;
  let live: Document;

  before(async () => {
    server = await startTestServer('sqlite');
    live = (await (await fetch(`${server.url}/openapi.json`)).json()) as Document;
  });
  after(() => server?.close());

  it('docs/openapi.json is the document the server serves', () => {
    const committed = fs.readFileSync(path.join(repoRoot, 'docs/openapi.json'), 'utf8');
    assert.equal(committed, `${JSON.stringify(live, null, 2)}\n`, `docs/openapi.json is out of date: ${REGENERATE}`);
  });

  it('the client package types are what openapi-typescript generates from it', async () => {
    const generated = COMMENT_HEADER + astToString(await openapiTS(structuredClone(live) as never));
    const committed = fs.readFileSync(path.join(repoRoot, 'packages/client/src/openapi.ts'), 'utf8');
    assert.equal(committed, generated, `packages/client/src/openapi.ts is out of date: ${REGENERATE}`);
  });

  it('names every operation and describes its success answer', () => {
    const ids = new Set<string>();
    for (const [template, operations] of Object.entries(live.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        assert.ok(operation.operationId, `${method.toUpperCase()} ${template} has an operationId`);
        assert.ok(!ids.has(operation.operationId), `${operation.operationId} is unique`);
        ids.add(operation.operationId);
        const success = Object.keys(operation.responses).filter((code) => code.startsWith('2'));
        assert.ok(success.length > 0, `${operation.operationId} documents a success answer`);
        for (const code of success) {
          const answer = operation.responses[code] as { content?: Record<string, { schema?: unknown }> };
          assert.ok(
            Object.values(answer.content ?? {}).some((media) => media.schema),
            `${operation.operationId} ${code} has a schema`,
          );
        }
      }
    }
  });

  it('uploads, classifies and reviews through an openapi-fetch client', async () => {
    const api = createClient<paths>({ baseUrl: server.url });

    const classifier = await api.POST('/v1/classifiers', {
      body: { name: 'Generated', classes: [{ name: 'invoice' }, { name: 'letter' }] },
    });
    assert.equal(classifier.response.status, 201);
    assert.ok(classifier.data);

    const form = new FormData();
    form.append('file', await fs.openAsBlob(INVOICE), 'invoice.pdf');
    const uploaded = await api.POST('/v1/files', { body: { file: 'invoice.pdf' }, bodySerializer: () => form });
    assert.equal(uploaded.response.status, 201, JSON.stringify(uploaded.error));
    assert.ok(uploaded.data);
    assert.equal(uploaded.data.type, 'pdf');

    const started = await api.POST('/v1/classify_runs', {
      body: { classifier: { id: classifier.data.id }, file: { id: uploaded.data.id } },
    });
    assert.equal(started.response.status, 202);
    assert.ok(started.data);
    assert.deepEqual(started.data.classifier, { id: classifier.data.id, version: 1 });
    assert.equal(started.data.config, undefined, 'a run of a saved classifier names it instead of repeating it');

    let run = started.data;
    for (let attempt = 0; attempt < 600 && (run.status === 'PENDING' || run.status === 'PROCESSING'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const polled = await api.GET('/v1/classify_runs/{id}', { params: { path: { id: run.id } } });
      assert.ok(polled.data);
      run = polled.data;
    }
    assert.equal(run.status, 'PROCESSED', run.failure_message ?? '');
    assert.equal(run.output?.classification.class, 'invoice');

    const expanded = await api.GET('/v1/classify_runs/{id}', { params: { path: { id: run.id }, query: { expand: 'classifier' } } });
    const classes = (expanded.data?.config?.classes ?? []) as Array<{ name: string }>;
    assert.deepEqual(
      classes.map((item) => item.name),
      ['invoice', 'letter'],
    );

    const reviewed = await api.PATCH('/v1/classify_runs/{id}', {
      params: { path: { id: run.id } },
      body: { reviewed_output: { class: 'letter' } },
    });
    assert.equal(reviewed.response.status, 200);
    assert.equal(reviewed.data?.reviewed, true);
    assert.equal(reviewed.data?.output?.classification.class, 'letter');

    const refused = await api.PATCH('/v1/classify_runs/{id}', {
      params: { path: { id: run.id } },
      body: { reviewed_output: { class: 'no such class' } },
    });
    assert.equal(refused.response.status, 400);
    assert.equal(refused.error?.error, 'invalid_request');
  });
});
