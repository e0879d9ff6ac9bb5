/**
 * Webhooks: register a receiver (url, events, secret), list and delete them, read a webhook's
 * delivery log and redeliver an event (same event id, so receivers de-duplicate it). A webhook
 * belongs to the workspace of the key that made it and hears only that workspace's events. Its
 * signing secret is answered twice only: when it is made and when it is rotated; whoever can
 * read webhooks later must not be able to forge their events.
 */
import { Type } from '@sinclair/typebox';
import { CreateWebhookBody, UpdateWebhookBody } from '../core/api-requests.js';
import { Deleted, DeliveryView, Nullable, WebhookView } from '../core/api-types.js';
import { AppError } from '../core/errors.js';
import type { Deps } from '../deps.js';
import { toRfc3339 } from '../runs/run-view.js';
import { fromJsonColumn, toJsonColumn } from '../store/json-column.js';
import { scheduleDelivery } from '../notify/emit-event.js';
import { checkWebhookUrl } from '../notify/send-webhook.js';
import { createNotifyId, isWebhookEventType } from '../notify/webhook-events.js';
import {
  deleteWebhook,
  findWebhookByName,
  getDelivery,
  getWebhook,
  insertWebhook,
  listAttempts,
  listDeliveries,
  listWebhooks,
  updateWebhook,
} from '../notify/webhooks.queries.js';
import type { AttemptRow, DeliveryRow, WebhookRow } from '../notify/webhooks.schema.js';
import type { ApiInstance } from './api-instance.js';
import { cutPage, decodeCursor, pageLimit } from './pagination.js';
import { ERROR_RESPONSES, IdParams } from './schemas.js';

const WebhookList = Type.Object({ object: Type.Literal('list'), data: Type.Array(WebhookView) });
const DeliveryList = Type.Object({
  object: Type.Literal('list'),
  data: Type.Array(DeliveryView),
  has_more: Type.Boolean(),
  next_cursor: Nullable(Type.String()),
});
const DeliveryQuery = Type.Object(
  {
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: 'Deliveries per page, 1–100 (default 20).' })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: '`next_cursor` of the previous page.' })),
    status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')])),
  },
  { additionalProperties: false },
);
const DeliveryParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  delivery_id: Type.String({ minLength: 1, maxLength: 100 }),
});

export function toWebhookView(webhook: WebhookRow, options: { withSecret: boolean }): WebhookView {
  return {
    object: 'webhook' as const,
    id: webhook.id,
    name: webhook.name,
    url: webhook.url,
    events: fromJsonColumn<string[]>(webhook.events).filter(isWebhookEventType),
    description: webhook.description,
    source: webhook.source,
    ...(options.withSecret ? { secret: webhook.secret } : {}),
    status: webhook.paused_since === null ? ('active' as const) : ('paused' as const),
    failed_attempts: webhook.failed_attempts,
    paused_at: webhook.paused_since === null ? null : toRfc3339(webhook.paused_since),
    created_at: toRfc3339(webhook.created_at),
  };
}

const isoOrNull = (ms: number | null) => (ms === null ? null : toRfc3339(ms));

function toDeliveryView(delivery: DeliveryRow, attempts: AttemptRow[]): DeliveryView {
  return {
    object: 'webhook_delivery' as const,
    id: delivery.id,
    webhook_id: delivery.webhook_id,
    event_id: delivery.event_id,
    event_type: delivery.event_type,
    status: delivery.status,
    attempts: delivery.attempts,
    next_attempt_at: delivery.status === 'pending' ? isoOrNull(delivery.next_attempt_at) : null,
    last_status_code: delivery.last_status_code,
    last_error: delivery.last_error,
    delivered_at: isoOrNull(delivery.delivered_at),
    created_at: toRfc3339(delivery.created_at),
    attempt_log: attempts.map((attempt) => ({
      attempt: attempt.attempt,
      status_code: attempt.status_code,
      error: attempt.error,
      duration_ms: attempt.duration_ms,
      response_body: attempt.response_body,
      created_at: toRfc3339(attempt.created_at),
    })),
  };
}

async function requireWebhook(deps: Deps, workspaceId: string, id: string): Promise<WebhookRow> {
  const webhook = await getWebhook(deps.store.db, workspaceId, id);
  if (!webhook) throw new AppError('not_found', `No webhook "${id}"; list them with GET /v1/webhooks.`);
  return webhook;
}

