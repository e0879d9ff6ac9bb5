/**
 * What the review console needs from the API, over real HTTP on both dialects with corpus files:
 * review status on runs and as a filter, queue counts, file-name search, the needs_review
 * webhook event, segment edits in reviews, page thumbnails and evaluation of reviewed runs.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { DIALECTS } from './helpers/test-database.js';
import { corpusFile } from './helpers/test-server.js';
import { api, startAuthedServer, startReceiver, waitUntil, type AuthedServer, type Receiver } from './integration-support.js';

const INVOICE = corpusFile('pdf/invoice/i2d-sammy-maystone.pdf');
const LETTER = corpusFile('pdf/letter/unst-to-whom-letter.pdf');
/** Read as a letter at about 0.7: below the classifier's review_below of 0.8. */
const MEMO = corpusFile('pdf/memo/usaf-sample-memorandum.pdf');
const ENCRYPTED = corpusFile('broken/pdf/unst-password.pdf');
const BUNDLE = corpusFile('bundles/dev-loan-packet.pdf');

const CLASSES = [
  { name: 'invoice', description: 'A bill from a seller asking a customer to pay for goods or services delivered' },
  { name: 'letter', description: 'Correspondence addressed to a person or organisation, with salutation and signature' },
  { name: 'bank_statement', description: 'A periodic statement of a bank account with balances and transactions' },
  { name: 'pay_stub', description: 'An earnings statement from an employer for one pay period' },
  { name: 'tax_form', description: 'A tax form such as a W-2 or 1099' },
];

function upload(file: string, name = path.basename(file)): FormData {
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(file)]), name);
  return form;
}

