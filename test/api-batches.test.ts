/**
 * Batches over real HTTP on both dialects: counts by run status on GET, the list of batches, and
 * cancelling a batch (runs still waiting are cancelled, finished ones keep their results).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from './helpers/test-database.js';
import { corpusFile, requestJson, startTestServer, waitUntil, type TestServer } from './helpers/test-server.js';

const INVOICE = corpusFile('pdf/invoice/i2d-sammy-maystone.pdf');
const LETTER = corpusFile('pdf/letter/unst-to-whom-letter.pdf');
const CORRUPT = corpusFile('broken/pdf/gcp-f1120s-k1-corrupt.pdf');

function upload(file: string): FormData {
  const body = new FormData();
  body.append('file', new Blob([fs.readFileSync(file)]), path.basename(file));
  return body;
}

const ZERO = { PENDING: 0, PROCESSING: 0, PROCESSED: 0, FAILED: 0, CANCELLED: 0 };

for (const dialect of DIALECTS) {
  describe(`batches on ${dialect}`, () => {
    // No workers: runs stay PENDING until the test says otherwise, so cancelling has something to cancel.
    let idle: TestServer;
    let working: TestServer;
    before(async () => {
      idle = await startTestServer(dialect, {}, { workers: 0 });
      working = await startTestServer(dialect);
    });
    after(async () => {
      await idle?.close();
      await working?.close();
    });

    async function createBatch(server: TestServer, files: string[]) {
      const classifier = await requestJson(`${server.url}/v1/classifiers`, {
        json: { classes: [{ name: 'invoice' }, { name: 'letter' }] },
      });
      const ids = [];
      for (const file of files) ids.push((await requestJson(`${server.url}/v1/files`, { form: upload(file) })).body.id);
      const batch = await requestJson(`${server.url}/v1/classifiers/${classifier.body.id}/batches`, {
        json: { files: ids.map((id) => ({ id })) },
      });
      assert.equal(batch.status, 202, JSON.stringify(batch.body));
      return { batch: batch.body, classifierId: classifier.body.id as string };
    }

    it('counts a finished batch by run status, failures included', async () => {
      const { batch } = await createBatch(working, [INVOICE, LETTER, CORRUPT]);
      assert.deepEqual(batch.counts, { ...ZERO, PENDING: 3 });
      const done = await waitUntil(
        () => requestJson(`${working.url}/v1/batches/${batch.id}`),
        (answer) => answer.body.status === 'processed',
      );
      assert.deepEqual(done.body.counts, { ...ZERO, PROCESSED: 2, FAILED: 1 });
      const failed = done.body.files.find((file: { status: string }) => file.status === 'FAILED');
      assert.equal(failed.failure_code, 'unreadable_document');
      assert.equal(failed.failure_reason, 'FAILED_TO_PROCESS_FILE');
    });

    it('lists batches newest first with their counts, by classifier and page by page', async () => {
      const first = await createBatch(idle, [INVOICE]);
      const second = await createBatch(idle, [INVOICE, LETTER]);
      const all = await requestJson(`${idle.url}/v1/batches?limit=1`);
      assert.equal(all.status, 200);
      assert.equal(all.body.object, 'list');
      assert.equal(all.body.data[0].id, second.batch.id);
      assert.deepEqual(all.body.data[0].counts, { ...ZERO, PENDING: 2 });
      assert.equal(all.body.data[0].files, undefined, 'the list leaves the per-file rows to GET /v1/batches/{id}');
      assert.equal(all.body.has_more, true);
      const next = await requestJson(`${idle.url}/v1/batches?limit=1&cursor=${all.body.next_cursor}`);
      assert.equal(next.body.data[0].id, first.batch.id);
      const ofFirst = await requestJson(`${idle.url}/v1/batches?classifier_id=${first.classifierId}`);
      assert.deepEqual(
        ofFirst.body.data.map((batch: { id: string }) => batch.id),
        [first.batch.id],
      );
      const bad = await requestJson(`${idle.url}/v1/batches?limit=1000`);
      assert.equal(bad.status, 400);
    });

    it('cancels the runs of a batch that have not started, once', async () => {
      const { batch } = await createBatch(idle, [INVOICE, LETTER]);
      const cancelled = await requestJson(`${idle.url}/v1/batches/${batch.id}/cancel`, { method: 'POST' });
      assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
      assert.equal(cancelled.body.status, 'cancelled');
      assert.ok(!Number.isNaN(Date.parse(cancelled.body.cancelled_at)));
      assert.deepEqual(cancelled.body.counts, { ...ZERO, CANCELLED: 2 });
      for (const file of cancelled.body.files) {
        const run = await requestJson(`${idle.url}/v1/classify_runs/${file.run_id}`);
        assert.equal(run.body.status, 'CANCELLED');
        assert.equal(run.body.failure_reason, 'ABORTED');
      }
      const again = await requestJson(`${idle.url}/v1/batches/${batch.id}/cancel`, { method: 'POST' });
      assert.equal(again.status, 200);
      assert.equal(again.body.cancelled_at, cancelled.body.cancelled_at);
      const missing = await requestJson(`${idle.url}/v1/batches/batch_missing/cancel`, { method: 'POST' });
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error, 'not_found');
    });

    it('keeps the results of a batch that finished before it was cancelled', async () => {
      const { batch } = await createBatch(working, [INVOICE]);
      await waitUntil(
        () => requestJson(`${working.url}/v1/batches/${batch.id}`),
        (answer) => answer.body.status === 'processed',
      );
      const cancelled = await requestJson(`${working.url}/v1/batches/${batch.id}/cancel`, { method: 'POST' });
      assert.equal(cancelled.body.status, 'cancelled');
      assert.deepEqual(cancelled.body.counts, { ...ZERO, PROCESSED: 1 });
      assert.equal(typeof cancelled.body.files[0].class, 'string');
    });
  });
}
