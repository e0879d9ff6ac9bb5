/**
 * `/metrics` and a quota check at 10 runs and at a million: inserts runs in bulk (the counter
 * triggers fire for each, as they do for real runs), and at each size times `GET /metrics` over
 * HTTP, the quota check an API request makes (`docsort-credits-remaining` on `GET /v1/classifiers`),
 * and, for comparison, the scans they made before the counters (sum over classify_runs).
 *
 *   npm run bench:counters [-- --runs 1000000 --dialects sqlite,postgres --database-url postgres://…]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { createApp } from '../src/app.js';
import { createApiKey } from '../src/auth/api-keys.queries.js';
import { loadConfig } from '../src/config.js';
import { DEFAULT_WORKSPACE } from '../src/core/access.js';
import type { Store } from '../src/store/database.js';
import type { NewRun } from '../src/store/schema.js';
import { RUN_DURATION_BOUNDS_MS } from '../src/store/scale-out.migration.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000000' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
    'database-url': { type: 'string', default: process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test' },
    repeats: { type: 'string', default: '20' },
  },
});
const TOTAL = Number(args.runs);
const REPEATS = Number(args.repeats);
const CHECKPOINTS = [10, 1000, 100_000, TOTAL].filter((count, index, all) => count <= TOTAL && all.indexOf(count) === index);
const KEYS = 10;
/** The counter names /metrics reads, as SQL literals (for EXPLAIN). */
const METRIC_NAMES = [
  ...['PENDING', 'PROCESSING', 'PROCESSED', 'FAILED', 'CANCELLED'].map((status) => `runs:${status}`),
  'pages_processed',
  'credits_charged',
  'run_duration_count',
  'run_duration_sum_ms',
  ...RUN_DURATION_BOUNDS_MS.map((bound) => `run_duration_le:${bound}`),
  ...['pending', 'succeeded', 'failed'].map((status) => `deliveries:${status}`),
  'webhook_failed_attempts',
]
  .map((name) => `'${name}'`)
  .join(', ');
const BATCH = 500;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm (plan cache, page cache)
  const samples: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

function fakeRun(index: number, fileId: string, keyIds: string[], now: number): NewRun {
  const roll = index % 100;
  const status = roll < 90 ? 'PROCESSED' : roll < 97 ? 'FAILED' : 'CANCELLED';
  const pages = 1 + (index % 5);
  return {
    id: `clr_bench_${index.toString(36).padStart(8, '0')}`,
    status,
    file_id: fileId,
    classifier_id: null,
    classifier_version: null,
    config: '{"classes":[{"name":"invoice"}]}',
    page_range: null,
    query_model: null,
    batch_id: null,
    redo_of: null,
    initial_output: null,
    reviewed_output: null,
    reviewed: 0,
    output_class: status === 'PROCESSED' ? 'invoice' : null,
    failure_reason: status === 'FAILED' ? 'UNREADABLE_DOCUMENT' : null,
    failure_message: null,
    metadata: null,
    num_pages: status === 'PROCESSED' ? pages : null,
    duration_ms: status === 'PROCESSED' ? 20 + ((index * 7919) % 4000) : null,
    credits: status === 'PROCESSED' ? pages : null,
    created_at: now - (TOTAL - index) * 60,
    updated_at: now,
    finished_at: now,
    api_key_id: keyIds[index % keyIds.length],
    workspace_id: DEFAULT_WORKSPACE,
  };
}

/** The queries /metrics and the quota check ran before the counters, for comparison. */
async function scanMetrics(store: Store): Promise<void> {
  await Promise.all([
    store.db
      .selectFrom('classify_runs')
      .select(['status', sql<number>`count(*)`.as('count')])
      .groupBy('status')
      .execute(),
    store.db
      .selectFrom('classify_runs')
      .select([sql<number>`coalesce(sum(num_pages), 0)`.as('pages'), sql<number>`coalesce(sum(credits), 0)`.as('credits')])
      .where('status', '=', 'PROCESSED')
      .executeTakeFirst(),
  ]);
}

async function scanQuota(store: Store, keyId: string): Promise<void> {
  await store.db
    .selectFrom('classify_runs')
    .select(sql<number>`coalesce(sum(credits), 0)`.as('c'))
    .where('api_key_id', '=', keyId)
    .executeTakeFirst();
}

