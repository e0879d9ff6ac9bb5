/**
 * Request and response shapes of the docsort HTTP API (v1, 2026-11-01). The resources and
 * request bodies are the server's own schemas (`core/api-types.ts`, `core/api-requests.ts`),
 * imported as types only, so the client carries no server code and cannot drift from what the
 * server sends. Objects may carry more fields than listed; statuses and failure reasons may gain
 * values, so code should tolerate ones it does not know.
 */
import type {
  BatchBody,
  CreateRunBody,
  FileReference as StoredFileReference,
  RunCountsQuery,
  RunListQuery as RunListQueryParams,
} from '../core/api-requests.js';
import type {
  ApiKeyView,
  BatchFileView,
  BatchView,
  ClassifierEvaluationView,
  ClassifierVersionView,
  ClassifierView,
  CreatedApiKey,
  EvaluationView,
  RunCounts,
  DeliveryView,
  FileView,
  UsageReport,
  WebhookView,
  WorkspaceView,
} from '../core/api-types.js';
import type { Role } from '../core/access.js';
import type { RunStatus } from '../core/run.js';
import type { WebhookEventType } from '../core/webhook-event-types.js';

export type {
  ClassDefinition,
  ClassificationOutput,
  ClassifierConfig,
  ClassifierSettings,
  ClassifyRun,
  FailureReason,
  Label,
  PageLabel,
  SegmentLabel,
  UsageReport,
} from '../core/api-types.js';
export type {
  CreateWebhookBody as CreateWebhookRequest,
  CreateKeyBody as CreateKeyRequest,
  Review,
  UpdateKeyBody as UpdateKeyRequest,
  UpdateWebhookBody as UpdateWebhookRequest,
  UsageQuery,
} from '../core/api-requests.js';
export type { Role, RunStatus, WebhookEventType };

export type FileObject = FileView;
export type { RunCounts, RunCountsQuery };
/** A classifier's reviewed runs scored as they ran (`classifiers.evaluation`). */
export type ClassifierEvaluation = ClassifierEvaluationView;
/** A re-run of the reviewed runs against one version (`evaluations.start`). */
export type Evaluation = EvaluationView;
export type Classifier = ClassifierView;
export type ClassifierVersion = ClassifierVersionView;
export type BatchFile = BatchFileView;
export type Batch = BatchView;
export type Webhook = WebhookView;
export type WebhookDelivery = DeliveryView;
export type ApiKey = ApiKeyView;
export type Workspace = WorkspaceView;
export type UsageTotals = UsageReport['totals'];
/** A new key as `keys.create` answers it: the only time the key itself is shown. */
export type NewApiKey = CreatedApiKey;

/** A list answer (`webhooks.list`, `keys.list`, `classifiers.versions`). */
export interface List<T> {
  object: 'list';
  data: T[];
}

/** A page of a paginated list (`runs.list`, `classifiers.list`, `webhooks.deliveries`); pass `next_cursor` as `cursor` for the next. */
export interface ListPage<T> extends List<T> {
  has_more: boolean;
  next_cursor: string | null;
}

/** A file to send: a path on disk, or bytes with a name. */
export type FileInput = { path: string; name?: string } | { data: Uint8Array | Blob; name: string; type?: string };

/** Which file a run classifies: an id from `files.upload`, a URL, or a file to upload with the request. */
export type FileReference = StoredFileReference | FileInput;

/** A run to start: a saved classifier (optionally pinned to a version) or an inline `config`, and a file. */
export type RunRequest = Omit<CreateRunBody, 'file'> & { file: FileReference };

/** Filters of `runs.list`; `limit` is a number here and sent as text. */
export type RunListQuery = Omit<RunListQueryParams, 'limit'> & { limit?: number };

export type BatchRequest = Omit<BatchBody, 'files'> & { files: FileReference[] };

/** The JSON body of every webhook delivery. */
export interface WebhookEvent<T = Record<string, unknown>> {
  /** `evt_…`: the same on every attempt and redelivery; de-duplicate on it. */
  id: string;
  type: WebhookEventType;
  created_at: string;
  api_version: string;
  data: T;
}
