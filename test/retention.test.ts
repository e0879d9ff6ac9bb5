/**
 * A busy deployment stays tidy: `delete_file_after` removes a run's file once it has finished;
 * housekeeping applies RETENTION_DAYS to files, webhook events and deliveries and drops old
 * finished jobs; the counters behind /metrics and quotas agree with the rows they count.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { HOUSEKEEPING_JOB, scheduleHousekeeping } from '../src/retention/housekeeping.job.js';
import { runHousekeeping } from '../src/retention/housekeeping.js';
import { collectStoredMetrics } from '../src/usage/collect-metrics.js';
import type { MetricFamily } from '../src/usage/prometheus-text.js';
import type { DeliveryStatus } from '../src/notify/webhooks.schema.js';
import { DIALECTS } from './helpers/test-database.js';
import { corpusFile, requestJson, startTestServer, waitUntil, type TestServer } from './helpers/test-server.js';

const BORN_DIGITAL = corpusFile('pdf/bank_statement/cs-bofa-sample.pdf');
const OTHER = corpusFile('pdf/invoice/i2d-aws-invoice.pdf');
const CLASSES = [
  { name: 'bank_statement', description: 'A bank account statement' },
  { name: 'invoice', description: 'A bill' },
];
const DAY_MS = 86_400_000;

/** The value of one plain sample of a metric family, picked by its status label when given. */
function sampleValue(metrics: MetricFamily[], name: string, status?: string): number | undefined {
  const sample = metrics
    .find((family) => family.name === name)
    ?.samples.find((candidate) => !status || candidate.labels?.status === status);
  return sample && 'value' in sample ? sample.value : undefined;
}

