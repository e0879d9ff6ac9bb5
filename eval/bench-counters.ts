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
