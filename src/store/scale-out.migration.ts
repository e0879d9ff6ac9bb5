/**
 * Scale-out on PostgreSQL alone and a deployment that stays tidy: file bytes in the database
 * (`blobs`, `blob_chunks`), rate-limit buckets shared by every API process, and counters kept as
 * runs and deliveries change (by triggers, so no code path can forget them), which make /metrics
 * and quota checks cost the same at ten million runs as at ten.
 */
import { sql, type Kysely } from 'kysely';
import type { DialectName } from './database.js';
import type { SchemaMigration } from './migrations.js';

/**
 * Upper bounds (ms) of the run-duration histogram buckets the counters keep; each processed run
 * is counted in the first bucket it fits (`run_duration_le:<ms>`), the rest only in the count.
 * Frozen with this migration: other bounds need a new migration that recounts.
 */
export const RUN_DURATION_BOUNDS_MS = [50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000] as const;

/** Rows per counter on PostgreSQL: concurrent transactions bumping one counter mostly touch different rows. */
export const COUNTER_SHARDS = 16;

function durationBucketName(duration: string): string {
  const cases = RUN_DURATION_BOUNDS_MS.map((bound) => `WHEN ${duration} <= ${bound} THEN 'run_duration_le:${bound}'`).join(' ');
  return `CASE ${cases} ELSE NULL END`;
}

