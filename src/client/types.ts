/**
 * Request and response shapes of the docsort HTTP API (v1, 2026-11-01), written to match
 * GET /openapi.json. Objects may carry more fields than listed; statuses and failure reasons
 * may gain values, so code should tolerate ones it does not know.
 */

export type RunStatus = 'PENDING' | 'PROCESSING' | 'PROCESSED' | 'FAILED' | 'CANCELLED';
export type FailureReason =
  | 'FAILED_TO_PROCESS_FILE'
  | 'UNSUPPORTED_FILE'
  | 'FILE_TOO_LARGE'
  | 'INVALID_CONFIGURATION'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'OUT_OF_CREDITS'
  | 'INTERNAL_ERROR'
  | (string & {});

export interface ListPage<T> {
  object: 'list';
  data: T[];
  has_more?: boolean;
  next_cursor: string | null;
}

export interface FileObject {
  object: 'file';
  id: string;
  name: string | null;
  status: 'uploaded' | 'processed';
  type: string;
  mime_type: string;
  size: number;
  sha256: string;
  num_pages: number | null;
  source_url: string | null;
  created_at: string;
}

export interface ClassDefinition {
  name: string;
  description?: string;
  keywords?: string[];
  /** A webhook URL or a webhook's name: where `file.routed` goes for files of this class. */
  route?: string;
}

export interface ClassifierSettings {
  page_range?: string;
  max_pages?: number;
  threshold?: number;
  mode?: 'document' | 'page' | 'split';
  engine?: string;
  model?: string;
}

export interface ClassifierConfig {
  name?: string;
  description?: string;
  classes: ClassDefinition[];
  settings?: ClassifierSettings;
}

export interface Classifier {
  object: 'classifier';
  id: string;
  version: number;
  name: string;
  description: string | null;
  classes: ClassDefinition[];
  settings: ClassifierSettings;
  created_at: string;
  updated_at: string;
}

export interface Label {
  class: string;
  confidence: number;
  reason: string;
  suggested_class: string | null;
}

export interface ClassificationOutput {
  classification: Label;
  /** Every class plus `unknown`, summing to 1. */
  confidence_scores: Record<string, number>;
  pages: Array<Label & { page: number; confidence_scores?: Record<string, number> }>;
  /** `reason`: why these pages are one document and why it has this class. */
  segments: Array<{ class: string; first_page: number; last_page: number; confidence: number; reason: string }>;
  mode: string;
  engine: string;
}

export interface ClassifyRun {
  object: 'classify_run';
  id: string;
  status: RunStatus;
  file_id: string;
  classifier: { id: string } | null;
  version: number | null;
  config: ClassifierConfig;
  page_range: string | null;
  query_model: string | null;
  /** The reviewed output when reviewed, else the initial one; null until PROCESSED. */
  output: ClassificationOutput | null;
  initial_output: ClassificationOutput | null;
  reviewed_output: ClassificationOutput | null;
  reviewed: boolean;
  failure_reason: FailureReason | null;
  failure_message: string | null;
  metadata: Record<string, unknown> | null;
  usage: { pages: number; credits: number } | null;
  num_pages: number | null;
  duration_ms: number | null;
  batch_id: string | null;
  redo_of: string | null;
  created_at: string;
  updated_at: string;
}

/** A file to send: a path on disk, or bytes with a name. */
export type FileInput = { path: string; name?: string } | { data: Uint8Array | Blob; name: string; type?: string };

/** Which file a run classifies: an id from `files.upload`, a URL, or a file to upload with the request. */
export type FileReference = { id: string } | { url: string } | FileInput;

export interface RunRequest {
  /** A saved classifier (optionally pinned to a version) … */
  classifier?: { id: string; version?: number };
  /** … or an inline definition. */
  config?: ClassifierConfig;
  file: FileReference;
  page_range?: string;
  query_model?: string;
  /** Echoed back (≤ 10 KB); `usage_tags: string[]` tags usage. */
  metadata?: Record<string, unknown>;
}

export interface RunListQuery {
  classifier_id?: string;
  status?: RunStatus;
  class?: string;
  tag?: string;
  batch_id?: string;
  created_after?: string;
  created_before?: string;
  limit?: number;
  cursor?: string;
}

export interface Review {
  /** The document's class. */
  class: string;
  /** Page labels to change (pages numbered like `output.pages[].page`). */
  pages?: Array<{ page: number; class: string }>;
}

export interface BatchFile {
  file_id: string;
  file_name: string | null;
  run_id: string;
  status: RunStatus;
  class: string | null;
  confidence: number | null;
  reason: string | null;
  reviewed: boolean;
  failure_reason: FailureReason | null;
}

export interface Batch {
  object: 'batch';
  id: string;
  classifier_id: string;
  status: 'queued' | 'processing' | 'processed';
  file_count: number;
  files: BatchFile[];
  metadata: Record<string, unknown> | null;
  created_at: string;
}

export interface BatchRequest {
  files: FileReference[];
  metadata?: Record<string, unknown>;
  page_range?: string;
}

export type WebhookEventType = 'classify_run.processed' | 'classify_run.failed' | 'classify_run.reviewed' | 'batch.processed' | 'file.classified' | 'file.routed';

export interface Webhook {
  object: 'webhook';
  id: string;
  name: string | null;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  source: 'api' | 'route';
  /** In the create response and `webhooks.get` only. */
  secret?: string;
  created_at: string;
}

export interface CreateWebhookRequest {
  url: string;
  events: WebhookEventType[];
  /** At least 16 characters; generated when absent. */
  secret?: string;
  /** Lets a class `route` name this webhook. */
  name?: string;
  description?: string;
}

export interface WebhookDelivery {
  object: 'webhook_delivery';
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: WebhookEventType;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
  attempt_log: Array<{ attempt: number; status_code: number | null; error: string | null; duration_ms: number; response_body: string | null; created_at: string }>;
}

/** The JSON body of every webhook delivery. */
export interface WebhookEvent<T = Record<string, unknown>> {
  /** `evt_…`: the same on every attempt and redelivery; de-duplicate on it. */
  id: string;
  type: WebhookEventType;
  created_at: string;
  api_version: string;
  data: T;
}

export interface ApiKey {
  object: 'api_key';
  id: string;
  name: string;
  prefix: string;
  admin: boolean;
  credit_quota: number | null;
  credits_used: number;
  credits_remaining: number | null;
  rate_limit_per_minute: number | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface CreateKeyRequest {
  name: string;
  admin?: boolean;
  credit_quota?: number | null;
  rate_limit_per_minute?: number | null;
}

export interface UsageTotals {
  runs: number;
  pages: number;
  credits: number;
}

export interface UsageReport {
  object: 'usage';
  from: string;
  to: string;
  credits_per_page: number;
  totals: UsageTotals;
  by_day: Array<UsageTotals & { day: string }>;
  by_classifier: Array<UsageTotals & { classifier_id: string | null }>;
  by_key: Array<UsageTotals & { api_key_id: string | null }>;
  by_tag: Array<UsageTotals & { tag: string }>;
  quota: { api_key_id: string; credit_quota: number | null; credits_used: number; credits_remaining: number | null } | null;
}

export interface UsageQuery {
  /** YYYY-MM-DD (UTC). */
  from?: string;
  to?: string;
  classifier_id?: string;
  api_key_id?: string;
  tag?: string;
}
