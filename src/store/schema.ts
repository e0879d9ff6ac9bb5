/**
 * Table shapes as Kysely sees them. Both dialects store the same columns: times are epoch
 * milliseconds (bigint), booleans are 0/1 integers and structured values are JSON text, so one
 * query works on SQLite and PostgreSQL alike. Features that add tables extend `Database` by
 * declaration merging (`declare module '…/store/schema.js' { interface Database { … } }`) and
 * append a migration to `MIGRATIONS`.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ReviewStatus, RunStatus } from '../core/run.js';

export interface FilesTable {
  id: string;
  /** The workspace the row belongs to; every API lookup is confined to the caller's. */
  workspace_id: string;
  sha256: string;
  size: number;
  type: string;
  mime_type: string;
  name: string | null;
  source_url: string | null;
  /** Pages in the whole file; known once the file has been read. */
  num_pages: number | null;
  created_at: number;
  /** The password of an encrypted PDF, sealed by `store/pdf-passwords.ts`; never the password itself. */
  pdf_password: string | null;
}

/**
 * A page of a stored blob that could not be read or rendered within its budget, kept so the next
 * request for it answers at once instead of spending the budget again.
 */
export interface PageFailuresTable {
  sha256: string;
  /** 0-based. */
  page: number;
  /** `text` or `png`. */
  kind: string;
  code: string;
  message: string;
  created_at: number;
}

/** Pages read from a stored blob for one page selection; shared by every file with the same bytes. */
export interface ExtractionsTable {
  sha256: string;
  selection: string;
  num_pages: number;
  /** JSON of `ExtractedDocument`. */
  document: string;
  created_at: number;
}

