/**
 * Request and response shapes of the docsort HTTP API (v1, 2026-11-01), named after the
 * components of its OpenAPI document: `openapi.ts` is generated from `docs/openapi.json` by
 * openapi-typescript (`npm run openapi` in the docsort repository), so the client carries no
 * server code and cannot drift from what the server documents. Objects may carry more fields
 * than listed; statuses and failure reasons may gain values, so code should tolerate ones it
 * does not know.
 */
import type { components, operations } from './openapi.js';

type Schemas = components['schemas'];
type QueryOf<O extends keyof operations> = NonNullable<operations[O]['parameters']['query']>;

export type ClassDefinition = Schemas['ClassDefinition'];
export type ClassificationOutput = Schemas['ClassificationOutput'];
export type ClassifierConfig = Schemas['ClassifierConfig'];
export type ClassifierSettings = Schemas['ClassifierSettings'];
export type ClassifyRun = Schemas['ClassifyRun'];
export type Label = Schemas['Label'];
export type PageLabel = Schemas['PageLabel'];
export type SegmentLabel = Schemas['SegmentLabel'];
export type UsageReport = Schemas['UsageReport'];
export type Review = Schemas['Review'];
export type CreateWebhookRequest = Schemas['CreateWebhookBody'];
export type UpdateWebhookRequest = Schemas['UpdateWebhookBody'];
export type CreateKeyRequest = Schemas['CreateKeyBody'];
export type UpdateKeyRequest = Schemas['UpdateKeyBody'];
export type UsageQuery = QueryOf<'getUsage'>;

export type RunStatus = ClassifyRun['status'];
/** Known reasons; clients must tolerate reasons added later. */
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
export type WebhookEventType = Schemas['WebhookView']['events'][number];

export type FileObject = Schemas['FileView'];
export type Page = Schemas['PageView'];
export type Classifier = Schemas['ClassifierView'];
export type ClassifierVersion = Schemas['ClassifierVersionView'];
export type Example = Schemas['ExampleView'];
export type BatchFile = Schemas['BatchFileView'];
export type Batch = Schemas['BatchView'];
/** A batch as `batches.list` shows it: counts by run status, no per-file rows. */
export type BatchSummary = Schemas['BatchSummary'];
export type BatchCounts = Schemas['BatchCounts'];
export type Webhook = Schemas['WebhookView'];
export type WebhookDelivery = Schemas['DeliveryView'];
export type ApiKey = Schemas['ApiKeyView'];
export type Workspace = Schemas['WorkspaceView'];
/** What a key may do in its workspace: `read` < `review` < `write` < `admin`. */
export type Role = ApiKey['role'];
export type Deleted = Schemas['Deleted'];
export type UsageTotals = UsageReport['totals'];
/** A new key as `keys.create` answers it: the only time the key itself is shown. */
export type NewApiKey = Schemas['CreatedApiKey'];

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

/** A stored file or one to fetch, as the JSON bodies name it. */
export type StoredFileReference = Schemas['FileReference'];

/** Which file a run classifies: an id from `files.upload`, a URL, or a file to upload with the request. */
export type FileReference = StoredFileReference | FileInput;

/** A run to start: a saved classifier (optionally pinned to a version) or an inline `config`, and a file. */
export type RunRequest = Omit<Schemas['CreateRunBody'], 'file'> & { file: FileReference };

/** Filters of `runs.list`; `limit` is a number here and sent as text. */
export type RunListQuery = Omit<QueryOf<'listClassifyRuns'>, 'limit'> & { limit?: number };

/** `expand: 'classifier'`: runs of a saved classifier carry the definition they used (`config`). */
export type RunViewQuery = QueryOf<'getClassifyRun'>;
/** The filters of `runs.counts` (those of `runs.list` without paging). */
export type RunCountsQuery = QueryOf<'countClassifyRuns'>;
/** Runs per filter value (`runs.counts`): the review queue's numbers. */
export type RunCounts = Schemas['RunCounts'];
/** A classifier's reviewed runs scored as they ran (`classifiers.evaluation`). */
export type ClassifierEvaluation = Schemas['ClassifierEvaluationView'];
/** A re-run of the reviewed runs against one version (`evaluations.start`). */
export type Evaluation = Schemas['EvaluationView'];

export type BatchRequest = Omit<Schemas['BatchBody'], 'files'> & { files: FileReference[] };

/** The JSON body of every webhook delivery. */
export interface WebhookEvent<T = Record<string, unknown>> {
  /** `evt_…`: the same on every attempt and redelivery; de-duplicate on it. */
  id: string;
  type: WebhookEventType;
  created_at: string;
  api_version: string;
  data: T;
}