for (const dialect of DIALECTS) {
  describe(`retention and counters on ${dialect}`, () => {
    let server: TestServer;
    const api = (route: string) => `${server.url}${route}`;

    async function upload(file: string): Promise<string> {
      const form = new FormData();
      form.append('file', new Blob([fs.readFileSync(file)]), 'file.pdf');
      const uploaded = await requestJson(api('/v1/files'), { form });
      assert.equal(uploaded.status, 201);
      return uploaded.body.id;
    }
    async function classify(fileId: string, extra: Record<string, unknown> = {}) {
      const started = await requestJson(api('/v1/classify_runs'), {
        json: { config: { classes: CLASSES }, file: { id: fileId }, ...extra },
      });
      assert.equal(started.status, 202, JSON.stringify(started.body));
      return waitUntil(
        async () => (await requestJson(api(`/v1/classify_runs/${started.body.id}`))).body,
        (run) => run.status === 'PROCESSED' || run.status === 'FAILED',
      );
    }

    before(async () => {
      server = await startTestServer(dialect, { RETENTION_DAYS: '30', WORKER_CONCURRENCY: '1' });
    });
    after(async () => {
      await server.close();
    });

    it('deletes the file of a run that asked for it once the run has finished', async () => {
      const fileId = await upload(BORN_DIGITAL);
      const run = await classify(fileId, { delete_file_after: true });
      assert.equal(run.status, 'PROCESSED');
      assert.equal(run.delete_file_after, true);
      assert.equal(run.output.classification.class, 'bank_statement');
      assert.equal((await requestJson(api(`/v1/files/${fileId}`))).status, 404);
      const sha = (await server.app.deps.store.db.selectFrom('extractions').select('sha256').execute()).length;
      assert.equal(sha, 0, 'the saved pages went with the last file using the bytes');
      // The run stays: it is the usage history.
      assert.equal((await requestJson(api(`/v1/classify_runs/${run.id}`))).status, 200);
    });

    it('keeps the file of a run that did not ask for it', async () => {
      const fileId = await upload(OTHER);
      const run = await classify(fileId);
      assert.equal(run.delete_file_after, false);
      assert.equal((await requestJson(api(`/v1/files/${fileId}`))).status, 200);
    });

    it('deletes files, events and deliveries past RETENTION_DAYS and finished jobs past a day, and keeps the rest', async () => {
      const db = server.app.deps.store.db;
      const now = Date.now();
      const oldFile = await upload(BORN_DIGITAL);
      const recentFile = await upload(OTHER);
      await db
        .updateTable('files')
        .set({ created_at: now - 31 * DAY_MS })
        .where('id', '=', oldFile)
        .execute();
      const old = now - 31 * DAY_MS;
      await db
        .insertInto('webhook_events')
        .values([
          { id: 'evt_old', type: 'classify_run.processed', body: '{}', created_at: old },
          { id: 'evt_old_pending', type: 'classify_run.processed', body: '{}', created_at: old },
          { id: 'evt_new', type: 'classify_run.processed', body: '{}', created_at: now },
        ])
        .execute();
      const delivery = (id: string, eventId: string, status: DeliveryStatus, createdAt: number) => ({
        id,
        webhook_id: 'wh_gone',
        event_id: eventId,
        event_type: 'classify_run.processed' as const,
        status,
        attempts: 1,
        next_attempt_at: null,
        last_status_code: 200,
        last_error: null,
        last_attempt_at: createdAt,
        delivered_at: createdAt,
        created_at: createdAt,
      });
      await db
        .insertInto('webhook_deliveries')
        .values([
          delivery('dlv_old', 'evt_old', 'succeeded', old),
          delivery('dlv_old_pending', 'evt_old_pending', 'pending', old),
          delivery('dlv_new', 'evt_new', 'succeeded', now),
        ])
        .execute();
      await db
        .updateTable('jobs')
        .set({ updated_at: now - 2 * DAY_MS })
        .where('status', '=', 'succeeded')
        .execute();
      const succeededBefore = sampleValue(await collectStoredMetrics(db), 'docsort_webhook_deliveries', 'succeeded') ?? 0;

      const summary = await runHousekeeping(server.app.deps, now);

      assert.ok(summary.files >= 1);
      assert.equal(summary.deliveries, 1);
      assert.equal(summary.events, 1);
      assert.ok(summary.jobs >= 2, 'the finished classify jobs of the runs above');
      assert.equal((await requestJson(api(`/v1/files/${oldFile}`))).status, 404);
      assert.equal((await requestJson(api(`/v1/files/${recentFile}`))).status, 200);
      const deliveries = (await db.selectFrom('webhook_deliveries').select('id').orderBy('id').execute()).map((row) => row.id);
      assert.deepEqual(deliveries, ['dlv_new', 'dlv_old_pending']);
      const events = (await db.selectFrom('webhook_events').select('id').orderBy('id').execute()).map((row) => row.id);
      assert.deepEqual(events, ['evt_new', 'evt_old_pending']);
      const finished = await db
        .selectFrom('jobs')
        .select('id')
        .where('status', '=', 'succeeded')
        .where('updated_at', '<', now - DAY_MS)
        .execute();
      assert.deepEqual(finished, []);
      // The deliveries gauge follows the deletes.
      assert.equal(sampleValue(await collectStoredMetrics(db), 'docsort_webhook_deliveries', 'succeeded'), succeededBefore - 1);
    });

    it('keeps counters equal to the rows they count', async () => {
      const db = server.app.deps.store.db;
      const metrics = await collectStoredMetrics(db);
      const rows = await db
        .selectFrom('classify_runs')
        .select(['status', sql<number>`count(*)`.as('count')])
        .groupBy('status')
        .execute();
      for (const row of rows) {
        assert.equal(sampleValue(metrics, 'docsort_classify_runs', row.status), Number(row.count), row.status);
      }
      const pages = await db
        .selectFrom('classify_runs')
        .select(sql<number>`coalesce(sum(num_pages), 0)`.as('pages'))
        .where('status', '=', 'PROCESSED')
        .executeTakeFirst();
      assert.equal(sampleValue(metrics, 'docsort_pages_processed_total'), Number(pages?.pages));
      const histogram = metrics.find((family) => family.name === 'docsort_classify_run_duration_seconds')?.samples[0];
      assert.ok(histogram && 'count' in histogram);
      assert.equal(histogram.count, Number(rows.find((row) => row.status === 'PROCESSED')?.count ?? 0));
    });

    it('schedules one housekeeping job per slot however many processes ask', async () => {
      const now = Date.now();
      await scheduleHousekeeping(server.app.deps, now);
      await scheduleHousekeeping(server.app.deps, now);
      const jobs = await server.app.deps.store.db
        .selectFrom('jobs')
        .select(['id', 'run_at'])
        .where('type', '=', HOUSEKEEPING_JOB)
        .execute();
      assert.equal(jobs.length, 1);
      assert.ok(jobs[0].run_at > now);
    });
  });
}
