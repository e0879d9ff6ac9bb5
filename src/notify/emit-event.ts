/**
 * Turns something that happened into an event and one delivery per destination, each delivery
 * a queued job. Called inside the transaction that records what happened, so the event exists
 * exactly when the change does; the caller wakes the queue after commit. Nothing here talks to
 * the network, so a run never waits for a receiver.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { JobQueue } from '../jobs/queue.js';
import type { Database } from '../store/schema.js';
import { fromJsonColumn, toJsonColumn } from '../store/json-column.js';
import { CURRENT_API_VERSION } from '../auth/api-version.js';
import { createNotifyId, type WebhookEventEnvelope, type WebhookEventType } from './webhook-events.js';
import { findWebhookByName, findWebhookByUrl, insertDelivery, insertEvent, insertWebhook, listWebhooks } from './webhooks.queries.js';
import type { WebhookRow } from './webhooks.schema.js';

export const DELIVER_WEBHOOK_JOB = 'webhooks.deliver';

/** `attempt` is 1 for the first attempt; each retry is its own job. */
export const DeliverWebhookPayload = Type.Object(
  { deliveryId: Type.String({ minLength: 1 }), attempt: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);
export type DeliverWebhookPayload = Static<typeof DeliverWebhookPayload>;

export interface EmitOptions {
  /** Destinations that get this event whether or not they subscribed to its type (a class route). */
  alsoTo?: WebhookRow[];
}

export interface EmittedEvent {
  eventId: string;
  deliveryIds: string[];
}

/** Announces an event of `workspaceId` to that workspace's subscribers only. */
export async function emitEvent(
  db: Kysely<Database>,
  queue: JobQueue,
  workspaceId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
  options: EmitOptions = {},
): Promise<EmittedEvent> {
  const subscribers = (await listWebhooks(db, workspaceId)).filter((webhook) => fromJsonColumn<string[]>(webhook.events).includes(type));
  const destinations = new Map<string, WebhookRow>();
  for (const webhook of [...(options.alsoTo ?? []), ...subscribers]) {
    // A destination is always one of the workspace's webhooks; anything else would send its events out of it.
    // A paused webhook (its receiver kept failing) gets nothing new until its owner resumes it.
    if (webhook.workspace_id === workspaceId && webhook.paused_since === null) destinations.set(webhook.id, webhook);
  }
  const now = Date.now();
  const envelope: WebhookEventEnvelope = {
    id: createNotifyId('evt'),
    type,
    created_at: new Date(now).toISOString(),
    api_version: CURRENT_API_VERSION,
    data,
  };
  if (destinations.size === 0) return { eventId: envelope.id, deliveryIds: [] };
  await insertEvent(db, { id: envelope.id, type, body: toJsonColumn(envelope), created_at: now });
  const deliveryIds: string[] = [];
  for (const webhook of destinations.values()) {
    deliveryIds.push(await scheduleDelivery(db, queue, webhook.id, envelope.id, type, now));
  }
  return { eventId: envelope.id, deliveryIds };
}

/** A new delivery of an existing event (also used to redeliver): same event id, fresh attempts. */
export async function scheduleDelivery(
  db: Kysely<Database>,
  queue: JobQueue,
  webhookId: string,
  eventId: string,
  eventType: WebhookEventType,
  now = Date.now(),
): Promise<string> {
  const deliveryId = createNotifyId('dlv');
  await insertDelivery(db, {
    id: deliveryId,
    webhook_id: webhookId,
    event_id: eventId,
    event_type: eventType,
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    last_status_code: null,
    last_error: null,
    last_attempt_at: null,
    delivered_at: null,
    created_at: now,
  });
  const payload: DeliverWebhookPayload = { deliveryId, attempt: 1 };
  await queue.enqueue(db, DELIVER_WEBHOOK_JOB, payload, { id: deliveryJobId(deliveryId, 1), runAt: now });
  return deliveryId;
}

/** One job per attempt, with an id that makes scheduling an attempt twice a no-op. */
export function deliveryJobId(deliveryId: string, attempt: number): string {
  return `job_${deliveryId}_${attempt}`;
}

/**
 * Where a class `route` sends `file.routed`: the workspace's webhook with that name, or its
 * webhook registered for that URL. A URL no webhook of the workspace has yet gets one (source
 * `route`, its own secret, listed under /v1/webhooks) so its deliveries are signed and logged
 * like any other; the same URL in two workspaces is two webhooks with two secrets.
 */
export async function resolveRoute(db: Kysely<Database>, workspaceId: string, route: string): Promise<WebhookRow | undefined> {
  const trimmed = route.trim();
  if (!/^https?:\/\//i.test(trimmed)) return findWebhookByName(db, workspaceId, trimmed);
  let target: string;
  try {
    // The same spelling webhook registration stores, so `https://a.example` finds `https://a.example/`.
    target = new URL(trimmed).toString();
  } catch {
    return undefined;
  }
  const existing = await findWebhookByUrl(db, workspaceId, target);
  if (existing) return existing;
  const webhook: WebhookRow = {
    id: createNotifyId('wh'),
    workspace_id: workspaceId,
    name: null,
    url: target,
    events: toJsonColumn([]),
    secret: createNotifyId('whsec'),
    description: 'Created for a class route',
    source: 'route',
    created_at: Date.now(),
    failed_attempts: 0,
    paused_since: null,
  };
  await insertWebhook(db, webhook);
  return webhook;
}
