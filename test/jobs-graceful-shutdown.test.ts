/**
 * Graceful shutdown with real processes: SIGTERM stops a `docsort worker` claiming; a job that
 * outlasts SHUTDOWN_GRACE_SECONDS goes back to the queue at once (not after its lease), so a
 * restarted worker finishes it although the lease here is an hour; one that fits in the grace
 * period is finished before the process exits.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { jobIdForRun } from '../src/runs/runs.service.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './helpers/test-database.js';
import { corpusFile, requestJson, spawnDocsort, startTestServer, stopChild, waitUntil, type TestServer } from './helpers/test-server.js';

// Image-only pages: OCR keeps the worker busy while it is asked to stop.
const SCANNED = corpusFile('pdf/bank_statement/cs-estatement-dummy.pdf');
const CLASSES = [
  { name: 'bank_statement', description: 'A bank account statement' },
  { name: 'invoice', description: 'A bill' },
];
// An hour: a job the test sees finished was given back by the stopping worker, not recovered after its lease.
const WORKER_ENV = { JOB_LEASE_SECONDS: '3600', WORKER_CONCURRENCY: '1', JOB_POLL_MS: '100' };

for (const dialect of DIALECTS) {
  describe(`graceful shutdown on ${dialect}`, () => {
    let database: TestDatabase;
    let server: TestServer;
    let fileId: string;
    const children: ChildProcess[] = [];
    const api = (route: string) => `${server.url}${route}`;

    async function startRun(): Promise<string> {
      const started = await requestJson(api('/v1/classify_runs'), { json: { config: { classes: CLASSES }, file: { id: fileId } } });
      assert.equal(started.status, 202);
      return started.body.id;
    }
    const readJob = (runId: string) => server.app.deps.queue.getJob(jobIdForRun(runId));
    const readRun = async (runId: string) => (await requestJson(api(`/v1/classify_runs/${runId}`))).body;

    before(async () => {
      database = await createTestDatabase(dialect);
      server = await startTestServer(dialect, WORKER_ENV, { workers: 0, database });
      const form = new FormData();
      form.append('file', new Blob([fs.readFileSync(SCANNED)]), 'statement.pdf');
      fileId = (await requestJson(api('/v1/files'), { form })).body.id;
    });
    after(async () => {
      for (const child of children) await stopChild(child, 'SIGKILL');
      await server.close();
      await database.drop();
    });

    it('gives a running job back to the queue on SIGTERM, and a restarted worker finishes it at once', async () => {
      const runId = await startRun();
      const first = await spawnDocsort('worker', database, { ...WORKER_ENV, SHUTDOWN_GRACE_SECONDS: '0' });
      children.push(first);
      await waitUntil(
        () => readJob(runId),
        (job) => job?.status === 'running',
      );
      let said = '';
      first.stderr?.on('data', (chunk: Buffer) => (said += chunk.toString()));
      first.stdout?.on('data', (chunk: Buffer) => (said += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => first.once('exit', (code) => resolve(code)));
      first.kill('SIGTERM');
      assert.equal(await exited, 0, `the worker exits cleanly; it said: ${said.slice(-3000)}`);

      const released = await readJob(runId);
      assert.equal(released?.status, 'queued');
      assert.equal(released?.locked_by, null);
      assert.equal(released?.attempts, 0, 'a released attempt does not count against the job');
      assert.ok((released?.run_at ?? Number.POSITIVE_INFINITY) <= Date.now(), 'due at once');

      const second = await spawnDocsort('worker', database, WORKER_ENV);
      children.push(second);
      const run = await waitUntil(
        () => readRun(runId),
        (body) => body.status === 'PROCESSED' || body.status === 'FAILED',
        120_000,
        200,
      );
      assert.equal(run.status, 'PROCESSED');
      assert.equal(run.output.classification.class, 'bank_statement');
      await stopChild(second);
    });

    it('finishes a running job within the grace period before exiting', async () => {
      const runId = await startRun();
      // Read once already: the pages come from the saved extraction, so the job fits a minute's grace.
      const worker = await spawnDocsort('worker', database, { ...WORKER_ENV, SHUTDOWN_GRACE_SECONDS: '60' });
      children.push(worker);
      await waitUntil(
        () => readJob(runId),
        (job) => job?.status === 'running' || job?.status === 'succeeded',
        60_000,
        20,
      );
      await stopChild(worker, 'SIGTERM');
      assert.equal((await readJob(runId))?.status, 'succeeded');
      assert.equal((await readRun(runId)).status, 'PROCESSED');
    });
  });
}
