/**
 * Classification over real HTTP on both dialects, with real corpus files: saved classifiers and
 * versions, DocumentPro-style classify, sync and async runs, listing, review, redo, examples,
 * batches, and the documented errors for bad requests.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from './helpers/test-database.js';
import { corpusFile, requestJson, startTestServer, waitUntil, type TestServer } from './helpers/test-server.js';

const STATEMENT = corpusFile('pdf/bank_statement/cs-bofa-sample.pdf');
const INVOICE = corpusFile('pdf/invoice/i2d-sammy-maystone.pdf');
const LETTER = corpusFile('pdf/letter/unst-to-whom-letter.pdf');
const ENCRYPTED = corpusFile('broken/pdf/unst-password.pdf');

const CLASSES = [
  {
    name: 'invoice',
    description: 'A bill from a seller asking a customer to pay for goods or services delivered',
    keywords: ['invoice', 'total due'],
  },
  { name: 'bank_statement', description: 'A periodic statement of a bank or card account with balances and transactions' },
  { name: 'letter', description: 'Correspondence addressed to a person or organisation, with salutation and signature' },
];

function form(fields: Record<string, string>, files: string[] = []): FormData {
  const body = new FormData();
  for (const file of files) body.append('file', new Blob([fs.readFileSync(file)]), path.basename(file));
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  return body;
}

function sumOf(scores: Record<string, number>): number {
  return Object.values(scores).reduce((sum, value) => sum + value, 0);
}

for (const dialect of DIALECTS) {
  describe(`classification API on ${dialect}`, () => {
    let server: TestServer;
    let statementId: string;
    let invoiceId: string;
    let classifierId: string;
    const api = (route: string) => `${server.url}${route}`;
    const finished = (runId: string) =>
      waitUntil(
        () => requestJson(api(`/v1/classify_runs/${runId}`)),
        (answer) => ['PROCESSED', 'FAILED', 'CANCELLED'].includes(answer.body.status),
      );

    before(async () => {
      server = await startTestServer(dialect);
      statementId = (await requestJson(api('/v1/files'), { form: form({}, [STATEMENT]) })).body.id;
      invoiceId = (await requestJson(api('/v1/files'), { form: form({}, [INVOICE]) })).body.id;
    });
    after(async () => {
      await server.close();
    });

    it('keeps every version of a classifier', async () => {
      const created = await requestJson(api('/v1/classifiers'), { json: { name: 'Inbox', classes: CLASSES.slice(0, 2) } });
      assert.equal(created.status, 201);
      assert.match(created.body.id, /^cl_/);
      assert.equal(created.body.version, 1);
      classifierId = created.body.id;
      const changed = await requestJson(api(`/v1/classifiers/${classifierId}`), {
        method: 'PATCH',
        json: { classes: CLASSES, settings: { threshold: 0.2 } },
      });
      assert.equal(changed.status, 200);
      assert.equal(changed.body.version, 2);
      assert.equal(changed.body.name, 'Inbox');
      const versions = await requestJson(api(`/v1/classifiers/${classifierId}/versions`));
      assert.deepEqual(
        versions.body.data.map((v: { version: number }) => v.version),
        [2, 1],
      );
      assert.equal(versions.body.data[1].classes.length, 2);
      const list = await requestJson(api('/v1/classifiers'));
      assert.ok(list.body.data.some((c: { id: string }) => c.id === classifierId));
    });

    it("classifies an uploaded file with a saved classifier in DocumentPro's shape", async () => {
      const answer = await requestJson(api(`/v1/classifiers/${classifierId}/classify`), { json: { document_id: statementId } });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.match(answer.body.request_id, /^clr_/);
      assert.equal(answer.body.document_id, statementId);
      assert.equal(answer.body.classifier_id, classifierId);
      assert.equal(answer.body.request_status, 'completed');
      // A bank statement with "account summary", "deposits", "withdrawals": any other label is a regression.
      assert.equal(answer.body.classification, 'bank_statement');
      assert.ok(answer.body.confidence_scores.bank_statement > 0.5);
      assert.ok(Math.abs(sumOf(answer.body.confidence_scores) - 1) < 0.01);
      assert.equal(answer.body.num_pages, 2);
      assert.equal(answer.body.credits_used, 2);
      assert.equal(typeof answer.body.duration, 'number');
      const firstPage = await requestJson(api(`/v1/classifiers/${classifierId}/classify`), {
        json: { document_id: statementId, page_range: '1' },
      });
      assert.equal(firstPage.body.num_pages, 1);
    });

    it('runs sync with an inline config and async with a classifier version, echoing metadata', async () => {
      const sync = await requestJson(api('/v1/classify'), {
        json: {
          config: { classes: CLASSES, settings: { mode: 'page' } },
          file: { id: invoiceId },
          metadata: { customer: 'acme', usage_tags: ['team-a', 'prod!'] },
        },
      });
      assert.equal(sync.status, 200, JSON.stringify(sync.body));
      assert.equal(sync.body.object, 'classify_run');
      assert.equal(sync.body.status, 'PROCESSED');
      assert.equal(sync.body.classifier, null);
      assert.equal(sync.body.output.pages.length, 1);
      assert.ok(Array.isArray(sync.body.output.segments));
      assert.deepEqual(sync.body.metadata, { customer: 'acme', usage_tags: ['team-a', 'prod!'] });
      assert.deepEqual(sync.body.usage, { pages: 1, credits: 1, llm_tokens: null });
      assert.ok(!Number.isNaN(Date.parse(sync.body.created_at)));

      const started = await requestJson(api('/v1/classify_runs'), {
        json: { classifier: { id: classifierId, version: 1 }, file: { id: statementId }, metadata: { usage_tags: ['batch-7'] } },
      });
      assert.equal(started.status, 202);
      assert.ok(['PENDING', 'PROCESSING', 'PROCESSED'].includes(started.body.status));
      const done = await finished(started.body.id);
      assert.equal(done.body.status, 'PROCESSED');
      // A run of a saved classifier names it and its version; the definition comes back only when asked for.
      assert.deepEqual(done.body.classifier, { id: classifierId, version: 1 });
      assert.equal(done.body.version, 1);
      assert.equal(done.body.config, undefined);
      assert.equal(sync.body.config.classes.length, CLASSES.length, 'an inline run keeps its config: nothing else holds it');
      const expanded = await requestJson(api(`/v1/classify_runs/${started.body.id}?expand=classifier`));
      assert.equal(expanded.body.config.classes.length, 2);
      const listed = await requestJson(api(`/v1/classify_runs?classifier_id=${classifierId}&expand=classifier&limit=1`));
      assert.equal(listed.body.data[0].config.classes.length, 2);
      const refused = await requestJson(api(`/v1/classify_runs/${started.body.id}?expand=everything`));
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error, 'invalid_request');

      const byTag = await requestJson(api('/v1/classify_runs?tag=prod'));
      assert.deepEqual(
        byTag.body.data.map((run: { id: string }) => run.id),
        [sync.body.id],
        'tags are cleaned to letters, digits, - and _',
      );
      const byClassifier = await requestJson(api(`/v1/classify_runs?classifier_id=${classifierId}&status=PROCESSED`));
      assert.ok(byClassifier.body.data.length >= 3);
      assert.ok(byClassifier.body.data.every((run: { classifier: { id: string } }) => run.classifier.id === classifierId));
      const firstPage = await requestJson(api('/v1/classify_runs?limit=2'));
      assert.equal(firstPage.body.data.length, 2);
      assert.equal(firstPage.body.has_more, true);
      const secondPage = await requestJson(api(`/v1/classify_runs?limit=2&cursor=${firstPage.body.next_cursor}`));
      const ids = [...firstPage.body.data, ...secondPage.body.data].map((run: { id: string }) => run.id);
      assert.equal(new Set(ids).size, ids.length);
      const label = done.body.output.classification.class;
      const byClass = await requestJson(api(`/v1/classify_runs?class=${label}&created_after=2000-01-01T00:00:00Z`));
      assert.ok(byClass.body.data.some((run: { id: string }) => run.id === done.body.id));
    });

    it('accepts multipart runs with the file in part "file" and JSON fields', async () => {
      const answer = await requestJson(api('/v1/classify'), {
        form: form({ config: JSON.stringify({ classes: CLASSES }), metadata: JSON.stringify({ source: 'mailroom' }) }, [LETTER]),
      });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.status, 'PROCESSED');
      assert.deepEqual(answer.body.metadata, { source: 'mailroom' });
      const jobStyle = await requestJson(api('/v1/classify_runs'), {
        form: form({ categories: JSON.stringify([{ name: 'invoice' }, { name: 'letter' }]) }, [LETTER]),
      });
      assert.equal(jobStyle.status, 202, JSON.stringify(jobStyle.body));
      assert.equal((await finished(jobStyle.body.id)).body.status, 'PROCESSED');
    });

    it('keeps a review beside the initial output, learns from it, and carries it into a redo', async () => {
      const run = await requestJson(api('/v1/classify'), { json: { classifier: { id: classifierId }, file: { id: statementId } } });
      const initialClass = run.body.output.classification.class;
      const reviewed = await requestJson(api(`/v1/classify_runs/${run.body.id}`), {
        method: 'PATCH',
        json: { reviewed_output: { class: 'letter' } },
      });
      assert.equal(reviewed.status, 200, JSON.stringify(reviewed.body));
      assert.equal(reviewed.body.reviewed, true);
      assert.equal(reviewed.body.output.classification.class, 'letter');
      assert.equal(reviewed.body.initial_output.classification.class, initialClass);
      assert.ok(reviewed.body.output.pages.every((page: { class: string }) => page.class === 'letter'));
      const examples = await requestJson(api(`/v1/classifiers/${classifierId}/examples`));
      assert.ok(
        examples.body.data.some(
          (example: { run_id: string; class: string; source: string }) =>
            example.run_id === run.body.id && example.class === 'letter' && example.source === 'review',
        ),
      );
      // The correction sticks: the same document sent again comes back reviewed, and the engine has learned it too.
      const again = await requestJson(api('/v1/classify'), { json: { classifier: { id: classifierId }, file: { id: statementId } } });
      assert.equal(again.body.output.classification.class, 'letter', JSON.stringify(again.body.output.classification));
      assert.equal(again.body.reviewed, true);
      assert.equal(again.body.review_status, 'reviewed');
      assert.equal(again.body.reviewed_from, run.body.id);
      assert.equal(again.body.initial_output.classification.class, 'letter');
      assert.match(again.body.initial_output.classification.reason, /Repeats a reviewed letter/);
      // The newest verdict on a document is the one taught; "fits no class" takes a verdict back.
      await requestJson(api(`/v1/classify_runs/${again.body.id}`), { method: 'PATCH', json: { reviewed_output: { class: 'invoice' } } });
      const afterSecond = (await requestJson(api(`/v1/classifiers/${classifierId}/examples`))).body.data as {
        run_id: string;
        class: string;
      }[];
      assert.ok(afterSecond.some((example) => example.run_id === again.body.id && example.class === 'invoice'));
      assert.ok(!afterSecond.some((example) => example.run_id === run.body.id), 'the older review of the same file is replaced');
      await requestJson(api(`/v1/classify_runs/${again.body.id}`), { method: 'PATCH', json: { reviewed_output: { class: 'unknown' } } });
      const afterUnknown = (await requestJson(api(`/v1/classifiers/${classifierId}/examples`))).body.data as { run_id: string }[];
      assert.ok(!afterUnknown.some((example) => example.run_id === again.body.id));

      const pageReview = await requestJson(api(`/v1/classify_runs/${run.body.id}`), {
        method: 'PATCH',
        json: { reviewed_output: { class: 'bank_statement', pages: [{ page: 1, class: 'letter' }] } },
      });
      assert.equal(pageReview.body.output.pages[1].class, 'letter');
      assert.equal(pageReview.body.output.segments.length, 2);

      const redo = await requestJson(api(`/v1/classify_runs/${run.body.id}/redo`), { method: 'POST' });
      assert.equal(redo.status, 202);
      assert.equal(redo.body.redo_of, run.body.id);
      const redone = await finished(redo.body.id);
      assert.equal(redone.body.status, 'PROCESSED');
      assert.equal(redone.body.version, 2);
      assert.equal(redone.body.reviewed, true);
      assert.equal(redone.body.output.classification.class, 'bank_statement');
      assert.ok(redone.body.initial_output.classification);
      const original = await requestJson(api(`/v1/classify_runs/${run.body.id}`));
      assert.equal(original.body.reviewed, true);
      const filtered = await requestJson(api(`/v1/classify_runs?class=bank_statement&classifier_id=${classifierId}`));
      assert.ok(
        filtered.body.data.some((item: { id: string }) => item.id === run.body.id),
        'the list filters by the final (reviewed) class',
      );

      // A review made while a redo of the run is still queued reaches the redo too.
      await server.app.worker!.stop();
      const queued = await requestJson(api(`/v1/classify_runs/${run.body.id}/redo`), { method: 'POST' });
      assert.equal(queued.body.status, 'PENDING');
      const late = await requestJson(api(`/v1/classify_runs/${run.body.id}`), {
        method: 'PATCH',
        json: { reviewed_output: { class: 'letter' } },
      });
      assert.equal(late.status, 200);
      server.app.worker!.start();
      const lateRedo = await finished(queued.body.id);
      assert.equal(lateRedo.body.reviewed, true);
      assert.equal(lateRedo.body.output.classification.class, 'letter');
      const byClass = await requestJson(api(`/v1/classify_runs?class=letter&classifier_id=${classifierId}`));
      assert.ok(byClass.body.data.some((item: { id: string }) => item.id === queued.body.id));
    });

    it('adds uploaded examples for known classes only', async () => {
      const added = await requestJson(api(`/v1/classifiers/${classifierId}/examples`), { form: form({ class: 'invoice' }, [INVOICE]) });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      assert.equal(added.body.class, 'invoice');
      assert.equal(added.body.num_pages, 1);
      const wrong = await requestJson(api(`/v1/classifiers/${classifierId}/examples`), {
        json: { class: 'recipe', file: { id: invoiceId } },
      });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error, 'invalid_request');
      const removed = await requestJson(api(`/v1/classifiers/${classifierId}/examples/${added.body.id}`), { method: 'DELETE' });
      assert.equal(removed.status, 200);
    });

    it('classifies a batch and reports each file', async () => {
      const multipart = await requestJson(api(`/v1/classifiers/${classifierId}/batches`), {
        form: form({ metadata: JSON.stringify({ lot: 3 }) }, [INVOICE, LETTER]),
      });
      assert.equal(multipart.status, 202, JSON.stringify(multipart.body));
      assert.match(multipart.body.id, /^batch_/);
      assert.equal(multipart.body.file_count, 2);
      const done = await waitUntil(
        () => requestJson(api(`/v1/batches/${multipart.body.id}`)),
        (answer) => answer.body.status === 'processed',
      );
      assert.equal(done.body.files.length, 2);
      for (const file of done.body.files) {
        assert.equal(file.status, 'PROCESSED');
        assert.equal(typeof file.class, 'string');
        assert.equal(typeof file.confidence, 'number');
        assert.match(file.run_id, /^clr_/);
      }
      assert.deepEqual(
        done.body.files.map((file: { file_name: string }) => file.file_name),
        ['i2d-sammy-maystone.pdf', 'unst-to-whom-letter.pdf'],
      );
      // A redo joins the batch in place of the run it redoes.
      const redo = await requestJson(api(`/v1/classify_runs/${done.body.files[0].run_id}/redo`), { method: 'POST' });
      assert.equal(redo.status, 202);
      assert.equal(redo.body.batch_id, multipart.body.id);
      await finished(redo.body.id);
      const redone = await requestJson(api(`/v1/batches/${multipart.body.id}`));
      assert.deepEqual(
        redone.body.files.map((file: { run_id: string }) => file.run_id),
        [redo.body.id, done.body.files[1].run_id],
      );
      assert.equal(redone.body.file_count, 2);
      // A request the runs would refuse leaves no batch behind and starts no run.
      const before = (await requestJson(api(`/v1/classify_runs?classifier_id=${classifierId}&limit=100`))).body.data.length;
      const refusals: Array<Record<string, string>> = [{ page_range: 'abc' }, { metadata: JSON.stringify({ usage_tags: 'not-a-list' }) }];
      for (const fields of refusals) {
        const refused = await requestJson(api(`/v1/classifiers/${classifierId}/batches`), { form: form(fields, [INVOICE]) });
        assert.equal(refused.status, 400, JSON.stringify(refused.body));
      }
      assert.equal((await requestJson(api(`/v1/classify_runs?classifier_id=${classifierId}&limit=100`))).body.data.length, before);
      const byIds = await requestJson(api(`/v1/classifiers/${classifierId}/batches`), {
        json: { files: [{ id: statementId }, { id: invoiceId }] },
      });
      assert.equal(byIds.status, 202);
      const runs = await requestJson(api(`/v1/classify_runs?batch_id=${byIds.body.id}`));
      assert.equal(runs.body.data.length, 2);
      assert.deepEqual(byIds.body.rejected_files, []);
    });

    it('answers a batch per file: bad files are rejected, the others still run', async () => {
      const mixed = form({});
      mixed.append('file', new Blob(['plain text, not a document']), 'notes.txt');
      mixed.append('file', new Blob([fs.readFileSync(INVOICE)]), 'invoice.pdf');
      const answer = await requestJson(api(`/v1/classifiers/${classifierId}/batches`), { form: mixed });
      assert.equal(answer.status, 202, JSON.stringify(answer.body));
      assert.equal(answer.body.file_count, 1);
      assert.deepEqual(
        answer.body.rejected_files.map((item: { file_name: string; error: string }) => [item.file_name, item.error]),
        [['notes.txt', 'unsupported_file_type']],
      );
      const byIds = await requestJson(api(`/v1/classifiers/${classifierId}/batches`), {
        json: { files: [{ id: 'file_missing' }, { id: invoiceId }] },
      });
      assert.equal(byIds.status, 202);
      assert.equal(byIds.body.file_count, 1);
      assert.equal(byIds.body.rejected_files[0].error, 'not_found');
      const allBad = await requestJson(api(`/v1/classifiers/${classifierId}/batches`), { json: { files: [{ id: 'file_missing' }] } });
      assert.equal(allBad.status, 404);
    });

    it('fails runs of unreadable files with a failure reason', async () => {
      const upload = await requestJson(api('/v1/files'), { form: form({}, [ENCRYPTED]) });
      assert.equal(upload.status, 201);
      const run = await requestJson(api('/v1/classify'), { json: { classifier: { id: classifierId }, file: { id: upload.body.id } } });
      assert.equal(run.status, 200);
      assert.equal(run.body.status, 'FAILED');
      assert.equal(run.body.failure_reason, 'FAILED_TO_PROCESS_FILE');
      assert.ok(run.body.failure_message.length > 0);
      assert.equal(run.body.output, null);
      // Redoing a run whose file was deleted says so.
      assert.equal((await requestJson(api(`/v1/files/${upload.body.id}`), { method: 'DELETE' })).status, 200);
      const redo = await requestJson(api(`/v1/classify_runs/${run.body.id}/redo`), { method: 'POST' });
      assert.equal(redo.status, 404);
      assert.match(redo.body.message, /was deleted/);
    });

    it('answers bad requests with the documented codes', async () => {
      const cases: Array<[string, unknown, number, string]> = [
        ['/v1/classify', { config: { classes: CLASSES }, file: { id: 5 } }, 400, 'invalid_request'],
        ['/v1/classify', { config: { classes: 'invoice' }, file: { id: invoiceId } }, 400, 'invalid_request'],
        ['/v1/classify', { file: { id: invoiceId } }, 400, 'invalid_request'],
        [
          '/v1/classify',
          { classifier: { id: classifierId }, config: { classes: CLASSES }, file: { id: invoiceId } },
          400,
          'invalid_request',
        ],
        ['/v1/classify', { classifier: { id: 'cl_missing' }, file: { id: invoiceId } }, 404, 'not_found'],
        ['/v1/classify', { classifier: { id: classifierId, version: 99 }, file: { id: invoiceId } }, 404, 'not_found'],
        ['/v1/classify_runs', { classifier: { id: classifierId }, file: { id: 'file_missing' } }, 404, 'not_found'],
        [
          '/v1/classify_runs',
          { classifier: { id: classifierId }, file: { id: invoiceId }, metadata: { note: 'x'.repeat(11_000) } },
          400,
          'invalid_request',
        ],
        [
          '/v1/classify_runs',
          { classifier: { id: classifierId }, file: { id: invoiceId }, page_range: 'first' },
          400,
          'invalid_page_range',
        ],
        [
          '/v1/classify_runs',
          { config: { classes: [{ name: 'a' }, { name: 'A' }] }, file: { id: invoiceId } },
          422,
          'invalid_configuration',
        ],
        ['/v1/classifiers', { classes: [{ name: 'unknown' }] }, 422, 'invalid_configuration'],
        ['/v1/classifiers', { classes: [{ name: 'invoice', colour: 'red' }] }, 400, 'invalid_request'],
        [`/v1/classifiers/${classifierId}/classify`, { document_id: 'file_missing' }, 404, 'not_found'],
        [
          `/v1/classifiers/${classifierId}/batches`,
          { files: Array.from({ length: 31 }, () => ({ id: invoiceId })) },
          413,
          'payload_too_large',
        ],
      ];
      for (const [route, body, status, code] of cases) {
        const answer = await requestJson(api(route), { json: body });
        assert.equal(answer.status, status, `${route} ${JSON.stringify(body).slice(0, 120)} → ${JSON.stringify(answer.body)}`);
        assert.deepEqual([answer.body.success, answer.body.error], [false, code]);
        assert.equal(typeof answer.body.message, 'string');
      }
      // Validation messages name the field and what it may be.
      const named: Array<[string, unknown, RegExp]> = [
        ['/v1/classifiers', { name: 'x', classes: [{ name: 'invoice' }], colour: 'red' }, /unknown field "colour"/],
        [
          '/v1/classifiers',
          { name: 'x', classes: [{ name: 'invoice' }], settings: { mode: 'pages' } },
          /settings\.mode must be one of "document", "page", "split"/,
        ],
        ['/v1/classify', { classifier: { id: classifierId }, file: { name: 'x' } }, /file needs one of "id", "url"/],
      ];
      for (const [route, body, message] of named) {
        const answer = await requestJson(api(route), { json: body });
        assert.equal(answer.body.error, 'invalid_request');
        assert.match(answer.body.message, message);
      }
      const unsupported = await requestJson(api('/v1/classify_runs'), {
        form: (() => {
          const body = form({ config: JSON.stringify({ classes: CLASSES }) });
          body.append('file', new Blob(['%!PS-Adobe-3.0 not a pdf']), 'doc.pdf');
          return body;
        })(),
      });
      assert.equal(unsupported.status, 415);
      assert.equal(unsupported.body.error, 'unsupported_file_type');
      const tooMany = form(
        {},
        Array.from({ length: 31 }, () => INVOICE),
      );
      const batch = await requestJson(api(`/v1/classifiers/${classifierId}/batches`), { form: tooMany });
      assert.equal(batch.status, 413);
      assert.equal(batch.body.error, 'payload_too_large');
      assert.equal((await requestJson(api('/v1/classify_runs/clr_missing'))).status, 404);
      assert.equal((await requestJson(api('/v1/batches/batch_missing'))).body.error, 'not_found');
      assert.equal((await requestJson(api('/v1/nowhere'))).body.error, 'not_found');
      const cancelDone = await requestJson(
        api(`/v1/classify_runs/${(await requestJson(api('/v1/classify_runs?limit=1'))).body.data[0].id}/cancel`),
        { method: 'POST' },
      );
      assert.equal(cancelDone.status, 409);
      const text = await fetch(api('/v1/classify'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
      assert.equal(text.status, 415);
      assert.equal((await text.json()).error, 'unsupported_media_type');
    });

    it('deletes classifiers but keeps their runs readable', async () => {
      const created = await requestJson(api('/v1/classifiers'), { json: { classes: CLASSES } });
      const run = await requestJson(api('/v1/classify'), { json: { classifier: { id: created.body.id }, file: { id: invoiceId } } });
      assert.equal((await requestJson(api(`/v1/classifiers/${created.body.id}`), { method: 'DELETE' })).status, 200);
      assert.equal((await requestJson(api(`/v1/classifiers/${created.body.id}`))).status, 404);
      const kept = await requestJson(api(`/v1/classify_runs/${run.body.id}`));
      assert.equal(kept.body.status, 'PROCESSED');
      assert.equal(kept.body.version, 1);
    });

    it('publishes an OpenAPI document and a health check', async () => {
      const spec = await requestJson(api('/openapi.json'));
      assert.equal(spec.status, 200);
      for (const route of ['/v1/files', '/v1/classify', '/v1/classify_runs/{id}', '/v1/classifiers/{id}/batches', '/v1/batches/{id}'])
        assert.ok(spec.body.paths[route], route);
      assert.deepEqual((await requestJson(api('/healthz'))).body, { status: 'ok', database: dialect });
    });
  });
}
