/** The events docsort announces to webhooks: one list for the server, the API schemas and the client. */
export const WEBHOOK_EVENT_TYPES = [
  'classify_run.processed',
  'classify_run.failed',
  'classify_run.reviewed',
  'classify_run.needs_review',
  'batch.processed',
  'file.classified',
  'file.routed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
