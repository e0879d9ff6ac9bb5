/**
 * One delivery attempt of one event to one webhook. Each attempt is its own job: a failed one
 * records what the receiver answered and queues the next attempt at the time the retry
 * schedule says, so retries survive restarts and never occupy a worker while waiting.
 */
import type { Kysely } from 'kysely';
import { defineJob, type JobDefinition } from '../jobs/job-registry.js';
import type { Deps } from '../deps.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Database } from '../store/schema.js';
import { DELIVER_WEBHOOK_JOB, DeliverWebhookPayload, deliveryJobId } from './emit-event.js';
import { nextRetryDelay } from '../core/retry-schedule.js';
import { createWebhookSender } from './send-webhook.js';
import { signWebhookPayload, SIGNATURE_HEADER } from '../../packages/client/src/webhook-signature.js';
import { getDelivery, getEvent, getWebhookById, recordAttempt } from './webhooks.queries.js';

export interface WebhookResponse {
  status: number;
  /** The first characters of the body. */
  body: string;
}

/** Sends one POST; throws for network failures and refused destinations (SSRF rules). */
export type SendWebhookRequest = (
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
) => Promise<WebhookResponse>;

export interface DeliverWebhookOptions {
  db: Kysely<Database>;
  queue: JobQueue;
  /** Delays before attempts 2, 3, …; when used up the delivery is marked failed. */
  retrySchedule: readonly number[];
  timeoutMs: number;
  send: SendWebhookRequest;
}

export const deliverWebhookJob: JobDefinition<DeliverWebhookPayload, Deps> = defineJob<DeliverWebhookPayload, Deps>({
  name: DELIVER_WEBHOOK_JOB,
  version: 1,
  payload: DeliverWebhookPayload,
  // These attempts only cover a worker dying mid-attempt; HTTP failures follow the retry schedule.
  maxAttempts: 3,
  logFields: ({ deliveryId, attempt }) => ({ deliveryId, deliveryAttempt: attempt }),
  async run(payload, { deps, addLogFields }) {
    const attempt = await attemptDelivery(
      {
        db: deps.store.db,
        queue: deps.queue,
        retrySchedule: deps.config.webhookRetryScheduleMs,
        timeoutMs: deps.config.webhookTimeoutMs,
        send: createWebhookSender({ allowPrivate: deps.config.allowPrivateUrls }),
      },
      payload,
    );
    // A receiver that fails is its owner's problem, not a failed job: the end line says how the delivery went.
    if (attempt)
      addLogFields({
        webhookId: attempt.webhookId,
        delivery: attempt.status,
        receiverStatus: attempt.statusCode,
        deliveryError: attempt.error,
      });
  },
});

/** What one attempt did, for the job's log line; undefined when there was nothing to send. */
export interface DeliveryAttempt {
  webhookId: string;
  /** The delivery after this attempt: `pending` means another attempt is queued. */
  status: 'succeeded' | 'pending' | 'failed';
  statusCode: number | null;
  error: string | null;
}

export async function attemptDelivery(
  options: DeliverWebhookOptions,
  payload: DeliverWebhookPayload,
): Promise<DeliveryAttempt | undefined> {
  const { db, queue } = options;
  const delivery = await getDelivery(db, payload.deliveryId);
  // Gone with its webhook, already delivered, or this attempt was recorded before a crash.
  if (delivery?.status !== 'pending' || delivery.attempts >= payload.attempt) return undefined;
  const [webhook, event] = await Promise.all([getWebhookById(db, delivery.webhook_id), getEvent(db, delivery.event_id)]);
  if (!webhook || !event) return undefined;

  const startedAt = Date.now();
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'docsort-webhooks/1',
    [SIGNATURE_HEADER]: signWebhookPayload(webhook.secret, event.body),
    'docsort-event-id': event.id,
    'docsort-event-type': event.type,
    'docsort-delivery-id': delivery.id,
    'docsort-delivery-attempt': String(payload.attempt),
  };
  let statusCode: number | null = null;
  let responseBody: string | null = null;
  let error: string | null = null;
  try {
    const response = await options.send(webhook.url, event.body, headers, options.timeoutMs);
    statusCode = response.status;
    responseBody = response.body.slice(0, 1000);
    if (response.status < 200 || response.status >= 300) error = `The receiver answered HTTP ${response.status}.`;
  } catch (thrown) {
    error = (thrown instanceof Error ? thrown.message : String(thrown)).slice(0, 1000);
  }

  const finishedAt = Date.now();
  const succeeded = error === null;
  const delay = succeeded ? null : nextRetryDelay(options.retrySchedule, payload.attempt);
  const nextAttemptAt = delay === null ? null : finishedAt + delay;
  const status = succeeded ? 'succeeded' : nextAttemptAt === null ? 'failed' : 'pending';
  await db.transaction().execute(async (trx) => {
    await recordAttempt(
      trx,
      {
        delivery_id: delivery.id,
        attempt: payload.attempt,
        status_code: statusCode,
        error,
        duration_ms: finishedAt - startedAt,
        response_body: responseBody,
        created_at: finishedAt,
      },
      { status, nextAttemptAt },
    );
    await countAttempt(trx, webhook.id, succeeded, finishedAt);
    if (nextAttemptAt !== null) {
      const next: DeliverWebhookPayload = { deliveryId: delivery.id, attempt: payload.attempt + 1 };
      await queue.enqueue(trx, DELIVER_WEBHOOK_JOB, next, { id: deliveryJobId(delivery.id, next.attempt), runAt: nextAttemptAt });
    }
  });
  return { webhookId: webhook.id, status, statusCode, error };
}

/**
 * Attempts failed in a row after which a webhook is paused. With the default schedule a receiver
 * that is down for good reaches it within hours under steady traffic, instead of every event
 * being tried 13 times over 16 hours; one success in between sets the count back.
 */
export const PAUSE_AFTER_FAILED_ATTEMPTS = 20;

async function countAttempt(db: Kysely<Database>, webhookId: string, succeeded: boolean, now: number): Promise<void> {
  if (succeeded) {
    await db.updateTable('webhooks').set({ failed_attempts: 0 }).where('id', '=', webhookId).where('failed_attempts', '>', 0).execute();
    return;
  }
  await db
    .updateTable('webhooks')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', webhookId)
    .execute();
  await db
    .updateTable('webhooks')
    .set({ paused_since: now })
    .where('id', '=', webhookId)
    .where('paused_since', 'is', null)
    .where('failed_attempts', '>=', PAUSE_AFTER_FAILED_ATTEMPTS)
    .execute();
}
