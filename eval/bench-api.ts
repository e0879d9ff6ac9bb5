/**
 * HTTP API load benchmark against real `docsort` processes.
 *  1. Sync: `POST /v1/classify` of a 2-page born-digital PDF already uploaded — p50/p99 latency
 *     (one connection) and requests/s (several connections); plus the first classify of
 *     freshly uploaded files, which includes reading the PDF.
 *  2. Async: 1,000 runs through `POST /v1/classify_runs` on an API-only server and a separate
 *     `docsort worker`, which is killed (SIGKILL) half-way and replaced; every run must finish.
 *  3. Retraining: a saved classifier with ~500 examples (corpus PDF page texts) is reviewed and
 *     classified again, which retrains its learned layer, while GET /healthz runs steadily; the
 *     serving process's event-loop delay (p50/p99/max, `event-loop-probe.ts`) and the health
 *     check's latency, idle and while retraining.
 *
 * Usage: npm run bench:api [-- --database-url postgres://… --runs 1000 --seconds 10
 *          --parts sync,async,retrain --examples 500 --retrains 5 --health-rate 200]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { signDocument } from '../src/classify/learned/layout-signature.js';
import type { ClassifierView, ClassifyRun } from '../src/core/api-types.js';
import type { Page } from '../src/core/document.js';
import { readManifest } from '../src/evaluate/read-manifest.js';
import { openPdf } from '../src/extract/pdf-document.js';
import { readPdfPageText } from '../src/extract/pdf-page-text.js';
import { saveExample } from '../src/store/classifiers.queries.js';
import { openStore, type Store } from '../src/store/database.js';
import type { EventLoopReport } from './event-loop-probe.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Beside the main checkout, or two levels up from a worktree in /work/wt/NAME.
const corpus =
  [path.resolve(repoRoot, '../shared/corpus'), path.resolve(repoRoot, '../../shared/corpus')].find((dir) => fs.existsSync(dir)) ??
  path.resolve(repoRoot, '../shared/corpus');
const TWO_PAGE_PDF = path.join(corpus, 'pdf/bank_statement/cs-bofa-sample.pdf');
const COLD_FILES = [
  'pdf/bank_statement/cs-uk-example.pdf',
  'pdf/invoice/i2d-bolcom.pdf',
  'pdf/contract/kleister-nda-370f080c.pdf',
  'pdf/invoice/i2d-aws-invoice.pdf',
];
const CLASSIFIER = JSON.parse(fs.readFileSync(path.join(corpus, 'classifier.json'), 'utf8'));

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    runs: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    parts: { type: 'string', default: 'sync,async,retrain' },
    examples: { type: 'string', default: '500' },
    retrains: { type: 'string', default: '5' },
    'health-rate': { type: 'string', default: '200' },
  },
});
const parts = new Set(args.parts!.split(',').map((part) => part.trim()));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function startDocsort(command: 'serve' | 'worker', env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/docsort.js'), command], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', AUTH: 'off', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`docsort ${command} started`)) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`docsort ${command} exited (${code}): ${output.slice(-2000)}`)));
  });
}

async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/** `T` is what the route answers with; a failed request throws instead, so the cast holds. */
async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${JSON.stringify(json)}`);
  return json as T;
}

async function upload(base: string, file: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(file)]), path.basename(file));
  const response = await fetch(`${base}/v1/files`, { method: 'POST', body: form });
  const json = (await response.json()) as { id: string };
  return json.id;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function countByStatus(store: Store): Promise<Record<string, number>> {
  const rows = await store.db
    .selectFrom('classify_runs')
    .select(['status'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
}

const PDF_MANIFESTS = ['pdf-labels.csv', 'pdf-labels-wave2.csv'];
/** Pages of a document kept in an example, as the learned layer reads at most the first three. */
const EXAMPLE_PAGES = 3;

interface GeneratedExample {
  class: string;
  pages: string[];
  layout: number[] | null;
}

/**
 * Up to `count` training examples from the text layers of the labelled corpus PDFs (scans without
 * one are left out): each document as one example, then single pages of longer documents, the way
 * a classifier that has been reviewed for a while holds whole documents and parts of bundles.
 */
async function generateExamples(count: number): Promise<GeneratedExample[]> {
  const classes = new Set<string>(CLASSIFIER.classes.map((definition: { name: string }) => definition.name));
  const documents: { class: string; pages: Page[] }[] = [];
  for (const manifest of PDF_MANIFESTS) {
    for (const row of (await readManifest(path.join(corpus, manifest))).rows) {
      if (!classes.has(row.label)) continue;
      try {
        const { document, numPages } = openPdf(row.path, undefined);
        const pages: Page[] = [];
        for (let index = 0; index < Math.min(numPages, 8); index++) {
          const text = readPdfPageText(document, index, false);
          if (text.usable) pages.push(text.page);
        }
        if (pages.length > 0) documents.push({ class: row.label, pages });
      } catch {
        // unreadable on purpose or without a text layer: not an example
      }
    }
  }
  const describe = (label: string, pages: Page[]): GeneratedExample => ({
    class: label,
    pages: pages.map((page) => page.text),
    layout: signDocument(pages),
  });
  const examples = documents.map((document) => describe(document.class, document.pages.slice(0, EXAMPLE_PAGES)));
  for (const document of documents) {
    if (document.pages.length < 2) continue;
    for (const page of document.pages) examples.push(describe(document.class, [page]));
  }
  return examples.slice(0, count);
}

/** Asks the probed process for its event-loop delay since the last ask (and starts it over). */
async function readEventLoop(child: ChildProcess, file: string): Promise<EventLoopReport> {
  fs.rmSync(file, { force: true });
  child.kill('SIGUSR2');
  for (let waited = 0; waited < 5000; waited += 20) {
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as EventLoopReport;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`docsort serve (pid ${child.pid}) did not report its event-loop delay`);
}

function formatEventLoop(report: EventLoopReport): string {
  return `event-loop delay p50 ${report.p50Ms.toFixed(1)} ms, p99 ${report.p99Ms.toFixed(1)} ms, max ${report.maxMs.toFixed(1)} ms (${report.samples} samples)`;
}

/**
 * GET /healthz at a steady rate on one connection until `stop` is called: a rate rather than as
 * fast as possible, so that on a small machine the load does not take the cores the retraining
 * needs.
 */
function pollHealth(base: string): { stop: () => Promise<autocannon.Result> } {
  let resolveResult!: (result: autocannon.Result) => void;
  const done = new Promise<autocannon.Result>((resolve) => (resolveResult = resolve));
  const instance = autocannon(
    { url: `${base}/healthz`, connections: 1, overallRate: Number(args['health-rate']), duration: 3600 },
    (error, result) => {
      if (error) throw error;
      resolveResult(result);
    },
  );
  return {
    stop: () => {
      instance.stop();
      return done;
    },
  };
}

function formatHealth(result: autocannon.Result): string {
  return `GET /healthz p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms; ${result.requests.total} requests, non-2xx ${result.non2xx}`;
}

function summarize(timings: number[]): string {
  const sorted = [...timings].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(0)} ms, max ${sorted[sorted.length - 1].toFixed(0)} ms (${sorted.map((ms) => ms.toFixed(0)).join(', ')})`;
}

