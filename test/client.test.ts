/**
 * The typed client (`docsort/client`) against the real server: every method used here is
 * checked against the OpenAPI document, so the client cannot drift from the API it wraps.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DocsortClient, DocsortError, verifyWebhookSignature, type ClassifyRun } from 'docsort/client';
import { corpusFile } from './helpers/test-server.js';
import { api, startAuthedServer, startReceiver, type AuthedServer, type Receiver } from './integration-support.js';

const BANK_STATEMENT = corpusFile('pdf/bank_statement/cs-anz-homeloan.pdf');
const TWO_PAGES = corpusFile('pdf/bank_statement/cs-bofa-sample.pdf');
const INVOICE = corpusFile('pdf/invoice/i2d-aws-invoice.pdf');

describe('typed client', () => {
  let server: AuthedServer;
  let receiver: Receiver;
  let client: DocsortClient;
  const calls: Array<{ method: string; path: string }> = [];

  const recordingFetch: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    calls.push({ method: (init?.method ?? 'GET').toUpperCase(), path: url.pathname });
    return fetch(input, init);
  };

  before(async () => {
    server = await startAuthedServer('sqlite');
    receiver = await startReceiver();
    client = new DocsortClient({ baseUrl: server.url, apiKey: server.adminKey, fetch: recordingFetch });
  });
  after(async () => {
    await server.close();
    await receiver.close();
  });

  let classifierId: string;
  let syncRun: ClassifyRun;

  it('uploads, creates a classifier and classifies synchronously with an upload in the request', async () => {
    const file = await client.files.upload({ path: BANK_STATEMENT });
    assert.equal(file.type, 'pdf');
    assert.equal((await client.files.get(file.id)).sha256, file.sha256);
    assert.equal(Buffer.from(await (await client.files.content(file.id)).arrayBuffer()).length, file.size);
    const classifier = await client.classifiers.create({
      name: 'Client test',
      classes: [
        { name: 'bank_statement', description: 'A bank account statement with balances and transactions' },
        { name: 'invoice', description: 'A bill from a seller asking to be paid' },
      ],
    });
    classifierId = classifier.id;
    syncRun = await client.classify({
      classifier: { id: classifierId },
      file: { path: BANK_STATEMENT },
      metadata: { usage_tags: ['client'] },
    });
    assert.equal(syncRun.status, 'PROCESSED');
    assert.equal(syncRun.output?.classification.class, 'bank_statement');
    assert.deepEqual(syncRun.usage, { pages: 1, credits: 1, llm_tokens: null });
    const byId = await client.classify({ classifier: { id: classifierId }, file: { id: file.id } });
    assert.equal(byId.file_id, file.id);
  });

  it('starts an async run and polls it to the end', async () => {
    const run = await client.classifyAsync(
      { config: { classes: [{ name: 'bank_statement' }, { name: 'invoice' }] }, file: { path: TWO_PAGES } },
      { intervalMs: 100, timeoutMs: 60_000 },
    );
    assert.equal(run.status, 'PROCESSED');
    assert.equal(run.num_pages, 2);
    const listed = await client.runs.list({ limit: 50 });
    assert.ok(listed.data.some((item) => item.id === run.id));
  });

  it('runs a batch of uploads, waits for it, and reviews one file', async () => {
    const batch = await client.batches.create(classifierId, {
      files: [{ path: BANK_STATEMENT }, { path: INVOICE }],
      metadata: { source: 'client test' },
    });
    assert.equal(batch.file_count, 2);
    const done = await client.batches.wait(batch.id, { intervalMs: 100, timeoutMs: 60_000 });
    assert.equal(done.status, 'processed');
    assert.ok(done.files.every((file) => file.status === 'PROCESSED'));
    const reviewed = await client.runs.review(done.files[0].run_id, { class: 'invoice' });
    assert.equal(reviewed.reviewed, true);
    assert.equal(reviewed.output?.classification.class, 'invoice');
    assert.equal(reviewed.review_status, 'reviewed');
    const counts = await client.runs.counts({ classifier_id: classifierId, review_status: 'reviewed' });
    assert.equal(counts.by_review_status.reviewed, 1);
    const evaluation = await client.classifiers.evaluation(classifierId);
    assert.equal(evaluation.runs, 1);
    const rerun = await client.evaluations.wait((await client.evaluations.start(classifierId)).id, { intervalMs: 100, timeoutMs: 60_000 });
    assert.equal(rerun.status, 'succeeded');
    assert.equal(rerun.done, 1);
  });

  it('manages webhooks and verifies what they deliver', async () => {
    const webhook = await client.webhooks.create({ url: `${receiver.url}/client`, events: ['classify_run.processed'] });
    assert.ok(webhook.secret);
    assert.ok((await client.webhooks.list()).data.some((item) => item.id === webhook.id));
    assert.equal((await client.webhooks.get(webhook.id)).secret, undefined, 'the secret is shown once, at creation');
    const renamed = await client.webhooks.update(webhook.id, { name: 'client-hook', description: 'from the client test' });
    assert.equal(renamed.name, 'client-hook');
    assert.deepEqual(renamed.events, ['classify_run.processed']);
    const run = await client.classify({ classifier: { id: classifierId }, file: { path: INVOICE } });
    const received = await receiver.waitFor((request) => request.path === '/client' && request.json?.data?.run?.id === run.id);
    assert.equal(
      verifyWebhookSignature({ payload: received.body, header: received.headers['docsort-signature'], secret: webhook.secret! }),
      true,
    );
    const rotated = await client.webhooks.rotateSecret(webhook.id);
    assert.ok(rotated.secret && rotated.secret !== webhook.secret, 'rotating answers the new secret once');
    const deliveries = await client.webhooks.deliveries(webhook.id);
    assert.ok(deliveries.data.length >= 1);
    const again = await client.webhooks.redeliver(webhook.id, deliveries.data[0].id);
    assert.equal(again.event_id, deliveries.data[0].event_id);
    assert.equal((await client.webhooks.delete(webhook.id)).deleted, true);
  });

  it('manages keys, reads usage and the remaining quota, and reports errors with their codes', async () => {
    const created = await client.keys.create({ name: 'client-made', credit_quota: 1 });
    const limited = new DocsortClient({ baseUrl: server.url, apiKey: created.key, fetch: recordingFetch });
    await limited.classify({ classifier: { id: classifierId }, file: { path: BANK_STATEMENT } });
    const usage = await limited.usage();
    assert.equal(usage.totals.credits, 1);
    assert.equal(limited.lastResponse.creditsRemaining, 0);
    const itself = await limited.keys.current();
    assert.deepEqual([itself.id, itself.role, itself.workspace], [created.id, 'write', 'default']);
    const reader = await client.keys.create({ name: 'client reader', role: 'read', workspace: 'client-ws' });
    assert.deepEqual([reader.role, reader.workspace], ['read', 'client-ws']);
    assert.ok((await client.workspaces.list()).data.some((workspace) => workspace.id === 'client-ws' && workspace.active_keys === 1));
    await assert.rejects(
      limited.classify({ classifier: { id: classifierId }, file: { path: BANK_STATEMENT } }),
      (error) => error instanceof DocsortError && error.status === 402 && error.code === 'out_of_credits',
    );
    assert.equal((await client.keys.update(created.id, { credit_quota: 10 })).credits_remaining, 9);
    assert.ok((await client.keys.list()).data.some((key) => key.id === created.id));
    await client.keys.revoke(created.id);
    await assert.rejects(
      limited.usage(),
      (error) => error instanceof DocsortError && error.status === 401 && error.code === 'unauthorized',
    );

    const wrongVersion = new DocsortClient({ baseUrl: server.url, apiKey: server.adminKey, apiVersion: '1999-01-01' });
    await assert.rejects(wrongVersion.classifiers.list(), (error) => error instanceof DocsortError && error.code === 'unsupported_version');
    await assert.rejects(
      client.runs.get('clr_missing'),
      (error) => error instanceof DocsortError && error.status === 404 && error.code === 'not_found',
    );
  });

  it('retries a rate-limited request after Retry-After', async () => {
    const slow = await client.keys.create({ name: 'slow client', rate_limit_per_minute: 60 });
    const limited = new DocsortClient({ baseUrl: server.url, apiKey: slow.key, maxRetries: 0 });
    // The burst is capped at the per-minute limit; spend it, then see the 429 surface without retries.
    let refused: unknown;
    for (let i = 0; i < 70 && !refused; i++) await limited.classifiers.list().catch((error) => (refused = error));
    assert.ok(refused instanceof DocsortError && refused.code === 'rate_limited' && (refused.retryAfter ?? 0) >= 1);
    const patient = new DocsortClient({ baseUrl: server.url, apiKey: slow.key, maxRetries: 2 });
    assert.equal((await patient.classifiers.list()).object, 'list');
  });

  it('calls only operations the OpenAPI document describes', async () => {
    const document = (await api(server, null, 'GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(document.paths).flatMap(([template, methods]) =>
      Object.keys(methods).map((method) => ({
        method: method.toUpperCase(),
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      })),
    );
    assert.ok(calls.length > 20);
    for (const call of calls) {
      assert.ok(
        operations.some((operation) => operation.method === call.method && operation.pattern.test(call.path)),
        `${call.method} ${call.path} is documented`,
      );
    }
  });
});