async function createTables(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('blobs')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('chunk_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('blob_chunks')
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('data', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('blob_chunks_pk', ['sha256', 'idx'])
    .execute();
  await db.schema
    .createTable('rate_limit_buckets')
    .addColumn('key_id', 'text', (c) => c.primaryKey())
    .addColumn('tokens', 'double precision', (c) => c.notNull())
    .addColumn('per_minute', 'integer', (c) => c.notNull())
    .addColumn('allowed', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('counters')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('shard', 'integer', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('counters_pk', ['name', 'shard'])
    .execute();
  // Retention finds old rows by time without reading the tables whole.
  await db.schema.createIndex('webhook_events_created').on('webhook_events').column('created_at').execute();
  await db.schema.createIndex('webhook_deliveries_created').on('webhook_deliveries').column('created_at').execute();
  await db.schema.createIndex('jobs_finished').on('jobs').columns(['status', 'updated_at']).execute();
  await db.schema.createIndex('classify_runs_file').on('classify_runs').column('file_id').execute();
  await db.schema.createIndex('files_created').on('files').column('created_at').execute();
  await db.schema
    .alterTable('classify_runs')
    .addColumn('delete_file_after', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

/** Each counter change as (name expression, delta expression, condition) over NEW/OLD. */
interface Bump {
  name: string;
  delta: string;
  when: string;
}

const runBumpsOnEnter = (row: 'NEW'): Bump[] => [
  { name: `'runs:' || ${row}.status`, delta: '1', when: 'TRUE' },
  { name: `'pages_processed'`, delta: `coalesce(${row}.num_pages, 0)`, when: `${row}.status = 'PROCESSED' AND ${row}.credits IS NOT NULL` },
  { name: `'credits_charged'`, delta: `coalesce(${row}.credits, 0)`, when: `${row}.status = 'PROCESSED'` },
  {
    name: `'key_credits:' || ${row}.api_key_id`,
    delta: `${row}.credits`,
    when: `${row}.status = 'PROCESSED' AND ${row}.credits IS NOT NULL AND ${row}.api_key_id IS NOT NULL`,
  },
  { name: `'run_duration_count'`, delta: '1', when: `${row}.status = 'PROCESSED' AND ${row}.duration_ms IS NOT NULL` },
  { name: `'run_duration_sum_ms'`, delta: `${row}.duration_ms`, when: `${row}.status = 'PROCESSED' AND ${row}.duration_ms IS NOT NULL` },
  {
    name: durationBucketName(`${row}.duration_ms`),
    delta: '1',
    when: `${row}.status = 'PROCESSED' AND ${row}.duration_ms IS NOT NULL AND ${row}.duration_ms <= ${RUN_DURATION_BOUNDS_MS.at(-1)}`,
  },
];

async function createPostgresTriggers(db: Kysely<unknown>): Promise<void> {
  // Every bump updates a counter row, leaving a dead version behind. Half-empty pages keep those
  // updates HOT (the new version on the same page, no index entry), so reading a page prunes the
  // dead ones; autovacuum is told to come after 500 of them rather than a fraction of the table.
  await sql
    .raw('ALTER TABLE counters SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 500)')
    .execute(db);
  await sql
    .raw(`
CREATE OR REPLACE FUNCTION docsort_bump(counter text, delta double precision) RETURNS void AS $$
BEGIN
  IF counter IS NULL OR delta IS NULL OR delta = 0 THEN RETURN; END IF;
  INSERT INTO counters (name, shard, value) VALUES (counter, floor(random() * ${COUNTER_SHARDS})::int, delta)
  ON CONFLICT (name, shard) DO UPDATE SET value = counters.value + excluded.value;
END $$ LANGUAGE plpgsql`)
    .execute(db);
  const enter = runBumpsOnEnter('NEW')
    .map((bump) => `IF ${bump.when} THEN PERFORM docsort_bump(${bump.name}, ${bump.delta}); END IF;`)
    .join('\n      ');
  await sql
    .raw(`
CREATE OR REPLACE FUNCTION docsort_count_runs() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.status IS DISTINCT FROM NEW.status) THEN
    PERFORM docsort_bump('runs:' || OLD.status, -1);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND OLD.status IS DISTINCT FROM NEW.status) THEN
      ${enter}
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql`)
    .execute(db);
  await sql
    .raw(
      'CREATE TRIGGER classify_runs_count AFTER INSERT OR UPDATE OF status OR DELETE ON classify_runs FOR EACH ROW EXECUTE FUNCTION docsort_count_runs()',
    )
    .execute(db);
  await sql
    .raw(`
CREATE OR REPLACE FUNCTION docsort_count_deliveries() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.status IS DISTINCT FROM NEW.status) THEN
    PERFORM docsort_bump('deliveries:' || OLD.status, -1);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND OLD.status IS DISTINCT FROM NEW.status) THEN
    PERFORM docsort_bump('deliveries:' || NEW.status, 1);
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql`)
    .execute(db);
  await sql
    .raw(
      'CREATE TRIGGER webhook_deliveries_count AFTER INSERT OR UPDATE OF status OR DELETE ON webhook_deliveries FOR EACH ROW EXECUTE FUNCTION docsort_count_deliveries()',
    )
    .execute(db);
  await sql
    .raw(`
CREATE OR REPLACE FUNCTION docsort_count_attempts() RETURNS trigger AS $$
BEGIN
  IF NEW.status_code IS NULL OR NEW.status_code < 200 OR NEW.status_code >= 300 THEN
    PERFORM docsort_bump('webhook_failed_attempts', 1);
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql`)
    .execute(db);
  await sql
    .raw('CREATE TRIGGER webhook_attempts_count AFTER INSERT ON webhook_attempts FOR EACH ROW EXECUTE FUNCTION docsort_count_attempts()')
    .execute(db);
}

/** SQLite has one writer, so one row per counter (shard 0) never waits for another transaction. */
function sqliteBump(bump: Bump): string {
  return `INSERT INTO counters (name, shard, value) SELECT ${bump.name}, 0, ${bump.delta} WHERE (${bump.when}) AND ${bump.name} IS NOT NULL AND ${bump.delta} IS NOT NULL
    ON CONFLICT (name, shard) DO UPDATE SET value = counters.value + excluded.value;`;
}

async function createSqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const leave = (row: string, prefix: string) => sqliteBump({ name: `'${prefix}:' || ${row}.status`, delta: '-1', when: '1' });
  const enterRun = runBumpsOnEnter('NEW')
    .map((bump) => sqliteBump({ ...bump, when: bump.when.replaceAll('TRUE', '1') }))
    .join('\n');
  const enterDelivery = sqliteBump({ name: `'deliveries:' || NEW.status`, delta: '1', when: '1' });
  const statements = [
    `CREATE TRIGGER classify_runs_count_insert AFTER INSERT ON classify_runs BEGIN ${enterRun} END`,
    `CREATE TRIGGER classify_runs_count_update AFTER UPDATE OF status ON classify_runs WHEN OLD.status IS NOT NEW.status BEGIN ${leave('OLD', 'runs')} ${enterRun} END`,
    `CREATE TRIGGER classify_runs_count_delete AFTER DELETE ON classify_runs BEGIN ${leave('OLD', 'runs')} END`,
    `CREATE TRIGGER webhook_deliveries_count_insert AFTER INSERT ON webhook_deliveries BEGIN ${enterDelivery} END`,
    `CREATE TRIGGER webhook_deliveries_count_update AFTER UPDATE OF status ON webhook_deliveries WHEN OLD.status IS NOT NEW.status BEGIN ${leave('OLD', 'deliveries')} ${enterDelivery} END`,
    `CREATE TRIGGER webhook_deliveries_count_delete AFTER DELETE ON webhook_deliveries BEGIN ${leave('OLD', 'deliveries')} END`,
    `CREATE TRIGGER webhook_attempts_count AFTER INSERT ON webhook_attempts WHEN NEW.status_code IS NULL OR NEW.status_code < 200 OR NEW.status_code >= 300 BEGIN ${sqliteBump({ name: `'webhook_failed_attempts'`, delta: '1', when: '1' })} END`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** Counts what is already there, once, so the counters start equal to the rows. */
async function backfillCounters(db: Kysely<unknown>): Promise<void> {
  const processed = `status = 'PROCESSED'`;
  const inserts = [
    `SELECT 'runs:' || status, 0, count(*) FROM classify_runs GROUP BY status`,
    `SELECT 'pages_processed', 0, coalesce(sum(num_pages), 0) FROM classify_runs WHERE ${processed} AND credits IS NOT NULL`,
    `SELECT 'credits_charged', 0, coalesce(sum(credits), 0) FROM classify_runs WHERE ${processed}`,
    `SELECT 'key_credits:' || api_key_id, 0, sum(credits) FROM classify_runs WHERE ${processed} AND credits IS NOT NULL AND api_key_id IS NOT NULL GROUP BY api_key_id`,
    `SELECT 'run_duration_count', 0, count(*) FROM classify_runs WHERE ${processed} AND duration_ms IS NOT NULL`,
    `SELECT 'run_duration_sum_ms', 0, coalesce(sum(duration_ms), 0) FROM classify_runs WHERE ${processed} AND duration_ms IS NOT NULL`,
    `SELECT b, 0, count(*) FROM (SELECT ${durationBucketName('duration_ms')} AS b FROM classify_runs WHERE ${processed} AND duration_ms IS NOT NULL) AS d WHERE b IS NOT NULL GROUP BY b`,
    `SELECT 'deliveries:' || status, 0, count(*) FROM webhook_deliveries GROUP BY status`,
    `SELECT 'webhook_failed_attempts', 0, count(*) FROM webhook_attempts WHERE status_code IS NULL OR status_code < 200 OR status_code >= 300`,
  ];
  for (const select of inserts) await sql.raw(`INSERT INTO counters (name, shard, value) ${select}`).execute(db);
}

export const scaleOutMigration: SchemaMigration = {
  name: '0014_scale_out',
  async up(db, dialect) {
    await createTables(db, dialect);
    await backfillCounters(db);
    if (dialect === 'postgres') await createPostgresTriggers(db);
    else await createSqliteTriggers(db);
  },
};