export function registerWebhookRoutes(app: ApiInstance, deps: Deps): void {
  const db = deps.store.db;
  const tags = ['webhooks'];

  app.post(
    '/v1/webhooks',
    {
      schema: {
        operationId: 'createWebhook',
        summary: 'Register a webhook receiver for some events',
        tags,
        body: CreateWebhookBody,
        response: { 201: WebhookView, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const url = await checkWebhookUrl(body.url, deps.config.allowPrivateUrls);
      if (body.name && (await findWebhookByName(db, request.workspaceId, body.name)))
        throw new AppError('conflict', `A webhook named "${body.name}" exists already; pick another name or delete that one.`);
      const webhook: WebhookRow = {
        id: createNotifyId('wh'),
        workspace_id: request.workspaceId,
        name: body.name ?? null,
        url: url.toString(),
        events: toJsonColumn(body.events),
        secret: body.secret ?? createNotifyId('whsec'),
        description: body.description ?? null,
        source: 'api',
        created_at: Date.now(),
        failed_attempts: 0,
        paused_since: null,
      };
      await insertWebhook(db, webhook);
      return reply.code(201).send(toWebhookView(webhook, { withSecret: true }));
    },
  );

  app.get(
    '/v1/webhooks',
    {
      schema: {
        operationId: 'listWebhooks',
        summary: 'List webhooks (without secrets)',
        tags,
        response: { 200: WebhookList, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const webhooks = await listWebhooks(db, request.workspaceId);
      return { object: 'list' as const, data: webhooks.map((webhook) => toWebhookView(webhook, { withSecret: false })) };
    },
  );

  app.get(
    '/v1/webhooks/:id',
    {
      schema: {
        operationId: 'getWebhook',
        summary: 'One webhook (without its secret: that is shown only on create and rotate)',
        tags,
        params: IdParams,
        response: { 200: WebhookView, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { id } = request.params;
      return toWebhookView(await requireWebhook(deps, request.workspaceId, id), { withSecret: false });
    },
  );

  app.patch(
    '/v1/webhooks/:id',
    {
      schema: {
        operationId: 'updateWebhook',
        summary: "Change a webhook's URL, events, name or secret (the answer never shows the secret)",
        tags,
        params: IdParams,
        body: UpdateWebhookBody,
        response: { 200: WebhookView, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { body } = request;
      await requireWebhook(deps, request.workspaceId, id);
      const url = body.url === undefined ? undefined : (await checkWebhookUrl(body.url, deps.config.allowPrivateUrls)).toString();
      if (body.name) {
        const holder = await findWebhookByName(db, request.workspaceId, body.name);
        if (holder && holder.id !== id) throw new AppError('conflict', `A webhook named "${body.name}" exists already; pick another name.`);
      }
      const updated = await updateWebhook(db, request.workspaceId, id, {
        url,
        events: body.events === undefined ? undefined : toJsonColumn(body.events),
        secret: body.secret,
        name: body.name,
        description: body.description,
        ...(body.paused === undefined ? {} : body.paused ? { paused_since: Date.now() } : { paused_since: null, failed_attempts: 0 }),
      });
      if (!updated) throw new AppError('not_found', `No webhook "${id}"; list them with GET /v1/webhooks.`);
      return toWebhookView(updated, { withSecret: false });
    },
  );

  app.post(
    '/v1/webhooks/:id/rotate_secret',
    {
      schema: {
        operationId: 'rotateWebhookSecret',
        summary: 'Give a webhook a new signing secret, answered in this response only; the next attempt signs with it',
        tags,
        params: IdParams,
        response: { 200: WebhookView, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { id } = request.params;
      const updated = await updateWebhook(db, request.workspaceId, id, { secret: createNotifyId('whsec') });
      if (!updated) throw new AppError('not_found', `No webhook "${id}"; list them with GET /v1/webhooks.`);
      return toWebhookView(updated, { withSecret: true });
    },
  );

  app.delete(
    '/v1/webhooks/:id',
    {
      schema: {
        operationId: 'deleteWebhook',
        summary: 'Delete a webhook and its delivery log; pending retries stop',
        tags,
        params: IdParams,
        response: { 200: Deleted, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { id } = request.params;
      await requireWebhook(deps, request.workspaceId, id);
      await db.transaction().execute((trx) => deleteWebhook(trx, request.workspaceId, id));
      return { object: 'webhook', id, deleted: true as const };
    },
  );

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      schema: {
        operationId: 'listWebhookDeliveries',
        summary: 'The delivery log of a webhook, newest first, with every attempt',
        tags,
        params: IdParams,
        querystring: DeliveryQuery,
        response: { 200: DeliveryList, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { query } = request;
      await requireWebhook(deps, request.workspaceId, id);
      const limit = pageLimit(query.limit);
      const rows = await listDeliveries(db, id, { limit: limit + 1, after: decodeCursor(query.cursor), status: query.status });
      const { page, has_more, next_cursor } = cutPage(rows, limit, (row) => ({ createdAt: row.created_at, id: row.id }));
      const attempts = await listAttempts(
        db,
        page.map((row) => row.id),
      );
      return {
        object: 'list' as const,
        data: page.map((row) =>
          toDeliveryView(
            row,
            attempts.filter((attempt) => attempt.delivery_id === row.id),
          ),
        ),
        has_more,
        next_cursor,
      };
    },
  );

  app.post(
    '/v1/webhooks/:id/deliveries/:delivery_id/redeliver',
    {
      schema: {
        operationId: 'redeliverWebhookDelivery',
        summary: 'Send a delivered or failed event again (same event id)',
        tags,
        params: DeliveryParams,
        response: { 202: DeliveryView, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { id, delivery_id } = request.params;
      await requireWebhook(deps, request.workspaceId, id);
      const delivery = await getDelivery(db, delivery_id);
      if (!delivery || delivery.webhook_id !== id)
        throw new AppError('not_found', `Webhook "${id}" has no delivery "${delivery_id}"; see GET /v1/webhooks/${id}/deliveries.`);
      const newId = await db.transaction().execute((trx) => scheduleDelivery(trx, deps.queue, id, delivery.event_id, delivery.event_type));
      deps.queue.wake();
      const created = await getDelivery(db, newId);
      return reply.code(202).send(toDeliveryView(created!, []));
    },
  );
}