async function timeClassify(base: string, body: unknown): Promise<{ ms: number; run: { id: string; status: string } }> {
  const started = performance.now();
  const run = await postJson<ClassifyRun>(`${base}/v1/classify`, body);
  const ms = performance.now() - started;
  if (run.status !== 'PROCESSED') throw new Error(`run ${run.id} is ${run.status}`);
  return { ms, run };
}

/**
 * 3. One embedded process (API + 2 in-process workers) with the probe preloaded. The arena
 * variables are set so the CLI does not start itself again (relaunch.ts): the probed process is
 * the one that serves HTTP.
 */
async function benchRetraining(options: {
  databaseUrl: string | undefined;
  schema: string;
  seconds: number;
  children: ChildProcess[];
}): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-bench-retrain-'));
  const loopFile = path.join(dataDir, 'event-loop.json');
  const dbEnv: Record<string, string> = options.databaseUrl ? { DATABASE_URL: options.databaseUrl, DATABASE_SCHEMA: options.schema } : {};
  const port = await freePort();
  const serve = await startDocsort('serve', {
    ...dbEnv,
    DATA_DIR: dataDir,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    WORKER_CONCURRENCY: '2',
    MALLOC_ARENA_MAX: '2',
    MALLOC_MMAP_THRESHOLD_: String(256 * 1024),
    NODE_OPTIONS: `--import ${new URL('./event-loop-probe.js', import.meta.url).href}`,
    DOCSORT_EVENT_LOOP_FILE: loopFile,
  });
  options.children.push(serve);
  const base = `http://127.0.0.1:${port}`;

  const examples = await generateExamples(Number(args.examples));
  const classifier = await postJson<ClassifierView>(`${base}/v1/classifiers`, CLASSIFIER);
  const store = await openStore({
    databaseUrl: options.databaseUrl ?? null,
    sqlitePath: path.join(dataDir, 'docsort.sqlite'),
    schema: options.schema,
    poolSize: 2,
  });
  try {
    for (const example of examples)
      await saveExample(store.db, {
        workspaceId: 'default',
        classifierId: classifier.id,
        source: 'example',
        fileId: null,
        runId: null,
        ...example,
      });
  } finally {
    await store.close();
  }
  const fileId = await upload(base, TWO_PAGE_PDF);
  const body = { classifier: { id: classifier.id }, file: { id: fileId } };
  console.log(
    `\nretraining: a saved classifier with ${examples.length} examples (corpus PDF texts), embedded process, 2 in-process workers`,
  );
  console.log("  (event-loop delays include the probe's 5 ms sampling interval: 5 ms is an idle loop)");

  const first = await timeClassify(base, body);
  console.log(`  first classify (trains the learned layer): ${first.ms.toFixed(0)} ms`);
  const warm: number[] = [];
  for (let i = 0; i < 10; i++) warm.push((await timeClassify(base, body)).ms);
  console.log(`  sync POST /v1/classify, model kept: ${summarize(warm)}`);

  await readEventLoop(serve, loopFile);
  const idle = pollHealth(base);
  await new Promise((resolve) => setTimeout(resolve, options.seconds * 1000));
  const idleHealth = await idle.stop();
  console.log(
    `  idle, ${options.seconds} s, GET /healthz at ${args['health-rate']}/s: ${formatEventLoop(await readEventLoop(serve, loopFile))}`,
  );
  console.log(`    ${formatHealth(idleHealth)}`);

  // Each review adds an example (a new example revision), so the next classify trains again.
  const review = async () => {
    const response = await fetch(`${base}/v1/classify_runs/${first.run.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reviewed_output: { class: 'bank_statement' } }),
    });
    if (!response.ok) throw new Error(`review: ${response.status} ${await response.text()}`);
  };
  await review();
  console.log(`  classify after a review (retrains), nothing else running: ${(await timeClassify(base, body)).ms.toFixed(0)} ms`);

  const retrains = Number(args.retrains);
  const retrained: number[] = [];
  const busy = pollHealth(base);
  const started = performance.now();
  for (let i = 0; i < retrains; i++) {
    await review();
    retrained.push((await timeClassify(base, body)).ms);
  }
  const busyHealth = await busy.stop();
  const busySeconds = (performance.now() - started) / 1000;
  console.log(
    `  ${retrains} × (review + classify, which retrains), ${busySeconds.toFixed(1)} s, GET /healthz at ${args['health-rate']}/s: ${formatEventLoop(await readEventLoop(serve, loopFile))}`,
  );
  console.log(`    ${formatHealth(busyHealth)}`);
  console.log(`    classify after a review (retrains): ${summarize(retrained)}`);
  await stop(serve);
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-bench-'));
  const databaseUrl = args['database-url'];
  const schema = `bench_${Date.now().toString(36)}`;
  const dbEnv: Record<string, string> = databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema } : {};
  const seconds = Number(args.seconds);
  const children: ChildProcess[] = [];
  console.log(`docsort API benchmark — ${databaseUrl ? 'PostgreSQL' : 'SQLite'}, ${os.cpus().length} cores, Node ${process.version}`);

  try {
    if (parts.has('sync')) {
      // 1. Sync classify on the embedded setup: one process, in-process workers.
      const port = await freePort();
      const serve = await startDocsort('serve', {
        ...dbEnv,
        DATA_DIR: dataDir,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        WORKER_CONCURRENCY: '2',
      });
      children.push(serve);
      const base = `http://127.0.0.1:${port}`;
      const classifier = await postJson<ClassifierView>(`${base}/v1/classifiers`, CLASSIFIER);
      const fileId = await upload(base, TWO_PAGE_PDF);
      const body = JSON.stringify({ classifier: { id: classifier.id }, file: { id: fileId } });

      const cold: number[] = [];
      for (const file of [TWO_PAGE_PDF, ...COLD_FILES.map((name) => path.join(corpus, name))]) {
        const id = file === TWO_PAGE_PDF ? fileId : await upload(base, file);
        const started = performance.now();
        const run = await postJson<ClassifyRun>(`${base}/v1/classify`, { classifier: { id: classifier.id }, file: { id } });
        cold.push(performance.now() - started);
        if (run.status !== 'PROCESSED') throw new Error(`warm-up run ${run.id} is ${run.status}`);
      }
      console.log(
        `\nfirst classify of a freshly uploaded born-digital PDF (reads the file): ${cold.map((ms) => ms.toFixed(0)).join(', ')} ms`,
      );

      const request = { url: `${base}/v1/classify`, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body };
      const latency = await autocannon({ ...request, connections: 1, duration: seconds });
      console.log(`\nsync POST /v1/classify, 2-page born-digital PDF, 1 connection, ${seconds} s:`);
      console.log(
        `  p50 ${latency.latency.p50} ms, p90 ${latency.latency.p90} ms, p99 ${latency.latency.p99} ms, mean ${latency.latency.average.toFixed(1)} ms; ${latency.requests.average.toFixed(1)} req/s; non-2xx ${latency.non2xx}, errors ${latency.errors}`,
      );
      const connections = Number(args.connections);
      const load = await autocannon({ ...request, connections, duration: seconds });
      console.log(`sync POST /v1/classify, ${connections} connections, ${seconds} s:`);
      console.log(
        `  p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms; ${load.requests.average.toFixed(1)} req/s; non-2xx ${load.non2xx}, errors ${load.errors}`,
      );
      await stop(serve);
    }

    if (parts.has('async')) {
      // 2. Async: API-only server + a separate worker process, restarted (killed) half-way.
      const runs = Number(args.runs);
      const asyncDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-bench-async-'));
      const asyncSchema = `${schema}_async`;
      const asyncDbEnv: Record<string, string> = databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: asyncSchema } : {};
      const apiPort = await freePort();
      const common = { ...asyncDbEnv, DATA_DIR: asyncDir, LOG_LEVEL: 'warn', JOB_LEASE_SECONDS: '3', JOB_POLL_MS: '50' };
      const apiOnly = await startDocsort('serve', { ...common, PORT: String(apiPort), WORKER_CONCURRENCY: '0' });
      children.push(apiOnly);
      const asyncBase = `http://127.0.0.1:${apiPort}`;
      const asyncClassifier = await postJson<ClassifierView>(`${asyncBase}/v1/classifiers`, CLASSIFIER);
      const asyncFile = await upload(asyncBase, TWO_PAGE_PDF);
      const store = await openStore({
        databaseUrl: databaseUrl ?? null,
        sqlitePath: path.join(asyncDir, 'docsort.sqlite'),
        schema: asyncSchema,
        poolSize: 2,
      });

      let worker = await startDocsort('worker', { ...common, WORKER_CONCURRENCY: '2' });
      children.push(worker);
      const started = performance.now();
      const created = await autocannon({
        url: `${asyncBase}/v1/classify_runs`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ classifier: { id: asyncClassifier.id }, file: { id: asyncFile }, metadata: { usage_tags: ['bench'] } }),
        connections: 8,
        amount: runs,
      });
      const enqueueSeconds = (performance.now() - started) / 1000;
      console.log(
        `\nasync: ${runs} × POST /v1/classify_runs in ${enqueueSeconds.toFixed(2)} s (${(runs / enqueueSeconds).toFixed(0)} req/s, p50 ${created.latency.p50} ms, p99 ${created.latency.p99} ms, non-2xx ${created.non2xx})`,
      );

      let restarted = false;
      const progress: number[] = [];
      for (;;) {
        const counts = await countByStatus(store);
        const final = (counts.PROCESSED ?? 0) + (counts.FAILED ?? 0) + (counts.CANCELLED ?? 0);
        if (!restarted && final >= runs / 2) {
          await stop(worker, 'SIGKILL');
          console.log(`  worker killed (SIGKILL) after ${final} runs finished; starting a new one`);
          worker = await startDocsort('worker', { ...common, WORKER_CONCURRENCY: '2' });
          children.push(worker);
          restarted = true;
        }
        if (final >= runs) break;
        progress.push(final);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const totalSeconds = (performance.now() - started) / 1000;
      const counts = await countByStatus(store);
      const jobs = await store.db.selectFrom('jobs').select(['attempts']).execute();
      const retried = jobs.filter((job) => job.attempts > 1).length;
      console.log(
        `  all ${runs} runs final in ${totalSeconds.toFixed(2)} s → ${(runs / totalSeconds).toFixed(1)} runs/s end to end (one worker process, 2 jobs at once, restarted once)`,
      );
      console.log(
        `  statuses: ${JSON.stringify(counts)}; jobs taken over after the kill: ${retried}; lost: ${runs - (counts.PROCESSED ?? 0)}`,
      );
      const durations = (await store.db.selectFrom('classify_runs').select(['created_at', 'finished_at']).execute())
        .map((run) => Number(run.finished_at) - Number(run.created_at))
        .sort((a, b) => a - b);
      console.log(
        `  created → finished: p50 ${percentile(durations, 50)} ms, p99 ${percentile(durations, 99)} ms (includes waiting in the queue)`,
      );

      // 3. Sync through an API-only process while a separate worker process does the work.
      const scaleOut = await autocannon({
        url: `${asyncBase}/v1/classify`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ classifier: { id: asyncClassifier.id }, file: { id: asyncFile } }),
        connections: 1,
        duration: seconds,
      });
      console.log(`\nsync POST /v1/classify on an API-only process + 1 worker process, 1 connection, ${seconds} s:`);
      console.log(
        `  p50 ${scaleOut.latency.p50} ms, p99 ${scaleOut.latency.p99} ms; ${scaleOut.requests.average.toFixed(1)} req/s; non-2xx ${scaleOut.non2xx}`,
      );
      await store.close();
    }

    if (parts.has('retrain')) await benchRetraining({ databaseUrl, schema: `${schema}_retrain`, seconds, children });
  } finally {
    for (const child of children) await stop(child, 'SIGKILL');
    if (databaseUrl) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.query(`DROP SCHEMA IF EXISTS "${schema}_async" CASCADE`);
      await client.query(`DROP SCHEMA IF EXISTS "${schema}_retrain" CASCADE`);
      await client.end();
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
