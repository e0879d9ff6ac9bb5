/**
 * Webhooks over real HTTP with a loopback receiver: signatures checked with the documented
 * recipe, retries after failures with a stable event id, redelivery, the delivery log, routing
 * on classify and on review, batch and failure events.
 */
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verifyWebhookSignature } from 'docsort/client';
import type { ClassifyRun } from '../src/core/api-types.js';
import { DIALECTS } from './helpers/test-database.js';
import { corpusFile } from './helpers/test-server.js';
import { api, startAuthedServer, startReceiver, waitUntil, type AuthedServer, type Receiver } from './integration-support.js';

const BANK_STATEMENT = corpusFile('pdf/bank_statement/cs-anz-homeloan.pdf');
const INVOICE = corpusFile('pdf/invoice/i2d-aws-invoice.pdf');
const LOCKED = corpusFile('broken/pdf/pdfplumber-password.pdf');
const SECRET = 'whsec_integration_test_secret';

/** The verification recipe from docs/integration.md, written out with node:crypto alone. */
function verifyAsDocumented(rawBody: string, header: string, secret: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=') as [string, string]));
  const expected = createHmac('sha256', secret).update(`${parts.t}.${rawBody}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  const fresh = Math.abs(Date.now() / 1000 - Number(parts.t)) < 300;
  return fresh && given.length === expected.length && timingSafeEqual(given, expected);
}

function uploadForm(file: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(file)]), path.basename(file));
  return form;
}

for (const dialect of DIALECTS)
  describe(`webhooks (${dialect})`, () => {
    let server: AuthedServer;
    let receiver: Receiver;
    let key: string;
    let retryHook: { id: string };
    let allHook: { id: string; secret: string };
    let classifierId: string;
    let runId: string;
    let bankFileId: string;

    const eventsFor = (hookPath: string, type: string, match: (data: { run: ClassifyRun }) => boolean = () => true) =>
      receiver.received.filter((request) => request.path === hookPath && request.json?.type === type && match(request.json.data));

    before(async () => {
      server = await startAuthedServer(dialect);
      receiver = await startReceiver();
      key = server.adminKey;

      const retry = await api(server, key, 'POST', '/v1/webhooks', {
        json: { url: `${receiver.url}/retry`, events: ['classify_run.processed'], secret: SECRET },
      });
      assert.equal(retry.status, 201, JSON.stringify(retry.body));
      retryHook = retry.body;
      receiver.failNext('/retry', 3);

      const all = await api(server, key, 'POST', '/v1/webhooks', {
        json: {
          url: `${receiver.url}/all`,
          events: [
            'classify_run.processed',
            'classify_run.failed',
            'classify_run.reviewed',
            'batch.processed',
            'file.classified',
            'file.routed',
          ],
        },
      });
      assert.equal(all.status, 201);
      assert.ok(all.body.secret.length >= 16, 'a secret is generated when none is given');
      allHook = all.body;

      const named = await api(server, key, 'POST', '/v1/webhooks', {
        json: { url: `${receiver.url}/invoices`, events: [], name: 'invoice-extraction' },
      });
      assert.equal(named.status, 201);

      const classifier = await api(server, key, 'POST', '/v1/classifiers', {
        json: {
          name: 'Routing test',
          classes: [
            {
              name: 'bank_statement',
              description: 'A periodic statement of a bank account with balances and transactions',
              route: `${receiver.url}/route-bank`,
            },
            { name: 'invoice', description: 'A bill from a seller asking a customer to pay', route: 'invoice-extraction' },
          ],
        },
      });
      assert.equal(classifier.status, 201, JSON.stringify(classifier.body));
      classifierId = classifier.body.id;

      const file = await api(server, key, 'POST', '/v1/files', { form: uploadForm(BANK_STATEMENT) });
      bankFileId = file.body.id;
      const run = await api(server, key, 'POST', '/v1/classify', {
        json: { classifier: { id: classifierId }, file: { id: bankFileId }, metadata: { customer: 'c-42' } },
      });
      assert.equal(run.status, 200, JSON.stringify(run.body));
      assert.equal(run.body.status, 'PROCESSED');
      assert.equal(run.body.output.classification.class, 'bank_statement');
      runId = run.body.id;
    });

    after(async () => {
      await server.close();
      await receiver.close();
    });

    it('keeps retrying a receiver that fails three times and delivers once it recovers, with one event id', async () => {
      const delivered = await receiver.waitFor((request) => request.path === '/retry' && request.answered === 200);
      const attempts = receiver.received.filter((request) => request.path === '/retry' && request.json?.data?.run?.id === runId);
      assert.deepEqual(
        attempts.map((request) => request.answered),
        [503, 503, 503, 200],
      );
      const eventIds = new Set(attempts.map((request) => request.headers['docsort-event-id']));
      assert.equal(eventIds.size, 1, 'every attempt carries the same event id');
      assert.equal(delivered.json.id, delivered.headers['docsort-event-id']);
      assert.equal(delivered.json.type, 'classify_run.processed');
      assert.equal(delivered.json.data.run.status, 'PROCESSED');
      assert.deepEqual(
        attempts.map((request) => request.headers['docsort-delivery-attempt']),
        ['1', '2', '3', '4'],
      );

      const log = await waitUntil(
        () => api(server, key, 'GET', `/v1/webhooks/${retryHook.id}/deliveries`),
        (response) => response.body.data[0]?.status === 'succeeded',
      );
      const [delivery] = log.body.data;
      assert.equal(delivery.event_id, delivered.json.id);
      assert.equal(delivery.attempts, 4);
      assert.deepEqual(
        delivery.attempt_log.map((attempt: { status_code: number }) => attempt.status_code),
        [503, 503, 503, 200],
      );
    });

    it('signs every attempt so the documented recipe and the client helper both verify it', async () => {
      await receiver.waitFor((request) => request.path === '/retry' && request.answered === 200);
      for (const request of receiver.received.filter((item) => item.path === '/retry')) {
        const header = String(request.headers['docsort-signature']);
        assert.equal(verifyAsDocumented(request.body, header, SECRET), true);
        assert.equal(verifyWebhookSignature({ payload: request.body, header, secret: SECRET }), true);
        assert.equal(verifyWebhookSignature({ payload: request.body.replace('PROCESSED', 'FAILED'), header, secret: SECRET }), false);
        assert.equal(verifyWebhookSignature({ payload: request.body, header, secret: 'another secret' }), false);
      }
    });

    it('redelivers an event with the same event id', async () => {
      const first = await receiver.waitFor((request) => request.path === '/retry' && request.answered === 200);
      const log = await api(server, key, 'GET', `/v1/webhooks/${retryHook.id}/deliveries`);
      assert.equal(log.body.has_more, false);
      const redelivery = await api(server, key, 'POST', `/v1/webhooks/${retryHook.id}/deliveries/${log.body.data[0].id}/redeliver`);
      assert.equal(redelivery.status, 202);
      const again = await receiver.waitFor(
        (request) => request.path === '/retry' && request.headers['docsort-delivery-id'] === redelivery.body.id,
      );
      assert.equal(again.json.id, first.json.id);
      assert.equal(again.body, first.body, 'the same event body, so receivers can de-duplicate on the id');
    });

    it('announces the classified file and routes it to its class route URL', async () => {
      const classified = await receiver.waitFor(
        (request) => request.path === '/all' && request.json?.type === 'file.classified' && request.json.data.run_id === runId,
      );
      assert.equal(classified.json.data.class, 'bank_statement');
      assert.equal(classified.json.data.file_id, bankFileId);
      assert.deepEqual(classified.json.data.metadata, { customer: 'c-42' });
      assert.equal(
        verifyWebhookSignature({ payload: classified.body, header: classified.headers['docsort-signature'], secret: allHook.secret }),
        true,
      );

      const routed = await receiver.waitFor((request) => request.path === '/route-bank' && request.json?.type === 'file.routed');
      assert.equal(routed.json.data.class, 'bank_statement');
      assert.equal(routed.json.data.trigger, 'classified');
      assert.equal(routed.json.data.file.id, bankFileId);
      assert.equal(routed.json.data.run_id, runId);
      assert.equal(routed.json.data.classifier.id, classifierId);

      // The route URL got its own webhook, whose secret signs the routed events.
      const hooks = await api(server, key, 'GET', '/v1/webhooks');
      const routeHook = hooks.body.data.find((hook: { url: string }) => hook.url === `${receiver.url}/route-bank`);
      assert.equal(routeHook.source, 'route');
      assert.equal(routeHook.secret, undefined, 'lists hide secrets');
      const read = await api(server, key, 'GET', `/v1/webhooks/${routeHook.id}`);
      assert.equal(read.status, 200);
      assert.equal(read.body.secret, undefined, 'a secret is never answered after it was made');
      // Its owner learns the secret by rotating it; a redelivery of the routed event is signed with the new one.
      const rotated = await api(server, key, 'POST', `/v1/webhooks/${routeHook.id}/rotate_secret`);
      assert.equal(rotated.status, 200);
      assert.ok(rotated.body.secret.startsWith('whsec_'));
      const log = await api(server, key, 'GET', `/v1/webhooks/${routeHook.id}/deliveries`);
      const again = await api(server, key, 'POST', `/v1/webhooks/${routeHook.id}/deliveries/${log.body.data[0].id}/redeliver`);
      const resent = await receiver.waitFor((request) => request.headers['docsort-delivery-id'] === again.body.id);
      assert.equal(resent.body, routed.body);
      assert.equal(
        verifyWebhookSignature({ payload: resent.body, header: resent.headers['docsort-signature'], secret: rotated.body.secret }),
        true,
      );
      assert.equal((await api(server, key, 'GET', `/v1/webhooks/${routeHook.id}`)).body.secret, undefined, 'nor after a rotation');
      assert.equal(eventsFor('/invoices', 'file.routed').length, 0, 'nothing went to the invoice route yet');
    });

    it('re-routes a file a reviewer moves to another class, to the named destination', async () => {
      const reviewed = await api(server, key, 'PATCH', `/v1/classify_runs/${runId}`, { json: { reviewed_output: { class: 'invoice' } } });
      assert.equal(reviewed.status, 200, JSON.stringify(reviewed.body));
      const routed = await receiver.waitFor((request) => request.path === '/invoices' && request.json?.type === 'file.routed');
      assert.equal(routed.json.data.class, 'invoice');
      assert.equal(routed.json.data.trigger, 'reviewed');
      assert.equal(routed.json.data.route, 'invoice-extraction');
      assert.equal(routed.json.data.run_id, runId);
      const announced = await receiver.waitFor((request) => request.path === '/all' && request.json?.type === 'classify_run.reviewed');
      assert.equal(announced.json.data.run.output.classification.class, 'invoice');

      // Reviewing again into the same class routes nothing new.
      await api(server, key, 'PATCH', `/v1/classify_runs/${runId}`, { json: { reviewed_output: { class: 'invoice' } } });
      await receiver.waitFor(
        (request) => request.path === '/all' && request.json?.type === 'classify_run.reviewed' && request.json.id !== announced.json.id,
      );
      assert.equal(eventsFor('/invoices', 'file.routed').length, 1);
    });

    it('announces a processed batch and a failed run', async () => {
      const invoice = await api(server, key, 'POST', '/v1/files', { form: uploadForm(INVOICE) });
      const locked = await api(server, key, 'POST', '/v1/files', { form: uploadForm(LOCKED) });
      const batch = await api(server, key, 'POST', `/v1/classifiers/${classifierId}/batches`, {
        json: { files: [{ id: invoice.body.id }, { id: locked.body.id }] },
      });
      assert.equal(batch.status, 202, JSON.stringify(batch.body));

      const done = await receiver.waitFor(
        (request) => request.path === '/all' && request.json?.type === 'batch.processed' && request.json.data.batch.id === batch.body.id,
      );
      assert.equal(done.json.data.batch.file_count, 2);
      assert.deepEqual(done.json.data.batch.run_counts, { PROCESSED: 1, FAILED: 1 });
      const failed = eventsFor('/all', 'classify_run.failed', (data) => data.run.batch_id === batch.body.id);
      assert.equal(failed.length, 1);
      assert.equal(failed[0].json.data.run.failure_reason, 'FAILED_TO_PROCESS_FILE');
    });

    it('rotates a secret: the next delivery is signed with the new one', async () => {
      const created = await api(server, key, 'POST', '/v1/webhooks', {
        json: { url: `${receiver.url}/rotate`, events: ['file.classified'] },
      });
      const rotated = await api(server, key, 'PATCH', `/v1/webhooks/${created.body.id}`, { json: { secret: 'whsec_the_rotated_secret' } });
      assert.equal(rotated.status, 200);
      assert.equal(rotated.body.secret, undefined, 'the answer to a change never shows the secret');
      const run = await api(server, key, 'POST', '/v1/classify', { json: { classifier: { id: classifierId }, file: { id: bankFileId } } });
      const delivered = await receiver.waitFor((request) => request.path === '/rotate' && request.json?.data?.run_id === run.body.id);
      assert.equal(
        verifyWebhookSignature({
          payload: delivered.body,
          header: delivered.headers['docsort-signature'],
          secret: 'whsec_the_rotated_secret',
        }),
        true,
      );
      assert.equal(
        verifyWebhookSignature({ payload: delivered.body, header: delivered.headers['docsort-signature'], secret: created.body.secret }),
        false,
      );
      const taken = await api(server, key, 'PATCH', `/v1/webhooks/${created.body.id}`, { json: { name: 'invoice-extraction' } });
      assert.equal(taken.status, 409);
    });

    it('lists webhooks without secrets and deletes one with its log', async () => {
      const created = await api(server, key, 'POST', '/v1/webhooks', {
        json: { url: `${receiver.url}/gone`, events: ['file.classified'] },
      });
      const listed = await api(server, key, 'GET', '/v1/webhooks');
      assert.ok(listed.body.data.some((hook: { id: string }) => hook.id === created.body.id));
      assert.ok(listed.body.data.every((hook: { secret?: string }) => hook.secret === undefined));
      assert.equal((await api(server, key, 'DELETE', `/v1/webhooks/${created.body.id}`)).status, 200);
      assert.equal((await api(server, key, 'GET', `/v1/webhooks/${created.body.id}/deliveries`)).status, 404);
    });

    it('refuses a webhook for an unknown event', async () => {
      const response = await api(server, key, 'POST', '/v1/webhooks', { json: { url: `${receiver.url}/x`, events: ['file.processed'] } });
      assert.equal(response.status, 400);
      assert.equal(response.body.error, 'invalid_request');
    });
  });
