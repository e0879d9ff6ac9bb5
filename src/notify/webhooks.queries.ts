/** Webhooks, events, deliveries and attempts in the store. */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AttemptRow, DeliveryRow, DeliveryStatus, NewWebhook, WebhookRow } from './webhooks.schema.js';
import './webhooks.schema.js';

export async function insertWebhook(db: Kysely<Database>, webhook: NewWebhook): Promise<void> {
  await db.insertInto('webhooks').values(webhook).execute();
}

/** A webhook by id in any workspace: for delivery jobs, which hold the id of the delivery they send. Requests use `getWebhook`. */
export async function getWebhookById(db: Kysely<Database>, id: string): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The webhook with this id in this workspace; another workspace's is not found, as if it did not exist. */
export async function getWebhook(db: Kysely<Database>, workspaceId: string, id: string): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
}

export async function listWebhooks(db: Kysely<Database>, workspaceId: string): Promise<WebhookRow[]> {
  return db.selectFrom('webhooks').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute();
}

export async function findWebhookByName(db: Kysely<Database>, workspaceId: string, name: string): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst();
}

/** The workspace's oldest webhook registered for exactly this URL (a user's own registration wins over a route's). */
export async function findWebhookByUrl(db: Kysely<Database>, workspaceId: string, url: string): Promise<WebhookRow | undefined> {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('url', '=', url)
    .orderBy('source')
    .orderBy('created_at')
    .executeTakeFirst();
}

export type WebhookChanges = Partial<
  Pick<WebhookRow, 'name' | 'url' | 'events' | 'secret' | 'description' | 'paused_since' | 'failed_attempts'>
>;

export async function updateWebhook(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  changes: WebhookChanges,
): Promise<WebhookRow | undefined> {
  const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as WebhookChanges;
  if (Object.keys(set).length === 0) return getWebhook(db, workspaceId, id);
  // A user taking over a route-made webhook makes it theirs.
  return db
    .updateTable('webhooks')
    .set({ ...set, source: 'api' })
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes a webhook with its delivery log; queued attempts find their delivery gone and stop. */
export async function deleteWebhook(db: Kysely<Database>, workspaceId: string, id: string): Promise<boolean> {
  const webhook = await getWebhook(db, workspaceId, id);
  if (!webhook) return false;
  const deliveries = db.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', id);
  await db.deleteFrom('webhook_attempts').where('delivery_id', 'in', deliveries).execute();
  await db.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
  const result = await db.deleteFrom('webhooks').where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertEvent(
  db: Kysely<Database>,
  event: { id: string; type: string; body: string; created_at: number },
): Promise<void> {
  await db.insertInto('webhook_events').values(event).execute();
}

export async function getEvent(db: Kysely<Database>, id: string) {
  return db.selectFrom('webhook_events').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertDelivery(db: Kysely<Database>, delivery: DeliveryRow): Promise<void> {
  await db.insertInto('webhook_deliveries').values(delivery).execute();
}

export async function getDelivery(db: Kysely<Database>, id: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface DeliveryPageOptions {
  limit: number;
  /** Continue after this delivery (newest first). */
  after?: { createdAt: number; id: string };
  status?: DeliveryStatus;
}

export async function listDeliveries(db: Kysely<Database>, webhookId: string, options: DeliveryPageOptions): Promise<DeliveryRow[]> {
  let query = db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId);
  if (options.status) query = query.where('status', '=', options.status);
  const after = options.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]),
    );
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
}

export async function listAttempts(db: Kysely<Database>, deliveryIds: string[]): Promise<AttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('delivery_id')
    .orderBy('attempt')
    .execute();
}

/** Records one attempt and the delivery's new state; call inside the transaction that schedules the next attempt. */
export async function recordAttempt(
  trx: Kysely<Database>,
  attempt: AttemptRow,
  state: { status: DeliveryStatus; nextAttemptAt: number | null },
): Promise<void> {
  await trx
    .insertInto('webhook_attempts')
    .values(attempt)
    .onConflict((oc) => oc.columns(['delivery_id', 'attempt']).doNothing())
    .execute();
  await trx
    .updateTable('webhook_deliveries')
    .set({
      status: state.status,
      attempts: attempt.attempt,
      next_attempt_at: state.nextAttemptAt,
      last_status_code: attempt.status_code,
      last_error: attempt.error,
      last_attempt_at: attempt.created_at,
      delivered_at: state.status === 'succeeded' ? attempt.created_at : null,
    })
    .where('id', '=', attempt.delivery_id)
    .execute();
}
