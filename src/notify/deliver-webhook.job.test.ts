import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createJobQueue, type JobQueue } from '../jobs/queue.js';
import { openStore, type Store } from '../store/database.js';
import { toJsonColumn } from '../store/json-column.js';
import { attemptDelivery, type SendWebhookRequest } from './deliver-webhook.job.js';
import { DELIVER_WEBHOOK_JOB, deliveryJobId, emitEvent } from './emit-event.js';
import { verifyWebhookSignature } from './webhook-signature.js';
import { deleteWebhook, getDelivery, insertWebhook } from './webhooks.queries.js';

describe('webhook delivery attempts (SQLite)', () => {
  let dir: string;
  let store: Store;
  let queue: JobQueue;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-deliver-'));
    store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'db.sqlite') });
    queue = createJobQueue(store, { leaseMs: 30_000, defaultMaxAttempts: 3 });
  });
  after(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function addWebhook(id: string, events: string[]) {
    await insertWebhook(store.db, { id, name: null, url: `https://receiver.example/${id}`, events: toJsonColumn(events), secret: 'whsec_unit_test_secret', description: null, source: 'api', created_at: Date.now() });
  }

  const options = (send: SendWebhookRequest) => ({ db: store.db, queue, retrySchedule: [1000, 2000], timeoutMs: 1000, send });

  it('emits one delivery per subscribed webhook and queues its first attempt', async () => {
    await addWebhook('wh_a', ['file.classified']);
    await addWebhook('wh_b', ['batch.processed']);
    const emitted = await emitEvent(store.db, queue, 'file.classified', { file_id: 'file_1' });
    assert.equal(emitted.deliveryIds.length, 1);
    const job = await queue.getJob(deliveryJobId(emitted.deliveryIds[0], 1));
    assert.equal(job?.type, DELIVER_WEBHOOK_JOB);
  });

  it('signs the body, and on failure schedules the next attempt until the schedule runs out', async () => {
    const emitted = await emitEvent(store.db, queue, 'file.classified', { file_id: 'file_2' });
    const [deliveryId] = emitted.deliveryIds;
    const sent: Array<{ body: string; headers: Record<string, string> }> = [];
    const failing: SendWebhookRequest = async (_url, body, headers) => {
      sent.push({ body, headers });
      return { status: 500, body: 'boom' };
    };

    await attemptDelivery(options(failing), { deliveryId, attempt: 1 });
    let delivery = await getDelivery(store.db, deliveryId);
    assert.equal(delivery?.status, 'pending');
    assert.equal(delivery?.attempts, 1);
    const second = await queue.getJob(deliveryJobId(deliveryId, 2));
    assert.ok(second && second.run_at >= (delivery?.last_attempt_at ?? 0) + 1000);

    // A repeated job for an attempt already recorded sends nothing.
    await attemptDelivery(options(failing), { deliveryId, attempt: 1 });
    assert.equal(sent.length, 1);

    await attemptDelivery(options(failing), { deliveryId, attempt: 2 });
    await attemptDelivery(options(failing), { deliveryId, attempt: 3 });
    delivery = await getDelivery(store.db, deliveryId);
    assert.equal(delivery?.status, 'failed');
    assert.equal(delivery?.attempts, 3);
    assert.equal(delivery?.last_status_code, 500);
    assert.equal(await queue.getJob(deliveryJobId(deliveryId, 4)), undefined);

    assert.equal(new Set(sent.map((request) => request.headers['docsort-event-id'])).size, 1);
    for (const request of sent) {
      assert.equal(verifyWebhookSignature({ payload: request.body, header: request.headers['docsort-signature'], secret: 'whsec_unit_test_secret' }), true);
    }
  });

  it('records a network error as a failed attempt and a 2xx as delivered', async () => {
    const emitted = await emitEvent(store.db, queue, 'file.classified', { file_id: 'file_3' });
    const [deliveryId] = emitted.deliveryIds;
    await attemptDelivery(options(async () => { throw new Error('connection refused'); }), { deliveryId, attempt: 1 });
    assert.equal((await getDelivery(store.db, deliveryId))?.last_error, 'connection refused');
    await attemptDelivery(options(async () => ({ status: 204, body: '' })), { deliveryId, attempt: 2 });
    const delivery = await getDelivery(store.db, deliveryId);
    assert.equal(delivery?.status, 'succeeded');
    assert.ok(delivery?.delivered_at);
  });

  it('stops quietly when the webhook was deleted', async () => {
    const emitted = await emitEvent(store.db, queue, 'file.classified', { file_id: 'file_4' });
    await deleteWebhook(store.db, 'wh_a');
    let called = false;
    await attemptDelivery(options(async () => { called = true; return { status: 200, body: '' }; }), { deliveryId: emitted.deliveryIds[0], attempt: 1 });
    assert.equal(called, false);
  });
});
