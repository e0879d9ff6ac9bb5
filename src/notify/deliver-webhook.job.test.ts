/**
 * Webhook delivery attempts on both dialects. Every case has its own database and webhooks, so
 * the cases pass alone, in any order.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/helpers/test-database.js';
import { createJobQueue, type JobQueue } from '../jobs/queue.js';
import type { Store } from '../store/database.js';
import { toJsonColumn } from '../store/json-column.js';
import { attemptDelivery, PAUSE_AFTER_FAILED_ATTEMPTS, type SendWebhookRequest } from './deliver-webhook.job.js';
import { DELIVER_WEBHOOK_JOB, deliveryJobId, emitEvent } from './emit-event.js';
import { verifyWebhookSignature } from '../../packages/client/src/webhook-signature.js';
import { deleteWebhook, getDelivery, getWebhookById, insertWebhook, updateWebhook } from './webhooks.queries.js';

const SECRET = 'whsec_unit_test_secret';

for (const dialect of DIALECTS) {
  describe(`webhook delivery attempts on ${dialect}`, () => {
    let database: TestDatabase;
    let store: Store;
    let queue: JobQueue;

    beforeEach(async () => {
      database = await createTestDatabase(dialect);
      store = await database.openStore();
      queue = createJobQueue(store, { leaseMs: 30_000, defaultMaxAttempts: 3 });
    });
    afterEach(async () => {
      await store.close();
      await database.drop();
    });

    async function addWebhook(id: string, events: string[]) {
      await insertWebhook(store.db, {
        id,
        workspace_id: 'default',
        name: null,
        url: `https://receiver.example/${id}`,
        events: toJsonColumn(events),
        secret: SECRET,
        description: null,
        source: 'api',
        created_at: Date.now(),
      });
    }

    const options = (send: SendWebhookRequest) => ({ db: store.db, queue, retrySchedule: [1000, 2000], timeoutMs: 1000, send });

    it('emits one delivery per subscribed webhook and queues its first attempt', async () => {
      await addWebhook('wh_a', ['file.classified']);
      await addWebhook('wh_b', ['batch.processed']);
      const emitted = await emitEvent(store.db, queue, 'default', 'file.classified', { file_id: 'file_1' });
      assert.equal(emitted.deliveryIds.length, 1);
      const delivery = await getDelivery(store.db, emitted.deliveryIds[0]);
      assert.equal(delivery?.webhook_id, 'wh_a', 'only the subscribed webhook gets a delivery');
      const job = await queue.getJob(deliveryJobId(emitted.deliveryIds[0], 1));
      assert.equal(job?.type, DELIVER_WEBHOOK_JOB);
    });

    it('pauses a webhook whose receiver fails attempt after attempt, and sends it nothing new until it is resumed', async () => {
      await addWebhook('wh_dead', ['file.classified']);
      const failing: SendWebhookRequest = async () => {
        throw new Error('No answer within 1 s.');
      };
      // One failed attempt per event, each event its own delivery.
      for (let i = 0; i < PAUSE_AFTER_FAILED_ATTEMPTS; i++) {
        const emitted = await emitEvent(store.db, queue, 'default', 'file.classified', { file_id: `file_${i}` });
        assert.equal(emitted.deliveryIds.length, 1, `event ${i} is still delivered`);
        await attemptDelivery(options(failing), { deliveryId: emitted.deliveryIds[0], attempt: 1 });
      }
      const paused = await getWebhookById(store.db, 'wh_dead');
      assert.equal(paused?.failed_attempts, PAUSE_AFTER_FAILED_ATTEMPTS);
      assert.ok(paused?.paused_since);
      const skipped = await emitEvent(store.db, queue, 'default', 'file.classified', { file_id: 'file_after' });
      assert.deepEqual(skipped.deliveryIds, []);

      await updateWebhook(store.db, 'default', 'wh_dead', { paused_since: null, failed_attempts: 0 });
      const resumed = await emitEvent(store.db, queue, 'default', 'file.classified', { file_id: 'file_resumed' });
      assert.equal(resumed.deliveryIds.length, 1);
      await attemptDelivery(
        options(async () => ({ status: 200, body: 'ok' })),
        { deliveryId: resumed.deliveryIds[0], attempt: 1 },
      );
      assert.equal((await getWebhookById(store.db, 'wh_dead'))?.failed_attempts, 0);
    });

    it('signs the body, and on failure schedules the next attempt until the schedule runs out', async () => {
      await addWebhook('wh_a', ['file.classified']);
      const emitted = await emitEvent(store.db, queue, 'default', 'file.classified', { file_id: 'file_2' });
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
      const third = await queue.getJob(deliveryJobId(deliveryId, 3));
      delivery = await getDelivery(store.db, deliveryId);
      assert.ok(third && third.run_at >= (delivery?.last_attempt_at ?? 0) + 2000, 'the second retry waits the second delay');
      await attemptDelivery(options(failing), { deliveryId, attempt: 3 });
      delivery = await getDelivery(store.db, deliveryId);
      assert.equal(delivery?.status, 'failed');
      assert.equal(delivery?.attempts, 3);
      assert.equal(delivery?.last_status_code, 500);
      assert.equal(await queue.getJob(deliveryJobId(deliveryId, 4)), undefined);

      assert.equal(sent.length, 3);
      assert.equal(new Set(sent.map((request) => request.headers['docsort-event-id'])).size, 1);
      for (const request of sent) {
        assert.equal(verifyWebhookSignature({ payload: request.body, header: request.headers['docsort-signature'], secret: SECRET }), true);
      }
    });

    it('records a network error as a failed attempt and a 2xx as delivered', async () => {
      await addWebhook('wh_a', ['file.classified']);
      const emitted = await emitEvent(store.db, queue, 'default', 'file.classified', { file_id: 'file_3' });
      const [deliveryId] = emitted.deliveryIds;
      const refused: SendWebhookRequest = async () => {
        throw new Error('connection refused');
      };
      await attemptDelivery(options(refused), { deliveryId, attempt: 1 });
      const afterError = await getDelivery(store.db, deliveryId);
      assert.equal(afterError?.last_error, 'connection refused');
      assert.equal(afterError?.status, 'pending');
      await attemptDelivery(
        options(async () => ({ status: 204, body: '' })),
        { deliveryId, attempt: 2 },
      );
      const delivery = await getDelivery(store.db, deliveryId);
      assert.equal(delivery?.status, 'succeeded');
      assert.ok(delivery?.delivered_at);
      assert.equal(await queue.getJob(deliveryJobId(deliveryId, 3)), undefined, 'nothing more is queued after a delivery');
    });

    it('stops quietly when the webhook was deleted', async () => {
      await addWebhook('wh_a', ['file.classified']);
      const emitted = await emitEvent(store.db, queue, 'default', 'file.classified', { file_id: 'file_4' });
      const [deliveryId] = emitted.deliveryIds;
      await deleteWebhook(store.db, 'default', 'wh_a');
      let called = false;
      const answering: SendWebhookRequest = async () => {
        called = true;
        return { status: 200, body: '' };
      };
      await attemptDelivery(options(answering), { deliveryId, attempt: 1 });
      assert.equal(called, false);
      assert.equal(await queue.getJob(deliveryJobId(deliveryId, 2)), undefined);
    });
  });
}
