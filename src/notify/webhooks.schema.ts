/** Webhook, event and delivery tables, merged into the store's `Database` type. */
import type { ColumnType, Insertable, Selectable } from 'kysely';
import type { WebhookEventType } from '../core/webhook-event-types.js';

export interface WebhooksTable {
  /** `wh_…` */
  id: string;
  /** Only runs of this workspace are announced to the webhook. */
  workspace_id: string;
  /** Optional name a class `route` can point at instead of a URL. Unique in its workspace when set. */
  name: string | null;
  url: string;
  /** JSON array of event types. */
  events: string;
  secret: string;
  description: string | null;
  /** `api` when registered by a user; `route` when created for a class route URL. */
  source: 'api' | 'route';
  created_at: number;
  /** Attempts failed in a row (any delivery); a success sets it back to 0. */
  failed_attempts: ColumnType<number, number | undefined, number>;
  /** Set when `failed_attempts` reached the pause threshold: no new deliveries until the owner resumes it. */
  paused_since: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface WebhookEventsTable {
  /** `evt_…`: the de-duplication id receivers see on every attempt. */
  id: string;
  type: string;
  /** JSON of the whole envelope as sent. */
  body: string;
  created_at: number;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface WebhookDeliveriesTable {
  /** `dlv_…` */
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: WebhookEventType;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: number | null;
  delivered_at: number | null;
  created_at: number;
}

export interface WebhookAttemptsTable {
  delivery_id: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  /** First characters of the receiver's answer, for debugging. */
  response_body: string | null;
  created_at: number;
}

/** What a run has been routed to so far, so a review routes only what changed. */
export interface RunRoutesTable {
  run_id: string;
  /** JSON array of route keys (`class|first-last|route`) already sent as `file.routed`. */
  routed: string;
  updated_at: number;
}

declare module '../store/schema.js' {
  interface Database {
    run_routes: RunRoutesTable;
    webhooks: WebhooksTable;
    webhook_events: WebhookEventsTable;
    webhook_deliveries: WebhookDeliveriesTable;
    webhook_attempts: WebhookAttemptsTable;
  }
}

export type WebhookRow = Selectable<WebhooksTable>;
/** A new webhook: its failure count and pause start empty. */
export type NewWebhook = Insertable<WebhooksTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type AttemptRow = Selectable<WebhookAttemptsTable>;
