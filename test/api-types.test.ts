/**
 * The API's shapes are described once (core/api-types.ts) and the server's views and the
 * client's types are derived from that, so the compiler keeps them together. What it cannot see
 * is what really goes over the wire: stored JSON (outputs, configs), answers that no response
 * schema serializes (run lists, classifier versions) and webhook payloads. This takes real
 * answers, through the typed client and real HTTP, and holds each to its schema: it must pass,
 * and carry no field the schema (and so the client type) does not know.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DocsortClient, type Batch, type ClassifyRun, type WebhookDelivery } from 'docsort/client';
import {
  ApiKeyView,
  BatchView,
  ClassifierConfig,
  ClassifierVersionView,
  ClassifierView,
  ClassifyRun as ClassifyRunSchema,
  CreatedApiKey,
  DeliveryView,
  FileView,
  UsageReport,
  WebhookView,
} from '../src/core/api-types.js';
import { FAILURE_REASONS, RUN_STATUSES } from '../src/core/run.js';
import { WEBHOOK_EVENT_TYPES } from '../src/core/webhook-event-types.js';
import { assertDescribedBy, undescribedFields } from './helpers/api-shape.js';
import { corpusFile } from './helpers/test-server.js';
import { startAuthedServer, startReceiver, type AuthedServer, type Receiver } from './integration-support.js';

const TWO_PAGES = corpusFile('pdf/bank_statement/cs-bofa-sample.pdf');
const INVOICE = corpusFile('pdf/invoice/i2d-aws-invoice.pdf');

/** A run as the client types it, held to the schema, with the fields the schema types more narrowly than the wire. */
function assertRun(run: ClassifyRun, what: string): void {
  assertDescribedBy(ClassifyRunSchema, run, what);
  if (run.config !== undefined) assertDescribedBy(ClassifierConfig, run.config, `${what}: config`);
  if (run.failure_reason !== null)
    assert.ok((FAILURE_REASONS as readonly string[]).includes(run.failure_reason), `${what}: a known failure reason`);
}

function assertBatch(batch: Batch, what: string): void {
  assertDescribedBy(BatchView, batch, what);
  for (const file of batch.files)
    assert.ok((RUN_STATUSES as readonly string[]).includes(file.status), `${what}: ${file.status} is a run status`);
}

function assertDelivery(delivery: WebhookDelivery, what: string): void {
  assertDescribedBy(DeliveryView, delivery, what);
  assert.ok((WEBHOOK_EVENT_TYPES as readonly string[]).includes(delivery.event_type), `${what}: ${delivery.event_type} is an event type`);
}