for (const dialect of DIALECTS)
  describe(`review queue API (${dialect})`, () => {
    let server: AuthedServer;
    let receiver: Receiver;
    let key: string;
    let classifierId: string;
    let splitterId: string;
    const call = (method: string, route: string, init: { json?: unknown; form?: FormData } = {}) => api(server, key, method, route, init);
    const finished = (runId: string) =>
      waitUntil(
        () => call('GET', `/v1/classify_runs/${runId}`),
        (answer) => ['PROCESSED', 'FAILED', 'CANCELLED'].includes(answer.body.status),
      );
    const runOf = async (classifier: string, file: string, name?: string) => {
      const uploaded = await call('POST', '/v1/files', { form: upload(file, name) });
      const started = await call('POST', '/v1/classify_runs', { json: { classifier: { id: classifier }, file: { id: uploaded.body.id } } });
      assert.equal(started.status, 202, JSON.stringify(started.body));
      return (await finished(started.body.id)).body;
    };

    before(async () => {
      server = await startAuthedServer(dialect);
      receiver = await startReceiver();
      key = server.adminKey;
      const hook = await call('POST', '/v1/webhooks', { json: { url: `${receiver.url}/queue`, events: ['classify_run.needs_review'] } });
      assert.equal(hook.status, 201, JSON.stringify(hook.body));
      const created = await call('POST', '/v1/classifiers', { json: { name: 'Queue', classes: CLASSES, settings: { review_below: 0.8 } } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.settings.review_below, 0.8);
      classifierId = created.body.id;
      const splitter = await call('POST', '/v1/classifiers', { json: { name: 'Splitter', classes: CLASSES, settings: { mode: 'split' } } });
      splitterId = splitter.body.id;
    });
    after(async () => {
      await receiver.close();
      await server.close();
    });

    it('refuses a review_below outside 0..1', async () => {
      const refused = await call('POST', '/v1/classifiers', { json: { classes: CLASSES, settings: { review_below: 1.5 } } });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error, 'invalid_request');
    });

    it('puts unsure and failed runs in the queue, announces them, and takes them out once reviewed', async () => {
      const unsure = await runOf(classifierId, MEMO, 'ACME-Memo-0042.pdf');
      assert.equal(unsure.status, 'PROCESSED');
      assert.ok(unsure.output.classification.confidence < 0.8, JSON.stringify(unsure.output.classification));
      assert.equal(unsure.review_status, 'needs_review');
      assert.equal(unsure.file_name, 'ACME-Memo-0042.pdf');
      const sure = await runOf(classifierId, INVOICE);
      assert.ok(sure.output.classification.confidence >= 0.8, JSON.stringify(sure.output.classification));
      assert.equal(sure.review_status, 'auto_accepted');
      const failed = await runOf(classifierId, ENCRYPTED);
      assert.equal(failed.status, 'FAILED');
      assert.equal(failed.review_status, 'needs_review');
      assert.ok(failed.failure_message);

      const announced = await receiver.waitFor((request) => request.path === '/queue' && request.json?.data?.run?.id === unsure.id);
      assert.equal(announced.json.type, 'classify_run.needs_review');
      assert.equal(announced.json.data.run.review_status, 'needs_review');

      const queue = await call('GET', `/v1/classify_runs?review_status=needs_review&classifier_id=${classifierId}`);
      assert.deepEqual(new Set(queue.body.data.map((run: { id: string }) => run.id)), new Set([unsure.id, failed.id]));
      const search = await call('GET', `/v1/classify_runs?review_status=needs_review&q=${encodeURIComponent('memo-00')}`);
      assert.deepEqual(
        search.body.data.map((run: { id: string }) => run.id),
        [unsure.id],
      );
      const wildcard = await call('GET', `/v1/classify_runs?q=${encodeURIComponent('%')}`);
      assert.equal(wildcard.body.data.length, 0, 'a % in the search is a letter, not a wildcard');

      const before = await call('GET', `/v1/classify_runs/counts?classifier_id=${classifierId}&review_status=needs_review`);
      assert.equal(before.status, 200, JSON.stringify(before.body));
      assert.equal(before.body.total, 2);
      assert.equal(before.body.by_review_status.needs_review, 2);
      assert.equal(before.body.by_status.FAILED, 1);

      const reviewed = await call('PATCH', `/v1/classify_runs/${unsure.id}`, { json: { reviewed_output: { class: 'letter' } } });
      assert.equal(reviewed.status, 200, JSON.stringify(reviewed.body));
      assert.equal(reviewed.body.review_status, 'reviewed');
      const afterReview = await call('GET', `/v1/classify_runs/counts?classifier_id=${classifierId}&review_status=needs_review`);
      assert.equal(afterReview.body.total, 1);
      assert.equal(afterReview.body.by_review_status.reviewed, 1, 'each dimension is counted under the other filters only');
      assert.equal(afterReview.body.by_review_status.auto_accepted, 1);
      const reviewedList = await call('GET', `/v1/classify_runs?review_status=reviewed&classifier_id=${classifierId}`);
      assert.deepEqual(
        reviewedList.body.data.map((run: { id: string }) => run.id),
        [unsure.id],
      );
    });

    it('accepts confident runs when the classifier sets no review_below', async () => {
      const run = await runOf(splitterId, LETTER);
      assert.equal(run.status, 'PROCESSED');
      if (run.output.classification.class !== 'unknown') assert.equal(run.review_status, 'auto_accepted');
    });

    it('takes segments in a review: boundaries move and the pages follow their segment', async () => {
      const run = await runOf(splitterId, BUNDLE);
      assert.equal(run.status, 'PROCESSED', JSON.stringify(run.failure_message));
      const pages = run.output.pages.map((page: { page: number }) => page.page);
      const last = pages[pages.length - 1];
      const segments = [
        { first_page: 0, last_page: 2, class: 'bank_statement' },
        { first_page: 3, last_page: last, class: 'pay_stub' },
      ];
      const reviewed = await call('PATCH', `/v1/classify_runs/${run.id}`, {
        json: { reviewed_output: { class: 'bank_statement', segments, pages: [{ page: last, class: 'tax_form' }] } },
      });
      assert.equal(reviewed.status, 200, JSON.stringify(reviewed.body));
      assert.deepEqual(
        reviewed.body.output.segments.map((segment: { first_page: number; last_page: number; class: string }) => [
          segment.first_page,
          segment.last_page,
          segment.class,
        ]),
        [
          [0, 2, 'bank_statement'],
          [3, last, 'pay_stub'],
        ],
      );
      const labels = reviewed.body.output.pages.map((page: { class: string }) => page.class);
      assert.deepEqual(labels.slice(0, 3), ['bank_statement', 'bank_statement', 'bank_statement']);
      assert.equal(labels[3], 'pay_stub');
      assert.equal(labels[last], 'tax_form', 'a page named in `pages` keeps its own label');
      assert.deepEqual(reviewed.body.initial_output, run.initial_output);

      // The same bytes sent again come back with this review, boundaries included.
      const again = await runOf(splitterId, BUNDLE, 'loan-packet-again.pdf');
      assert.equal(again.review_status, 'reviewed');
      assert.equal(again.reviewed_from, run.id);
      assert.deepEqual(again.output.segments, reviewed.body.output.segments);

      const gap = await call('PATCH', `/v1/classify_runs/${run.id}`, {
        json: {
          reviewed_output: {
            class: 'pay_stub',
            segments: [
              { first_page: 0, last_page: 1, class: 'pay_stub' },
              { first_page: 3, last_page: last, class: 'pay_stub' },
            ],
          },
        },
      });
      assert.equal(gap.status, 400);
      assert.match(gap.body.message, /next page not yet in a segment is 2/);
      const short = await call('PATCH', `/v1/classify_runs/${run.id}`, {
        json: { reviewed_output: { class: 'pay_stub', segments: [{ first_page: 0, last_page: 1, class: 'pay_stub' }] } },
      });
      assert.equal(short.status, 400);
      assert.match(short.body.message, /every page must be in a segment/);
      const unknownClass = await call('PATCH', `/v1/classify_runs/${run.id}`, {
        json: { reviewed_output: { class: 'pay_stub', segments: [{ first_page: 0, last_page: last, class: 'receipt' }] } },
      });
      assert.equal(unknownClass.status, 400);
      assert.match(unknownClass.body.message, /"receipt" is not a class of this run/);
    });

    it('renders thumbnails no larger than asked', async () => {
      const uploaded = await call('POST', '/v1/files', { form: upload(INVOICE) });
      const response = await fetch(`${server.url}/v1/files/${uploaded.body.id}/pages/1?format=png&max_size=120`, {
        headers: { authorization: `Bearer ${key}` },
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'image/png');
      const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
      assert.ok(Math.max(meta.width ?? 0, meta.height ?? 0) <= 120, `${meta.width}x${meta.height}`);
      assert.ok(Math.max(meta.width ?? 0, meta.height ?? 0) >= 60);
      const alone = await call('GET', `/v1/files/${uploaded.body.id}/pages/1?max_size=120`);
      assert.equal(alone.status, 400);
      assert.match(alone.body.message, /format=png/);
      const tiny = await call('GET', `/v1/files/${uploaded.body.id}/pages/1?format=png&max_size=10`);
      assert.equal(tiny.status, 400);
    });

    it('evaluates the reviewed runs as they ran and re-runs them against a version', async () => {
      const letter = await runOf(classifierId, LETTER);
      await call('PATCH', `/v1/classify_runs/${letter.id}`, { json: { reviewed_output: { class: 'letter' } } });
      const evaluation = await call('GET', `/v1/classifiers/${classifierId}/evaluation`);
      assert.equal(evaluation.status, 200, JSON.stringify(evaluation.body));
      assert.equal(evaluation.body.runs, 2);
      assert.equal(evaluation.body.items.length, 2);
      const correct = evaluation.body.items.filter(
        (item: { predicted: string; reviewed_class: string }) => item.predicted === item.reviewed_class,
      );
      assert.equal(evaluation.body.accuracy, correct.length / 2);
      assert.equal(evaluation.body.reliability.length, 10);
      assert.ok(evaluation.body.per_class.letter);

      await call('PATCH', `/v1/classifiers/${classifierId}`, { json: { settings: { threshold: 0.3 } } });
      const started = await call('POST', `/v1/classifiers/${classifierId}/evaluations`, { json: { version: 1 } });
      assert.equal(started.status, 202, JSON.stringify(started.body));
      assert.equal(started.body.version, 1);
      assert.equal(started.body.total, 2);
      const done = await waitUntil(
        () => call('GET', `/v1/evaluations/${started.body.id}`),
        (answer) => answer.body.status === 'succeeded' || answer.body.status === 'failed',
      );
      assert.equal(done.body.status, 'succeeded', JSON.stringify(done.body));
      assert.equal(done.body.done, 2);
      assert.equal(done.body.report.items.length, 2);
      assert.ok(
        done.body.report.items.every((item: { version: number; predicted: string | null }) => item.version === 1 && item.predicted),
      );
      const listed = await call('GET', `/v1/classifiers/${classifierId}/evaluations`);
      assert.equal(listed.body.data[0].id, started.body.id);

      const noVersion = await call('POST', `/v1/classifiers/${classifierId}/evaluations`, { json: { version: 9 } });
      assert.equal(noVersion.status, 404);
      assert.match(noVersion.body.message, /no version 9/);
      // Another workspace sees none of it: no counts, no evaluation, no re-run.
      const stranger = await server.createKey({ name: 'elsewhere', role: 'write', workspace: 'other-team' });
      const strangerCounts = await api(server, stranger.key, 'GET', '/v1/classify_runs/counts');
      assert.equal(strangerCounts.body.total, 0);
      assert.equal((await api(server, stranger.key, 'GET', `/v1/classifiers/${classifierId}/evaluation`)).status, 404);
      assert.equal((await api(server, stranger.key, 'GET', `/v1/evaluations/${started.body.id}`)).status, 404);
      assert.equal((await api(server, stranger.key, 'GET', `/v1/classify_runs?q=memo`)).body.data.length, 0);

      const fresh = await call('POST', '/v1/classifiers', { json: { classes: CLASSES } });
      const empty = await call('POST', `/v1/classifiers/${fresh.body.id}/evaluations`, { json: {} });
      assert.equal(empty.status, 409);
      assert.match(empty.body.message, /no reviewed runs yet/);
    });
  });
