/**
 * Scale-out throughput on PostgreSQL alone: async classify runs worked off by 1 and then 2
 * `docsort worker` processes (WORKER_CONCURRENCY=1 each, every process with its own empty
 * DATA_DIR, the bytes in the database), born-digital PDFs and OCR'd images measured apart. For
 * each round: runs/s and pages/s from queueing all runs to the last one finished, the speed-up
 * of 2 workers over 1, the database's share of the workers' time (PostgreSQL backends of the
 * workers seen active, sampled every 10 ms from pg_stat_activity, over worker count), and
 * committed transactions per run (pg_stat_database; the benchmark's own queries subtracted).
 *
 *   npm run bench:scale [-- --database-url postgres://…/docsort_bench --born-digital 60 --ocr 16 --workers 1,2]
 *
 * The database named in the URL is created if missing and should serve nothing else meanwhile
 * (its transaction count is read whole). Each round reads its files afresh: saved extractions
 * are deleted between rounds, warm-up runs on other files come first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { storeFileStream } from '../src/api/file-ingest.js';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { DEFAULT_WORKSPACE } from '../src/core/access.js';
import { createRun } from '../src/runs/runs.service.js';
import type { Deps } from '../src/deps.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus =
  [path.resolve(repoRoot, '../shared/corpus'), path.resolve(repoRoot, '../../shared/corpus')].find((dir) => fs.existsSync(dir)) ??
  path.resolve(repoRoot, '../shared/corpus');
const CLASSIFIER = JSON.parse(fs.readFileSync(path.join(corpus, 'classifier.json'), 'utf8'));
const WORKER_APP_NAME = 'docsort_bench_worker';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string', default: 'postgres://root@127.0.0.1:5432/docsort_bench' },
    'born-digital': { type: 'string', default: '60' },
    ocr: { type: 'string', default: '16' },
    workers: { type: 'string', default: '1,2' },
  },
});
const databaseUrl = args['database-url']!;
const databaseName = new URL(databaseUrl).pathname.slice(1);
const maintenanceUrl = Object.assign(new URL(databaseUrl), { pathname: '/postgres' }).toString();

async function ensureDatabase(): Promise<void> {
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [databaseName]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${databaseName.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)]))
    .sort();
}

function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn('nice', ['-n', '0', process.execPath, path.join(repoRoot, 'bin/docsort.js'), 'worker'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', AUTH: 'off', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('docsort worker started')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`docsort worker exited (${code}): ${output.slice(-2000)}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function runAll(deps: Deps, fileIds: string[]): Promise<string[]> {
  const ids: string[] = [];
  await deps.store.db.transaction().execute(async (trx) => {
    for (const fileId of fileIds) ids.push((await createRun(deps, { workspaceId: DEFAULT_WORKSPACE, fileId, config: CLASSIFIER }, trx)).id);
  });
  deps.queue.wake();
  return ids;
}

async function countOpen(deps: Deps, runIds: string[]): Promise<number> {
  const row = await deps.store.db
    .selectFrom('classify_runs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id', 'in', runIds)
    .where('status', 'in', ['PENDING', 'PROCESSING'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function committedTransactions(sampler: pg.Client): Promise<number> {
  await sampler.query('select pg_stat_clear_snapshot()');
  const result = await sampler.query('select xact_commit from pg_stat_database where datname = $1', [databaseName]);
  return Number(result.rows[0].xact_commit);
}

interface RoundResult {
  workers: number;
  kind: string;
  runs: number;
  pages: number;
  seconds: number;
  dbShare: number;
  transactionsPerRun: number;
  failed: number;
}

async function measureRound(
  deps: Deps,
  sampler: pg.Client,
  schema: string,
  workers: number,
  kind: string,
  warmUp: string[],
  files: string[],
): Promise<RoundResult> {
  await deps.store.db.deleteFrom('extractions').execute();
  const dataDirs = Array.from({ length: workers }, () => fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-bench-worker-')));
  const url = new URL(databaseUrl);
  url.searchParams.set('application_name', WORKER_APP_NAME);
  const children = await Promise.all(
    dataDirs.map((dataDir) =>
      startWorker({
        DATABASE_URL: url.toString(),
        DATABASE_SCHEMA: schema,
        DATA_DIR: dataDir,
        WORKER_CONCURRENCY: '1',
        JOB_POLL_MS: '200',
      }),
    ),
  );
  try {
    const warmRuns = await runAll(deps, warmUp.slice(0, workers));
    while ((await countOpen(deps, warmRuns)) > 0) await new Promise((resolve) => setTimeout(resolve, 200));

    const transactionsBefore = await committedTransactions(sampler);
    let ownQueries = 0;
    const started = performance.now();
    const runIds = await runAll(deps, files);
    ownQueries += 1;
    let samples = 0;
    let activeSum = 0;
    let open = runIds.length;
    let lastPoll = 0;
    while (open > 0) {
      const active = await sampler.query(
        "select count(*)::int as n from pg_stat_activity where application_name = $1 and state = 'active'",
        [WORKER_APP_NAME],
      );
      samples += 1;
      activeSum += active.rows[0].n;
      if (performance.now() - lastPoll > 250) {
        lastPoll = performance.now();
        open = await countOpen(deps, runIds);
        ownQueries += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const seconds = (performance.now() - started) / 1000;
    // Statistics reach pg_stat_database within a second of each transaction's end.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const transactions = (await committedTransactions(sampler)) - transactionsBefore - ownQueries;
    const finished = await deps.store.db.selectFrom('classify_runs').select(['status', 'num_pages']).where('id', 'in', runIds).execute();
    return {
      workers,
      kind,
      runs: runIds.length,
      pages: finished.reduce((sum, run) => sum + (run.num_pages ?? 0), 0),
      seconds,
      dbShare: activeSum / samples / workers,
      transactionsPerRun: transactions / runIds.length,
      failed: finished.filter((run) => run.status !== 'PROCESSED').length,
    };
  } finally {
    await Promise.all(children.map(stop));
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await ensureDatabase();
  const schema = `bench_scale_${randomBytes(4).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-bench-scale-'));
  const app = await createApp(
    loadConfig({ DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, DATA_DIR: dataDir, LOG_LEVEL: 'silent', AUTH: 'off' }),
    { api: false, workers: 0 },
  );
  const { deps } = app;
  const sampler = new pg.Client({ connectionString: maintenanceUrl });
  await sampler.connect();
  try {
    // Born-digital: PDFs whose every page has a usable text layer (read once here to find them).
    const bornDigital: string[] = [];
    for (const file of listFiles(path.join(corpus, 'pdf'))) {
      if (bornDigital.length >= Number(args['born-digital']) + 2) break;
      try {
        const document = await deps.extractor.extractFile(file);
        if (document.pages.length > 0 && document.pages.every((page) => page.source === 'text' && !page.error)) bornDigital.push(file);
      } catch {
        // unreadable or locked files are not part of this measurement
      }
    }
    // One image of each class in turn (adverts, letters, forms, faxes…), so the mix is the corpus's, not one class's.
    const byClass = fs
      .readdirSync(path.join(corpus, 'img'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => listFiles(path.join(corpus, 'img', entry.name)).filter((file) => /\.(png|jpe?g)$/i.test(file)));
    const images: string[] = [];
    for (let index = 0; images.length < Number(args.ocr) + 2 && byClass.some((files) => index < files.length); index++) {
      for (const files of byClass) if (index < files.length && images.length < Number(args.ocr) + 2) images.push(files[index]);
    }
    const ocr = images;
    const upload = async (file: string) =>
      (await storeFileStream(deps, DEFAULT_WORKSPACE, fs.createReadStream(file), path.basename(file))).id;
    const bornIds = [];
    for (const file of bornDigital) bornIds.push(await upload(file));
    const ocrIds = [];
    for (const file of ocr) ocrIds.push(await upload(file));
    console.log(`files: ${bornIds.length - 2} born-digital PDFs, ${ocrIds.length - 2} images (OCR); 2 more of each for warm-up`);

    const results: RoundResult[] = [];
    for (const workers of args.workers!.split(',').map(Number)) {
      for (const [kind, ids] of [
        ['born-digital', bornIds],
        ['ocr', ocrIds],
      ] as const) {
        const result = await measureRound(deps, sampler, schema, workers, kind, ids.slice(0, 2), ids.slice(2));
        results.push(result);
        console.log(
          `${workers} worker(s), ${kind}: ${result.runs} runs (${result.failed} not processed), ${result.pages} pages in ${result.seconds.toFixed(1)} s = ` +
            `${(result.runs / result.seconds).toFixed(2)} runs/s, ${(result.pages / result.seconds).toFixed(2)} pages/s; ` +
            `DB share ${(result.dbShare * 100).toFixed(1)}%, ${result.transactionsPerRun.toFixed(1)} transactions/run`,
        );
      }
    }
    for (const kind of ['born-digital', 'ocr']) {
      const one = results.find((result) => result.kind === kind && result.workers === 1);
      const two = results.find((result) => result.kind === kind && result.workers === 2);
      if (one && two) console.log(`speed-up 2 vs 1 workers, ${kind}: ${(two.runs / two.seconds / (one.runs / one.seconds)).toFixed(2)}×`);
    }
  } finally {
    await sampler.end();
    await app.close();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