async function benchDialect(dialect: 'sqlite' | 'postgres'): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-bench-counters-'));
  const schema = `bench_counters_${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = { DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0', AUTH: 'on', RATE_LIMIT_PER_MINUTE: '0' };
  if (dialect === 'postgres') Object.assign(env, { DATABASE_URL: args['database-url']!, DATABASE_SCHEMA: schema });
  const app = await createApp(loadConfig(env), { api: true, workers: 0 });
  const url = await app.start();
  const store = app.deps.store;
  try {
    const keys = await Promise.all(
      Array.from({ length: KEYS }, (_, i) => createApiKey(store.db, { name: `bench ${i}`, creditQuota: 1e12 })),
    );
    const keyIds = keys.map((key) => key.row.id);
    await store.db
      .insertInto('files')
      .values({
        id: 'file_bench',
        workspace_id: DEFAULT_WORKSPACE,
        sha256: '0'.repeat(64),
        size: 1,
        type: 'pdf',
        mime_type: 'application/pdf',
        name: null,
        source_url: null,
        num_pages: 1,
        created_at: 0,
      })
      .execute();
    const now = Date.now();
    let inserted = 0;
    let insertMs = 0;
    console.log(
      `\n${dialect}: runs | insert runs/s | GET /metrics ms | quota check (GET /v1/classifiers) ms | scan for metrics ms | scan for quota ms`,
    );
    for (const checkpoint of CHECKPOINTS) {
      const started = performance.now();
      while (inserted < checkpoint) {
        const count = Math.min(BATCH, checkpoint - inserted);
        const rows = Array.from({ length: count }, (_, i) => fakeRun(inserted + i, 'file_bench', keyIds, now));
        await store.db.insertInto('classify_runs').values(rows).execute();
        inserted += count;
      }
      insertMs += performance.now() - started;
      if (dialect === 'postgres') await sql`analyze classify_runs`.execute(store.db);
      const counterRows = await store.db
        .selectFrom('counters')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      console.log(`${dialect}: ${checkpoint} runs kept in ${Number(counterRows.n)} counter rows`);
      const metricsMs = await timeMs(async () => {
        const response = await fetch(`${url}/metrics`);
        await response.text();
      });
      const quotaMs = await timeMs(async () => {
        const response = await fetch(`${url}/v1/classifiers`, { headers: { authorization: `Bearer ${keys[1].key}` } });
        if (!response.headers.get('docsort-credits-remaining')) throw new Error(`no quota header (${response.status})`);
        await response.text();
      });
      const scanMetricsMs = await timeMs(() => scanMetrics(store));
      const scanQuotaMs = await timeMs(() => scanQuota(store, keyIds[1]));
      const rate = Math.round(inserted / (insertMs / 1000));
      if (dialect === 'postgres') {
        // Pages the queries touch: unlike milliseconds, not changed by other work on the machine.
        const blocks = async (query: string) => {
          const result = await sql
            .raw<{ 'QUERY PLAN': Array<{ Plan: Record<string, number> }> }>(`explain (analyze, buffers, format json) ${query}`)
            .execute(store.db);
          const plan = result.rows[0]['QUERY PLAN'][0].Plan;
          return plan['Shared Hit Blocks'] + plan['Shared Read Blocks'];
        };
        const key = keyIds[1];
        console.log(
          `${dialect}: ${checkpoint} pages touched: counters for /metrics ${await blocks(`select name, sum(value) from counters where name in (${METRIC_NAMES}) group by name`)}, ` +
            `counter for quota ${await blocks(`select coalesce(sum(value), 0) from counters where name = 'key_credits:${key}'`)}, ` +
            `scan for metrics ${await blocks('select status, count(*) from classify_runs group by status')}, ` +
            `scan for quota ${await blocks(`select coalesce(sum(credits), 0) from classify_runs where api_key_id = '${key}'`)}`,
        );
        // Every counter update leaves a dead row version until vacuum; autovacuum clears them in a running
        // service, a bulk insert outruns it. Timed again after a vacuum to show both.
        await sql`vacuum counters`.execute(store.db);
        console.log(
          `${dialect}: ${checkpoint} pages touched after VACUUM counters: for /metrics ${await blocks(`select name, sum(value) from counters where name in (${METRIC_NAMES}) group by name`)}, ` +
            `for quota ${await blocks(`select coalesce(sum(value), 0) from counters where name = 'key_credits:${key}'`)}`,
        );
        const vacuumedMetricsMs = await timeMs(async () => (await fetch(`${url}/metrics`)).text());
        const vacuumedQuotaMs = await timeMs(async () =>
          (await fetch(`${url}/v1/classifiers`, { headers: { authorization: `Bearer ${keys[1].key}` } })).text(),
        );
        console.log(
          `${dialect}: ${checkpoint} after VACUUM counters: GET /metrics ${vacuumedMetricsMs.toFixed(2)} ms, quota check ${vacuumedQuotaMs.toFixed(2)} ms`,
        );
      }
      console.log(
        `${dialect}: ${checkpoint} | ${rate} | ${metricsMs.toFixed(2)} | ${quotaMs.toFixed(2)} | ${scanMetricsMs.toFixed(2)} | ${scanQuotaMs.toFixed(2)}`,
      );
    }
  } finally {
    await app.close();
    if (dialect === 'postgres') {
      const client = new pg.Client({ connectionString: args['database-url'] });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

for (const dialect of args.dialects!.split(',')) await benchDialect(dialect.trim() as 'sqlite' | 'postgres');
