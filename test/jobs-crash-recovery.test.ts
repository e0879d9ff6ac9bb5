/**
 * Crash safety with real processes: a `docsort worker` killed in the middle of a run (SIGKILL,
 * no chance to clean up) loses nothing — another worker takes the job over when the lease runs
 * out and the run finishes with the label the corpus gives the file, charged once. Also the sync timeout (504 with the run id) and cancelling a run
 * nobody has picked up, on an API-only server.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import { createTestDatabase, DIALECTS, type TestDatabase } from './helpers/test-database.js';
import { corpusFile, requestJson, spawnDocsort, startTestServer, stopChild, waitUntil, type TestServer } from './helpers/test-server.js';

// Image-only pages: OCR keeps the worker busy long enough to be killed mid-run.
const SCANNED_PATH = 'pdf/bank_statement/cs-estatement-dummy.pdf';
const SCANNED = corpusFile(SCANNED_PATH);
/** What the corpus says the statement is (pdf-labels.csv), the label a recovered run must give. */
const SCANNED_LABEL = corpusLabel(SCANNED_PATH);
/** Marks the recovered run's usage, so its sums can be read apart from the other runs here. */
const RECOVERY_TAG = 'crash-recovery';
const CLASSES = [
  { name: 'bank_statement', description: 'A bank account statement' },
  { name: 'invoice', description: 'A bill' },
];
const WORKER_ENV = { JOB_LEASE_SECONDS: '2', WORKER_CONCURRENCY: '1', JOB_POLL_MS: '100' };

function corpusLabel(relative: string): string {
  const line = fs
    .readFileSync(corpusFile('pdf-labels.csv'), 'utf8')
    .split('\n')
    .find((row) => row.startsWith(`${relative},`));
  const label = line?.split(',')[1];
  if (!label) throw new Error(`${relative} has no label in pdf-labels.csv`);
  return label;
}