describe('API answers match the schemas the client types come from', () => {
  let server: AuthedServer;
  let receiver: Receiver;
  let client: DocsortClient;

  before(async () => {
    server = await startAuthedServer('sqlite');
    receiver = await startReceiver();
    client = new DocsortClient({ baseUrl: server.url, apiKey: server.adminKey });
  });
  after(async () => {
    await server?.close();
    await receiver?.close();
  });

  it('finds a field its schema does not name, however deep', () => {
    const run = { page: 0, class: 'invoice', confidence: 1, reason: 'r', suggested_class: null, words: [] };
    const output = {
      classification: { class: 'a', confidence: 1, reason: 'r', suggested_class: null },
      confidence_scores: { a: 1 },
      pages: [run],
      segments: [],
      mode: 'page',
      engine: 'builtin',
    };
    assert.deepEqual(undescribedFields(ClassifyRunSchema.properties.output, output), ['$.pages[0].words']);
    assert.deepEqual(undescribedFields(CreatedApiKey, { object: 'api_key', key: 'k', extra: 1 }), ['$.extra']);
  });

  it('files, classifiers and their versions', async () => {
    const file = await client.files.upload({ path: TWO_PAGES });
    assertDescribedBy(FileView, file, 'uploaded file');
    const classifier = await client.classifiers.create({
      name: 'Shapes',
      classes: [
        { name: 'bank_statement', keywords: ['balance'] },
        { name: 'invoice', route: `${receiver.url}/routed` },
      ],
      settings: { mode: 'split' },
    });
    assertDescribedBy(ClassifierView, classifier, 'created classifier');
    const changed = await client.classifiers.update(classifier.id, { description: 'second version' });
    assertDescribedBy(ClassifierView, changed, 'changed classifier');
    const versions = await client.classifiers.versions(classifier.id);
    assert.equal(versions.data.length, 2);
    for (const version of versions.data) assertDescribedBy(ClassifierVersionView, version, `version ${version.version}`);
    assert.deepEqual(Object.keys(versions), ['object', 'data']);
  });

  it('runs: pending, processed, reviewed, listed, and as a webhook sends them', async () => {
    const webhook = await client.webhooks.create({
      url: `${receiver.url}/runs`,
      events: ['classify_run.processed', 'classify_run.reviewed'],
    });
    assertDescribedBy(WebhookView, webhook, 'created webhook');
    const classifier = await client.classifiers.create({
      classes: [{ name: 'bank_statement' }, { name: 'invoice' }],
      settings: { mode: 'page' },
    });

    const pending = await client.runs.create({
      classifier: { id: classifier.id },
      file: { path: TWO_PAGES },
      metadata: { usage_tags: ['shapes'], source: 'test' },
    });
    assertRun(pending, 'created run');
    const processed = await client.runs.wait(pending.id, { intervalMs: 100, timeoutMs: 60_000 });
    assert.equal(processed.status, 'PROCESSED');
    assert.equal(processed.output?.pages.length, 2);
    assertRun(processed, 'processed run');

    const reviewed = await client.runs.review(processed.id, { class: 'invoice', pages: [{ page: 1, class: 'invoice' }] });
    assert.notEqual(reviewed.reviewed_output, null);
    assertRun(reviewed, 'reviewed run');

    // The run list has no response schema: its JSON comes straight from the views.
    const listed = await client.runs.list({ limit: 10 });
    assert.ok(listed.data.length >= 1);
    for (const run of listed.data) assertRun(run, `listed run ${run.id}`);

    // Webhook payloads are built from the same view and never pass a response serializer.
    for (const type of ['classify_run.processed', 'classify_run.reviewed']) {
      const delivered = await receiver.waitFor(
        (request) => request.path === '/runs' && request.json?.type === type && request.json?.data?.run?.id === processed.id,
      );
      assertRun(delivered.json.data.run, `run in ${type}`);
    }
    const deliveries = await client.webhooks.deliveries(webhook.id);
    assert.ok(deliveries.data.length >= 2);
    for (const delivery of deliveries.data) assertDelivery(delivery, `delivery ${delivery.id}`);
    for (const listedHook of (await client.webhooks.list()).data)
      assertDescribedBy(WebhookView, listedHook, `listed webhook ${listedHook.id}`);
  });

  it('batches, keys and usage', async () => {
    const classifier = await client.classifiers.create({ classes: [{ name: 'bank_statement' }, { name: 'invoice' }] });
    const uploaded = await client.files.upload({ path: INVOICE });
    const created = await client.batches.create(classifier.id, {
      files: [{ id: uploaded.id }, { id: 'file_missing' }],
      metadata: { source: 'shapes' },
    });
    assert.equal(created.rejected_files?.length, 1);
    assertBatch(created, 'created batch');
    const done = await client.batches.wait(created.id, { intervalMs: 100, timeoutMs: 60_000 });
    assertBatch(done, 'finished batch');

    const key = await client.keys.create({ name: 'shapes', credit_quota: 5 });
    assertDescribedBy(CreatedApiKey, key, 'created key');
    for (const listedKey of (await client.keys.list()).data) assertDescribedBy(ApiKeyView, listedKey, `listed key ${listedKey.id}`);
    assertDescribedBy(UsageReport, await client.usage(), 'usage report');
  });
});
