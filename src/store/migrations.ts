/**
 * Schema migrations for both dialects, applied at start (under the migrator's lock, so several
 * processes starting together apply each migration once). Append new migrations to
 * `MIGRATIONS` with the next number; never edit one that has shipped.
 */
import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import type { DialectName, Store } from './database.js';
import { apiKeysMigration } from './api-keys.migration.js';
import { webhooksMigration } from './webhooks.migration.js';
import { workspacesMigration } from './workspaces.migration.js';
import { reviewConsoleMigration } from './review-console.migration.js';
import { scaleOutMigration } from './scale-out.migration.js';

export interface SchemaMigration {
  /** Sorts the migrations: `0002_api_keys`, `0003_webhooks`, … */
  name: string;
  /**
   * The database as it stands when the migration runs, not as `schema.ts` describes it today:
   * `unknown` leaves the schema builder usable and makes a data query name the shape it expects.
   */
  up(db: Kysely<unknown>, dialect: DialectName): Promise<void>;
}

const createCoreTables: SchemaMigration = {
  name: '0001_core',
  async up(db) {
    await db.schema
      .createTable('files')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('mime_type', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('source_url', 'text')
      .addColumn('num_pages', 'integer')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('files_sha256').on('files').column('sha256').execute();

    await db.schema
      .createTable('extractions')
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('selection', 'text', (c) => c.notNull())
      .addColumn('num_pages', 'integer', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('extractions_pk', ['sha256', 'selection'])
      .execute();

    await db.schema
      .createTable('classifiers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('current_version', 'integer', (c) => c.notNull())
      .addColumn('examples_revision', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('deleted_at', 'bigint')
      .execute();

    await db.schema
      .createTable('classifier_versions')
      .addColumn('classifier_id', 'text', (c) => c.notNull().references('classifiers.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('classifier_versions_pk', ['classifier_id', 'version'])
      .execute();

    await db.schema
      .createTable('classifier_examples')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('classifier_id', 'text', (c) => c.notNull().references('classifiers.id'))
      .addColumn('class', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('file_id', 'text')
      .addColumn('run_id', 'text')
      .addColumn('pages', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('classifier_examples_classifier').on('classifier_examples').column('classifier_id').execute();
    await db.schema.createIndex('classifier_examples_run').on('classifier_examples').column('run_id').unique().execute();

    await db.schema
      .createTable('batches')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('classifier_id', 'text', (c) => c.notNull())
      .addColumn('file_count', 'integer', (c) => c.notNull())
      .addColumn('metadata', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('classify_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('file_id', 'text', (c) => c.notNull())
      .addColumn('classifier_id', 'text')
      .addColumn('classifier_version', 'integer')
      .addColumn('config', 'text', (c) => c.notNull())
      .addColumn('page_range', 'text')
      .addColumn('query_model', 'text')
      .addColumn('batch_id', 'text')
      .addColumn('redo_of', 'text')
      .addColumn('initial_output', 'text')
      .addColumn('reviewed_output', 'text')
      .addColumn('reviewed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('output_class', 'text')
      .addColumn('failure_reason', 'text')
      .addColumn('failure_message', 'text')
      .addColumn('metadata', 'text')
      .addColumn('num_pages', 'integer')
      .addColumn('duration_ms', 'integer')
      .addColumn('credits', 'real')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .execute();
    await db.schema.createIndex('classify_runs_created').on('classify_runs').columns(['created_at', 'id']).execute();
    await db.schema.createIndex('classify_runs_classifier').on('classify_runs').columns(['classifier_id', 'created_at']).execute();
    await db.schema.createIndex('classify_runs_batch').on('classify_runs').column('batch_id').execute();

    await db.schema
      .createTable('run_tags')
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('tag', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('run_tags_pk', ['run_id', 'tag'])
      .execute();
    await db.schema.createIndex('run_tags_tag').on('run_tags').columns(['tag', 'run_id']).execute();

    await db.schema
      .createTable('jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_attempts', 'integer', (c) => c.notNull())
      .addColumn('run_at', 'bigint', (c) => c.notNull())
      .addColumn('locked_by', 'text')
      .addColumn('locked_until', 'bigint')
      .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('jobs_claim').on('jobs').columns(['status', 'run_at']).execute();

    await db.schema
      .createTable('job_steps')
      .addColumn('job_id', 'text', (c) => c.notNull())
      .addColumn('step', 'text', (c) => c.notNull())
      .addColumn('output', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('job_steps_pk', ['job_id', 'step'])
      .execute();
  },
};

/** Examples keep the layout signature of their pages, so the learned layer can compare layouts as well as words. */
const exampleLayouts: SchemaMigration = {
  name: '0004_example_layouts',
  async up(db) {
    await db.schema.alterTable('classifier_examples').addColumn('layout', 'text').execute();
  },
};

/** A job stores the version of its payload, so workers claim only jobs whose version they run. */
const jobVersions: SchemaMigration = {
  name: '0005_job_versions',
  async up(db) {
    await db.schema
      .alterTable('jobs')
      .addColumn('version', 'integer', (column) => column.notNull().defaultTo(1))
      .execute();
  },
};

/** Pages that failed their read or render budget, remembered per blob (store/page-failures.queries.ts). */
const pageFailures: SchemaMigration = {
  name: '0011_page_failures',
  async up(db) {
    await db.schema
      .createTable('page_failures')
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('page', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('page_failures_pk', ['sha256', 'page', 'kind'])
      .execute();
  },
};

/** A webhook counts the attempts it failed in a row and is paused past a threshold (notify/deliver-webhook.job.ts). */
const webhookPauses: SchemaMigration = {
  name: '0011_webhook_pauses',
  async up(db) {
    await db.schema
      .alterTable('webhooks')
      .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('webhooks').addColumn('paused_since', 'bigint').execute();
  },
};

/** Runs on the llm and cascade engines record the tokens they spent, so usage can sum them. */
const runLlmTokens: SchemaMigration = {
  name: '0012_run_llm_tokens',
  async up(db) {
    await db.schema.alterTable('classify_runs').addColumn('llm_input_tokens', 'integer').execute();
    await db.schema.alterTable('classify_runs').addColumn('llm_output_tokens', 'integer').execute();
  },
};

/** A cancelled batch says when it was cancelled, so its status stays `cancelled` beside runs that had finished before. */
const batchCancellation: SchemaMigration = {
  name: '0015_batch_cancellation',
  async up(db) {
    await db.schema.alterTable('batches').addColumn('cancelled_at', 'bigint').execute();
  },
};

/** A file may keep the password of an encrypted PDF, sealed (AES-256-GCM), so workers can read it. */
const filePdfPasswords: SchemaMigration = {
  name: '0015_file_pdf_passwords',
  async up(db) {
    await db.schema.alterTable('files').addColumn('pdf_password', 'text').execute();
  },
};

/** A failed run keeps the error code that failed it (`encrypted_document`, …) beside the seed-style reason. */
const runFailureCodes: SchemaMigration = {
  name: '0015_run_failure_codes',
  async up(db) {
    await db.schema.alterTable('classify_runs').addColumn('failure_code', 'text').execute();
  },
};

/** Every migration, in order. Features append theirs here. */
export const MIGRATIONS: SchemaMigration[] = [
  createCoreTables,
  apiKeysMigration,
  webhooksMigration,
  exampleLayouts,
  jobVersions,
  workspacesMigration,
  pageFailures,
  webhookPauses,
  runLlmTokens,
  reviewConsoleMigration,
  batchCancellation,
  filePdfPasswords,
  runFailureCodes,
  scaleOutMigration,
];

export async function migrateToLatest(store: Store, schema: string | undefined): Promise<void> {
  const dialect = store.dialect.name;
  const migrations: Record<string, Migration> = {};
  for (const migration of MIGRATIONS) migrations[migration.name] = { up: (db) => migration.up(db, dialect) };
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: schema,
    // Features developed side by side take their numbers ahead (0012 may ship before 0008), and
    // each migration stands on its own, so one found unapplied is applied whatever ran after it.
    allowUnorderedMigrations: true,
  });
  let { error, results } = await migrator.migrateToLatest();
  // Kysely reads the catalog of every schema (has_schema_privilege by name) before migrating; a
  // schema of another installation dropped meanwhile fails that read. Nothing was applied: try again.
  for (let retry = 0; retry < 5 && error && droppedMeanwhile(error, schema); retry++) {
    await new Promise((resolve) => setTimeout(resolve, 50 * (retry + 1)));
    ({ error, results } = await migrator.migrateToLatest());
  }
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${message}`);
  }
}

/** True when `error` says some other schema than `own` vanished (PostgreSQL 3F000). */
function droppedMeanwhile(error: unknown, own: string | undefined): boolean {
  const named = /schema "([^"]+)" does not exist/.exec(error instanceof Error ? error.message : String(error))?.[1];
  return named !== undefined && named !== own;
}

/** Lets tests and tools check the database answers at all. */
export async function pingDatabase(store: Store): Promise<void> {
  await sql`select 1`.execute(store.db);
}