for (const dialect of DIALECTS) {
  describe(`crash recovery on ${dialect}`, () => {
    let database: TestDatabase;
    let server: TestServer;
    let fileId: string;
    const children: ChildProcess[] = [];
    const api = (route: string) => `${server.url}${route}`;

    before(async () => {
      database = await createTestDatabase(dialect);
      server = await startTestServer(dialect, { ...WORKER_ENV, SYNC_TIMEOUT_SECONDS: '1' }, { workers: 0, database });
      const form = new FormData();
      form.append('file', new Blob([fs.readFileSync(SCANNED)]), 'statement.pdf');
      fileId = (await requestJson(api('/v1/files'), { form })).body.id;
    });
    after(async () => {
      for (const child of children) await stopChild(child, 'SIGKILL');
      await server.close();
      await database.drop();
    });

    it('answers 504 with the run id when no result comes in time, and cancels a waiting run', async () => {
      const sync = await requestJson(api('/v1/classify'), { json: { config: { classes: CLASSES }, file: { id: fileId } } });
      assert.equal(sync.status, 504);
      assert.equal(sync.body.error, 'timeout');
      assert.match(sync.body.run_id, /^clr_/);
      const cancelled = await requestJson(api(`/v1/classify_runs/${sync.body.run_id}/cancel`), { method: 'POST' });
      assert.equal(cancelled.status, 200);
      assert.equal(cancelled.body.status, 'CANCELLED');
      assert.equal(cancelled.body.failure_reason, 'ABORTED');
      const again = await requestJson(api(`/v1/classify_runs/${sync.body.run_id}/cancel`), { method: 'POST' });
      assert.equal(again.status, 409);
      assert.equal(again.body.error, 'conflict');
    });

    it('finishes a run after its worker is killed mid-run and another worker starts', async () => {
      const started = await requestJson(api('/v1/classify_runs'), {
        json: { config: { classes: CLASSES }, file: { id: fileId }, page_range: '1', metadata: { usage_tags: [RECOVERY_TAG] } },
      });
      assert.equal(started.status, 202);
      const runId = started.body.id;

      const first = await spawnDocsort('worker', database, WORKER_ENV);
      children.push(first);
      await waitUntil(
        () => requestJson(api(`/v1/classify_runs/${runId}`)),
        (answer) => answer.body.status !== 'PENDING',
        60_000,
        20,
      );
      await stopChild(first, 'SIGKILL');
      const during = await requestJson(api(`/v1/classify_runs/${runId}`));
      assert.equal(during.body.status, 'PROCESSING', 'the run was caught mid-run');

      const second = await spawnDocsort('worker', database, WORKER_ENV);
      children.push(second);
      const done = await waitUntil(
        () => requestJson(api(`/v1/classify_runs/${runId}`)),
        (answer) => answer.body.status !== 'PROCESSING',
        120_000,
        100,
      );
      assert.equal(done.body.status, 'PROCESSED', JSON.stringify(done.body));
      assert.equal(done.body.num_pages, 1);
      assert.deepEqual(done.body.usage, { pages: 1, credits: 1, llm_tokens: null });
      assert.equal(done.body.output.classification.class, SCANNED_LABEL, JSON.stringify(done.body.output.classification));
      assert.deepEqual(
        done.body.output.pages.map((page: { page: number }) => page.page),
        [0],
        'the result covers page 1 only',
      );
      // The run is recorded before its job is marked done, so wait for the job too.
      const job = await waitUntil(
        () => server.app.deps.queue.getJob(`job_${runId}`),
        (row) => row?.status !== 'running',
        30_000,
        50,
      );
      assert.equal(job?.status, 'succeeded');
      assert.equal(job?.attempts, 2, 'the second worker took the job over');
      await stopChild(second, 'SIGTERM');

      // One result and one charge, however many workers touched the job.
      const db = server.app.deps.store.db;
      const processed = await db
        .selectFrom('classify_runs')
        .select('id')
        .where('file_id', '=', fileId)
        .where('status', '=', 'PROCESSED')
        .execute();
      assert.deepEqual(
        processed.map((row) => row.id),
        [runId],
      );
      const usage = await requestJson(api(`/v1/usage?tag=${RECOVERY_TAG}`));
      assert.equal(usage.status, 200, JSON.stringify(usage.body));
      assert.deepEqual(usage.body.totals, { runs: 1, pages: 1, credits: 1, llm_tokens: { input: 0, output: 0 } });
      assert.deepEqual(usage.body.by_tag, [{ tag: RECOVERY_TAG, runs: 1, pages: 1, credits: 1, llm_tokens: { input: 0, output: 0 } }]);
    });

    it('stops a running job when its run is cancelled, and never overwrites the cancellation', async () => {
      const worker = await spawnDocsort('worker', database, WORKER_ENV);
      children.push(worker);
      // Page 2 has not been read yet (page 1 was, above), so the worker is busy with OCR when the cancel arrives.
      const started = await requestJson(api('/v1/classify_runs'), {
        json: { config: { classes: CLASSES }, file: { id: fileId }, page_range: '2' },
      });
      const runId = started.body.id;
      await waitUntil(
        () => requestJson(api(`/v1/classify_runs/${runId}`)),
        (answer) => answer.body.status !== 'PENDING',
        60_000,
        20,
      );
      const cancelled = await requestJson(api(`/v1/classify_runs/${runId}/cancel`), { method: 'POST' });
      assert.equal(cancelled.status, 200);
      assert.equal(cancelled.body.status, 'CANCELLED');
      const job = await waitUntil(
        () => server.app.deps.queue.getJob(`job_${runId}`),
        (row) => row?.status !== 'running',
        60_000,
        100,
      );
      assert.equal(job?.status, 'cancelled');
      const after = await requestJson(api(`/v1/classify_runs/${runId}`));
      assert.equal(after.body.status, 'CANCELLED');
      assert.equal(after.body.output, null);
      await stopChild(worker, 'SIGTERM');
    });
  });
}
