/**
 * The events docsort announces, and the one envelope every delivery carries. The event id is
 * made once per event and sent with every attempt and redelivery, so a receiver de-duplicates
 * on it.
 */
import { randomBytes } from 'node:crypto';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../core/webhook-event-types.js';

export { WEBHOOK_EVENT_TYPES, type WebhookEventType };

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** What a receiver gets as the JSON body of a delivery. */
export interface WebhookEventEnvelope<T = Record<string, unknown>> {
  /** `evt_…`: the same for every attempt and redelivery of this event. */
  id: string;
  type: WebhookEventType;
  /** ISO 8601 time the event happened. */
  created_at: string;
  /** The API version the payload is shaped for. */
  api_version: string;
  data: T;
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Prefixed random ids for the notify tables (`evt_…`, `wh_…`, `dlv_…`). */
export function createNotifyId(prefix: 'evt' | 'wh' | 'dlv' | 'whsec'): string {
  let body = '';
  for (const byte of randomBytes(24)) body += ALPHABET[byte % 62];
  return `${prefix}_${body}`;
}