export interface ClassifiersTable {
  id: string;
  /** The workspace the row belongs to; every API lookup is confined to the caller's. */
  workspace_id: string;
  name: string;
  current_version: number;
  /** Bumped whenever the example set changes, so trained models are keyed by it. */
  examples_revision: number;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface ClassifierVersionsTable {
  classifier_id: string;
  version: number;
  /** JSON of `ClassifierDefinition`. */
  definition: string;
  created_at: number;
}

export interface ClassifierExamplesTable {
  id: string;
  /** The workspace the row belongs to; every API lookup is confined to the caller's. */
  workspace_id: string;
  classifier_id: string;
  class: string;
  source: 'example' | 'review';
  file_id: string | null;
  run_id: string | null;
  /** JSON array of page texts. */
  pages: string;
  /** JSON array: the layout signature of the pages (`signDocument`), null when they had no line boxes. */
  layout: string | null;
  created_at: number;
}

export interface ClassifyRunsTable {
  id: string;
  /** The workspace the row belongs to; every API lookup is confined to the caller's. */
  workspace_id: string;
  status: RunStatus;
  file_id: string;
  classifier_id: string | null;
  classifier_version: number | null;
  /** JSON of the `ClassifierDefinition` used (inline config, or the version's definition). */
  config: string;
  page_range: string | null;
  query_model: string | null;
  batch_id: string | null;
  redo_of: string | null;
  /** JSON of `ClassificationOutput`. */
  initial_output: string | null;
  reviewed_output: string | null;
  reviewed: number;
  /** Whether the run needs a person (`decideReviewStatus`), kept as a column for the queue. */
  review_status: ReviewStatus | null;
  /** The file's name when the run was made, kept on the run for searching the queue. */
  file_name: string | null;
  /** The run whose review this one carries (the run it redoes, or an earlier run of the same bytes). */
  reviewed_from: string | null;
  /** Label of the final output, kept as a column for filtering. */
  output_class: string | null;
  failure_reason: string | null;
  failure_message: string | null;
  /** The error code that failed the run (`encrypted_document`, `unreadable_document`, …); null unless FAILED. */
  failure_code: string | null;
  metadata: string | null;
  num_pages: number | null;
  duration_ms: number | null;
  credits: number | null;
  /** Tokens sent to and received from the model server (llm and cascade engines); null for runs that asked none. */
  llm_input_tokens: number | null;
  llm_output_tokens: number | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  /** 1: the run's file is deleted once the run has finished (no other open run using it). */
  delete_file_after: Generated<number>;
}

export interface RunTagsTable {
  run_id: string;
  tag: string;
}

export interface BatchesTable {
  id: string;
  /** The workspace the row belongs to; every API lookup is confined to the caller's. */
  workspace_id: string;
  classifier_id: string;
  file_count: number;
  metadata: string | null;
  created_at: number;
  /** Epoch ms of `POST /v1/batches/:id/cancel`; null while not cancelled. */
  cancelled_at: number | null;
}

export interface JobsTable {
  id: string;
  type: string;
  /** The version of the job type's payload it was enqueued with. */
  version: number;
  /** JSON payload given to the job handler. */
  payload: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  attempts: number;
  max_attempts: number;
  /** Not claimed before this time (backoff after a retryable failure). */
  run_at: number;
  locked_by: string | null;
  /** The lease: a running job whose lease ran out is claimed again. */
  locked_until: number | null;
  cancel_requested: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** Saved outputs of a job's steps, so a retried job resumes after the steps that finished. */
export interface JobStepsTable {
  job_id: string;
  step: string;
  output: string;
  created_at: number;
}

/** A re-run of a classifier's reviewed runs against one of its versions (`evaluations.run` job). */
export interface EvaluationsTable {
  id: string;
  /** The workspace of its classifier. */
  workspace_id: string;
  classifier_id: string;
  version: number;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  total: number;
  done: number;
  /** JSON array of the reviewed run ids the evaluation covers, fixed when it is created. */
  run_ids: string;
  /** JSON array of `EvaluationPrediction`, appended as the job goes. */
  predictions: string;
  error: string | null;
  created_at: number;
  updated_at: number;
}

/** A stored blob (BLOB_STORE=postgres): present exactly when all its chunks are. */
export interface BlobsTable {
  sha256: string;
  size: number;
  chunk_count: number;
  created_at: number;
}

export interface BlobChunksTable {
  sha256: string;
  /** 0-based position of the chunk in the blob. */
  idx: number;
  data: Buffer;
}

/** One token bucket per API key, shared by every API process. */
export interface RateLimitBucketsTable {
  key_id: string;
  tokens: number;
  per_minute: number;
  /** Whether the last request taken from this bucket was allowed (read back by the same statement). */
  allowed: number;
  updated_at: number;
}

/**
 * Counters kept by triggers as runs and deliveries change (see scale-out.migration.ts): a
 * counter's value is the sum over its shards.
 */
export interface CountersTable {
  name: string;
  shard: number;
  value: number;
}

/** A workspace: the unit of isolation between keys (see `core/access.ts`). Made when a key first names it. */
export interface WorkspacesTable {
  /** The name, e.g. `default`. */
  id: string;
  created_at: number;
}

export interface Database {
  workspaces: WorkspacesTable;
  blobs: BlobsTable;
  blob_chunks: BlobChunksTable;
  rate_limit_buckets: RateLimitBucketsTable;
  counters: CountersTable;
  files: FilesTable;
  extractions: ExtractionsTable;
  page_failures: PageFailuresTable;
  classifiers: ClassifiersTable;
  classifier_versions: ClassifierVersionsTable;
  classifier_examples: ClassifierExamplesTable;
  classify_runs: ClassifyRunsTable;
  run_tags: RunTagsTable;
  batches: BatchesTable;
  jobs: JobsTable;
  job_steps: JobStepsTable;
  evaluations: EvaluationsTable;
}

export type FileRow = Selectable<FilesTable>;
export type ClassifierRow = Selectable<ClassifiersTable>;
export type ClassifierExampleRow = Selectable<ClassifierExamplesTable>;
export type RunRow = Selectable<ClassifyRunsTable>;
export type NewRun = Insertable<ClassifyRunsTable>;
export type RunUpdate = Updateable<ClassifyRunsTable>;
export type BatchRow = Selectable<BatchesTable>;
export type JobRow = Selectable<JobsTable>;
export type EvaluationRow = Selectable<EvaluationsTable>;
export type WorkspaceRow = Selectable<WorkspacesTable>;
