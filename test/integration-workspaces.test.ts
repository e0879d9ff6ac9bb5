/**
 * Isolation between keys, over real HTTP on both databases: two workspaces side by side, every
 * documented /v1 route called by the other workspace with this one's ids (404, and no id of this
 * workspace in any answer), the same requests by the owner (they work), events kept inside their
 * workspace, and what each of the four roles may do.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from './helpers/test-database.js';
import { corpusFile } from './helpers/test-server.js';
import { runCli } from './helpers/run-cli.js';
import {
  api,
  startAuthedServer,
  startReceiver,
  waitUntil,
  type ApiResponse,
  type AuthedServer,
  type Receiver,
} from './integration-support.js';

const INVOICE = corpusFile('pdf/invoice/i2d-aws-invoice.pdf');
const BANK_STATEMENT = corpusFile('pdf/bank_statement/cs-anz-homeloan.pdf');

function uploadForm(file: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(file)]), path.basename(file));
  return form;
}

/** Every /v1 operation of the OpenAPI document, as `METHOD /v1/path/{param}`. */
async function documentedOperations(server: AuthedServer): Promise<string[]> {
  const document = (await api(server, null, 'GET', '/openapi.json')).body;
  const operations: string[] = [];
  for (const [template, methods] of Object.entries<Record<string, unknown>>(document.paths)) {
    if (!template.startsWith('/v1/')) continue;
    for (const method of Object.keys(methods)) operations.push(`${method.toUpperCase()} ${template}`);
  }
  return operations.sort();
}

/**
 * The least role each operation needs, written out here rather than taken from the server's
 * table, so a change there that loosens a route fails this test.
 */
function leastRole(operation: string): 'read' | 'review' | 'write' | 'admin' {
  const [method, template] = operation.split(' ');
  if (operation === 'GET /v1/keys/current' || operation === 'GET /v1/keys/{id}') return 'read';
  if (template.startsWith('/v1/keys') || template.startsWith('/v1/workspaces')) return 'admin';
  if (operation === 'PATCH /v1/classify_runs/{id}') return 'review';
  return method === 'GET' ? 'read' : 'write';
}

const ROLE_ORDER = ['read', 'review', 'write', 'admin'] as const;

interface Workspace {
  keys: Record<(typeof ROLE_ORDER)[number], { id: string; key: string }>;
}

async function makeWorkspace(server: AuthedServer, name: string): Promise<Workspace> {
  const keys = {} as Workspace['keys'];
  for (const role of ROLE_ORDER) {
    const created = await api(server, server.adminKey, 'POST', '/v1/keys', { json: { name: `${name} ${role}`, role, workspace: name } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.role, role);
    assert.equal(created.body.workspace, name);
    keys[role] = { id: created.body.id, key: created.body.key };
  }
  return { keys };
}

/** One request of the matrix: `owner` is what the owning workspace's write key gets for it. */
interface Case {
  operation: string;
  path: string;
  json?: unknown;
  form?: () => FormData;
  owner: number;
}

for (const dialect of DIALECTS) {
  describe(`workspaces (${dialect})`, () => {
    let server: AuthedServer;
    let receiver: Receiver;
    let acme: Workspace;
    let globex: Workspace;
    /** Ids of acme's resources; none may appear in an answer to globex. */
    const a: Record<string, string> = {};
    const b: Record<string, string> = {};
    const asAcme = (method: string, url: string, init?: Parameters<typeof api>[4]) => api(server, acme.keys.write.key, method, url, init);
    const asGlobex = (method: string, url: string, init?: Parameters<typeof api>[4]) =>
      api(server, globex.keys.write.key, method, url, init);

    before(async () => {
      server = await startAuthedServer(dialect);
      receiver = await startReceiver();
      acme = await makeWorkspace(server, 'acme');
      globex = await makeWorkspace(server, 'globex');

      // Both workspaces listen to every event; globex also registers the URL acme's class route names.
      const allEvents = ['classify_run.processed', 'classify_run.failed', 'classify_run.reviewed', 'batch.processed', 'file.classified'];
      const hookA = await asAcme('POST', '/v1/webhooks', { json: { url: `${receiver.url}/acme`, events: allEvents, name: 'erp' } });
      assert.equal(hookA.status, 201, JSON.stringify(hookA.body));
      a.webhook = hookA.body.id;
      a.secret = hookA.body.secret;
      a.webhookToDelete = (await asAcme('POST', '/v1/webhooks', { json: { url: `${receiver.url}/acme-spare`, events: [] } })).body.id;
      const hookB = await asGlobex('POST', '/v1/webhooks', {
        json: { url: `${receiver.url}/globex`, events: [...allEvents, 'file.routed'], name: 'erp' },
      });
      assert.equal(hookB.status, 201, 'a webhook name is free in every workspace');
      b.webhook = hookB.body.id;
      b.routeUrlHook = (await asGlobex('POST', '/v1/webhooks', { json: { url: `${receiver.url}/route-invoices`, events: [] } })).body.id;

      a.file = (await asAcme('POST', '/v1/files', { form: uploadForm(INVOICE) })).body.id;
      a.fileToDelete = (await asAcme('POST', '/v1/files', { form: uploadForm(BANK_STATEMENT) })).body.id;
      b.file = (await asGlobex('POST', '/v1/files', { form: uploadForm(INVOICE) })).body.id;

      const classes = [{ name: 'invoice', route: `${receiver.url}/route-invoices` }, { name: 'bank_statement' }];
      a.classifier = (await asAcme('POST', '/v1/classifiers', { json: { name: 'acme mail', classes } })).body.id;
      a.classifierToDelete = (await asAcme('POST', '/v1/classifiers', { json: { name: 'spare', classes } })).body.id;
      b.classifier = (await asGlobex('POST', '/v1/classifiers', { json: { name: 'globex mail', classes } })).body.id;

      const example = await asAcme('POST', `/v1/classifiers/${a.classifier}/examples`, {
        json: { class: 'invoice', file: { id: a.file } },
      });
      assert.equal(example.status, 201, JSON.stringify(example.body));
      a.example = example.body.id;

      const run = await asAcme('POST', '/v1/classify', { json: { classifier: { id: a.classifier }, file: { id: a.file } } });
      assert.equal(run.status, 200, JSON.stringify(run.body));
      assert.equal(run.body.status, 'PROCESSED');
      a.run = run.body.id;
      const batch = await asAcme('POST', `/v1/classifiers/${a.classifier}/batches`, { json: { files: [{ id: a.file }] } });
      assert.equal(batch.status, 202, JSON.stringify(batch.body));
      a.batch = batch.body.id;
      a.batchRun = batch.body.files[0].run_id;
      // A reviewed run makes an evaluation set, so the evaluation routes have something to answer.
      await waitUntil(
        () => asAcme('GET', `/v1/classify_runs/${a.batchRun}`),
        (response) => response.body.status === 'PROCESSED',
      );
      const reviewed = await asAcme('PATCH', `/v1/classify_runs/${a.batchRun}`, { json: { reviewed_output: { class: 'invoice' } } });
      assert.equal(reviewed.status, 200, JSON.stringify(reviewed.body));
      const evaluation = await asAcme('POST', `/v1/classifiers/${a.classifier}/evaluations`, { json: {} });
      assert.equal(evaluation.status, 202, JSON.stringify(evaluation.body));
      a.evaluation = evaluation.body.id;
      const deliveries = await waitUntil(
        () => asAcme('GET', `/v1/webhooks/${a.webhook}/deliveries`),
        (response) => response.body.data?.some((delivery: { status: string }) => delivery.status === 'succeeded'),
      );
      a.delivery = deliveries.body.data[0].id;
      a.writeKey = acme.keys.write.id;

      const runB = await asGlobex('POST', '/v1/classify', { json: { classifier: { id: b.classifier }, file: { id: b.file } } });
      assert.equal(runB.body.status, 'PROCESSED');
      b.run = runB.body.id;
    });
    after(async () => {
      await server.close();
      await receiver.close();
    });

    /** Each documented operation with acme's ids, and what acme's write key gets for it. Order: reads, changes, deletes. */
    function acmeCases(): Case[] {
      return [
        { operation: 'GET /v1/files/{id}', path: `/v1/files/${a.file}`, owner: 200 },
        { operation: 'GET /v1/files/{id}/pages/{n}', path: `/v1/files/${a.file}/pages/1`, owner: 200 },
        { operation: 'GET /v1/files/{id}/content', path: `/v1/files/${a.file}/content`, owner: 200 },
        { operation: 'GET /v1/classifiers/{id}', path: `/v1/classifiers/${a.classifier}`, owner: 200 },
        { operation: 'GET /v1/classifiers/{id}/versions', path: `/v1/classifiers/${a.classifier}/versions`, owner: 200 },
        { operation: 'GET /v1/classifiers/{id}/examples', path: `/v1/classifiers/${a.classifier}/examples`, owner: 200 },
        { operation: 'GET /v1/batches/{id}', path: `/v1/batches/${a.batch}`, owner: 200 },
        { operation: 'GET /v1/classify_runs/{id}', path: `/v1/classify_runs/${a.run}`, owner: 200 },
        { operation: 'GET /v1/webhooks/{id}', path: `/v1/webhooks/${a.webhook}`, owner: 200 },
        { operation: 'GET /v1/webhooks/{id}/deliveries', path: `/v1/webhooks/${a.webhook}/deliveries`, owner: 200 },
        { operation: 'GET /v1/classifiers/{id}/evaluation', path: `/v1/classifiers/${a.classifier}/evaluation`, owner: 200 },
        { operation: 'GET /v1/classifiers/{id}/evaluations', path: `/v1/classifiers/${a.classifier}/evaluations`, owner: 200 },
        { operation: 'GET /v1/evaluations/{id}', path: `/v1/evaluations/${a.evaluation}`, owner: 200 },
        {
          operation: 'POST /v1/classifiers/{id}/evaluations',
          path: `/v1/classifiers/${a.classifier}/evaluations`,
          json: { version: 1 },
          owner: 202,
        },
        {
          operation: 'PATCH /v1/classifiers/{id}',
          path: `/v1/classifiers/${a.classifier}`,
          json: { description: 'changed by its owner' },
          owner: 200,
        },
        {
          operation: 'POST /v1/classifiers/{id}/examples',
          path: `/v1/classifiers/${a.classifier}/examples`,
          json: { class: 'invoice', file: { id: a.file } },
          owner: 201,
        },
        {
          operation: 'POST /v1/classifiers/{id}/classify',
          path: `/v1/classifiers/${a.classifier}/classify`,
          json: { document_id: a.file },
          owner: 200,
        },
        {
          operation: 'POST /v1/classifiers/{id}/batches',
          path: `/v1/classifiers/${a.classifier}/batches`,
          json: { files: [{ id: a.file }] },
          owner: 202,
        },
        { operation: 'POST /v1/batches/{id}/cancel', path: `/v1/batches/${a.batch}/cancel`, owner: 200 },
        {
          operation: 'POST /v1/classify',
          path: '/v1/classify',
          json: { classifier: { id: a.classifier }, file: { id: a.file } },
          owner: 200,
        },
        {
          operation: 'POST /v1/classify_runs',
          path: '/v1/classify_runs',
          json: { classifier: { id: a.classifier }, file: { id: a.file } },
          owner: 202,
        },
        // Found, but already finished: the owner is told so; anyone else is told it does not exist.
        { operation: 'POST /v1/classify_runs/{id}/cancel', path: `/v1/classify_runs/${a.run}/cancel`, owner: 409 },
        { operation: 'POST /v1/classify_runs/{id}/redo', path: `/v1/classify_runs/${a.run}/redo`, owner: 202 },
        {
          operation: 'PATCH /v1/classify_runs/{id}',
          path: `/v1/classify_runs/${a.run}`,
          json: { reviewed_output: { class: 'invoice' } },
          owner: 200,
        },
        { operation: 'PATCH /v1/webhooks/{id}', path: `/v1/webhooks/${a.webhook}`, json: { description: 'changed' }, owner: 200 },
        { operation: 'POST /v1/webhooks/{id}/rotate_secret', path: `/v1/webhooks/${a.webhook}/rotate_secret`, owner: 200 },
        {
          operation: 'POST /v1/webhooks/{id}/deliveries/{delivery_id}/redeliver',
          path: `/v1/webhooks/${a.webhook}/deliveries/${a.delivery}/redeliver`,
          owner: 202,
        },
        {
          operation: 'DELETE /v1/classifiers/{id}/examples/{exampleId}',
          path: `/v1/classifiers/${a.classifier}/examples/${a.example}`,
          owner: 200,
        },
        { operation: 'DELETE /v1/classifiers/{id}', path: `/v1/classifiers/${a.classifierToDelete}`, owner: 200 },
        { operation: 'DELETE /v1/webhooks/{id}', path: `/v1/webhooks/${a.webhookToDelete}`, owner: 200 },
        { operation: 'DELETE /v1/files/{id}', path: `/v1/files/${a.fileToDelete}`, owner: 200 },
      ];
    }

    /** globex's own resources combined with one of acme's: still not found. */
    function mixedCases(): Array<Omit<Case, 'owner'>> {
      return [
        { operation: 'POST /v1/classify', path: '/v1/classify', json: { classifier: { id: b.classifier }, file: { id: a.file } } },
        { operation: 'POST /v1/classify', path: '/v1/classify', json: { classifier: { id: a.classifier }, file: { id: b.file } } },
        {
          operation: 'POST /v1/classify_runs',
          path: '/v1/classify_runs',
          json: { config: { classes: [{ name: 'x' }] }, file: { id: a.file } },
        },
        {
          operation: 'POST /v1/classifiers/{id}/classify',
          path: `/v1/classifiers/${b.classifier}/classify`,
          json: { document_id: a.file },
        },
        {
          operation: 'POST /v1/classifiers/{id}/batches',
          path: `/v1/classifiers/${b.classifier}/batches`,
          json: { files: [{ id: a.file }] },
        },
        {
          operation: 'POST /v1/classifiers/{id}/examples',
          path: `/v1/classifiers/${b.classifier}/examples`,
          json: { class: 'invoice', file: { id: a.file } },
        },
        {
          operation: 'POST /v1/webhooks/{id}/deliveries/{delivery_id}/redeliver',
          path: `/v1/webhooks/${b.webhook}/deliveries/${a.delivery}/redeliver`,
        },
      ];
    }

    /** No id of acme's in an answer to globex, except those globex sent itself (a 404 names what was asked for). */
    function assertNoAcmeIds(response: ApiResponse, what: string, sent = ''): void {
      const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
      for (const [name, value] of Object.entries(a)) {
        if (sent.includes(value)) continue;
        assert.ok(!text.includes(value), `${what} answered acme's ${name} (${value}) to globex: ${text.slice(0, 300)}`);
      }
    }

    it("answers 404 to every request naming another workspace's ids, and the owner's same requests work", async () => {
      const operations = await documentedOperations(server);
      const covered = new Set([...acmeCases(), ...mixedCases()].map((item) => item.operation));
      const listsAndAccounts = [
        'GET /v1/classifiers',
        'GET /v1/classify_runs',
        'GET /v1/classify_runs/counts',
        'GET /v1/batches',
        'GET /v1/webhooks',
        'GET /v1/usage',
        'POST /v1/files',
        'POST /v1/classifiers',
        'POST /v1/webhooks',
      ];
      const admin = operations.filter((operation) => leastRole(operation) === 'admin' || operation.includes('/v1/keys/'));
      const unchecked = operations.filter(
        (operation) => !covered.has(operation) && !listsAndAccounts.includes(operation) && !admin.includes(operation),
      );
      assert.deepEqual(unchecked, [], 'every documented operation is in this test; add a case for a new one');

      for (const item of [...acmeCases(), ...mixedCases()]) {
        const method = item.operation.split(' ')[0];
        const response = await asGlobex(method, item.path, { json: item.json });
        assert.equal(
          response.status,
          404,
          `${item.operation} ${JSON.stringify(item.json ?? '')} by globex: ${JSON.stringify(response.body)}`,
        );
        assert.equal(response.body.error, 'not_found');
        assertNoAcmeIds(response, item.operation, item.path + JSON.stringify(item.json ?? ''));
      }
      // Nothing globex tried changed anything of acme's.
      const webhook = await asAcme('GET', `/v1/webhooks/${a.webhook}`);
      assert.equal(webhook.body.description, null);
      assert.equal((await asAcme('GET', `/v1/classify_runs/${a.run}`)).body.reviewed, false);
      assert.equal((await asAcme('GET', `/v1/classifiers/${a.classifier}`)).body.version, 1);

      for (const item of acmeCases()) {
        const method = item.operation.split(' ')[0];
        const response = await asAcme(method, item.path, { json: item.json });
        assert.equal(response.status, item.owner, `${item.operation} by acme: ${JSON.stringify(response.body).slice(0, 300)}`);
      }
    });

    it("lists only the workspace's own classifiers, runs, batches, webhooks and usage", async () => {
      const lists = [
        '/v1/classifiers',
        '/v1/classify_runs',
        `/v1/classify_runs?classifier_id=${a.classifier}`,
        `/v1/classify_runs?batch_id=${a.batch}`,
        `/v1/classify_runs/counts?classifier_id=${a.classifier}`,
        '/v1/batches',
        `/v1/batches?classifier_id=${a.classifier}`,
        '/v1/webhooks',
        '/v1/usage',
        `/v1/usage?classifier_id=${a.classifier}`,
      ];
      for (const list of lists) {
        const response = await asGlobex('GET', list);
        assert.equal(response.status, 200, list);
        assertNoAcmeIds(response, list);
      }
      const runs = await asGlobex('GET', '/v1/classify_runs');
      assert.deepEqual(
        runs.body.data.map((run: { id: string }) => run.id),
        [b.run],
      );
      assert.equal((await asGlobex('GET', '/v1/classify_runs/counts')).body.total, 1, "globex's counts are its own runs only");
      const usage = await api(server, globex.keys.admin.key, 'GET', '/v1/usage');
      assert.equal(usage.body.totals.runs, 1, "an admin's usage counts its own workspace's runs only");
      const acmeUsage = await api(server, acme.keys.admin.key, 'GET', '/v1/usage');
      assert.ok(acmeUsage.body.totals.runs >= 2);
      assert.ok(
        (await asAcme('GET', '/v1/classify_runs')).body.data.every((run: { id: string }) => run.id !== b.run),
        "and acme does not see globex's",
      );
      // A file uploaded by globex is globex's alone, even with the same bytes as acme's.
      assert.equal((await asAcme('GET', `/v1/files/${b.file}`)).status, 404);
    });

    it("announces each workspace's events only to its own webhooks, and routes inside the workspace", async () => {
      const routed = await receiver.waitFor((request) => request.path === '/route-invoices' && request.json?.data?.run_id === a.run);
      await receiver.waitFor((request) => request.path === '/route-invoices' && request.json?.data?.run_id === b.run);
      // Both classifiers route invoices to the same URL: each workspace's file.routed goes through its own webhook for it.
      const acmeHooks = await asAcme('GET', '/v1/webhooks');
      const acmeRouteHook = acmeHooks.body.data.find((hook: { url: string }) => hook.url === `${receiver.url}/route-invoices`);
      assert.equal(acmeRouteHook.source, 'route', 'acme got a webhook of its own for the URL');
      assert.notEqual(acmeRouteHook.id, b.routeUrlHook);
      const deliveryIds = async (server: typeof asAcme, hook: string) =>
        (await server('GET', `/v1/webhooks/${hook}/deliveries`)).body.data.map((delivery: { id: string }) => delivery.id);
      const acmeDeliveries = await deliveryIds(asAcme, acmeRouteHook.id);
      const globexDeliveries = await deliveryIds(asGlobex, b.routeUrlHook);
      assert.ok(acmeDeliveries.includes(routed.headers['docsort-delivery-id']));
      for (const request of receiver.received.filter((item) => item.path === '/route-invoices')) {
        const owner = globexDeliveries.includes(request.headers['docsort-delivery-id']) ? 'globex' : 'acme';
        assert.equal(
          request.json.data.run_id === b.run ? 'globex' : 'acme',
          owner,
          "a routed run goes out through its own workspace's webhook",
        );
      }

      await receiver.waitFor((request) => request.path === '/globex' && request.json?.data?.run?.id === b.run);
      const toGlobex = receiver.received.filter((request) => request.path === '/globex');
      assert.ok(toGlobex.length > 0);
      for (const request of toGlobex) {
        for (const [name, value] of Object.entries(a)) assert.ok(!request.body.includes(value), `globex's webhook got acme's ${name}`);
      }
      const toAcme = receiver.received.filter((request) => request.path === '/acme');
      assert.ok(toAcme.some((request) => request.json?.data?.run?.id === a.run));
      assert.ok(toAcme.every((request) => !request.body.includes(b.run)));
    });

    it('shows a webhook secret when it is made and when it is rotated, never again', async () => {
      const created = await asAcme('POST', '/v1/webhooks', { json: { url: `${receiver.url}/secret`, events: [] } });
      assert.ok(created.body.secret.startsWith('whsec_'));
      const hook = created.body.id;
      for (const response of [
        await asAcme('GET', `/v1/webhooks/${hook}`),
        await asAcme('GET', '/v1/webhooks'),
        await asAcme('PATCH', `/v1/webhooks/${hook}`, { json: { description: 'renamed' } }),
        await api(server, acme.keys.admin.key, 'GET', `/v1/webhooks/${hook}`),
      ]) {
        assert.equal(response.status, 200);
        assert.ok(!JSON.stringify(response.body).includes(created.body.secret), 'the secret is not answered again');
        assert.ok(!JSON.stringify(response.body).includes('whsec_'), 'no secret at all');
      }
      const rotated = await asAcme('POST', `/v1/webhooks/${hook}/rotate_secret`);
      assert.ok(rotated.body.secret.startsWith('whsec_'));
      assert.notEqual(rotated.body.secret, created.body.secret);
      assert.ok(!JSON.stringify((await asAcme('GET', `/v1/webhooks/${hook}`)).body).includes('whsec_'));
    });

    it('lets each role do what it may and refuses the rest with 403 forbidden, touching nothing', async () => {
      const operations = await documentedOperations(server);
      for (const role of ROLE_ORDER) {
        const key = acme.keys[role];
        for (const operation of operations) {
          const [method, template] = operation.split(' ');
          // Missing ids and empty bodies: an allowed request reaches its route and is refused there, so nothing changes either way.
          const url = template.replace(/\{([^}]+)\}/g, (_match, name: string) => {
            if (name === 'n') return '1';
            // Any key may read itself; reading another needs admin.
            if (operation === 'GET /v1/keys/{id}') return key.id;
            return 'x_missing';
          });
          const json = method === 'GET' || method === 'DELETE' ? undefined : {};
          const response = await api(server, key.key, method, url, { json });
          const allowed = ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(leastRole(operation));
          if (allowed) {
            assert.notEqual(response.body?.error, 'forbidden', `${role} may ${operation}: ${JSON.stringify(response.body)}`);
          } else {
            assert.equal(response.status, 403, `${role} may not ${operation}: ${response.status} ${JSON.stringify(response.body)}`);
            assert.equal(response.body.error, 'forbidden');
            assert.match(response.body.message, new RegExp(`role "${role}"`));
          }
        }
      }
      // A reader's refused delete left the file; a reviewer may review but not redo; the writer may redo.
      assert.equal((await api(server, acme.keys.read.key, 'DELETE', `/v1/files/${a.file}`)).status, 403);
      assert.equal((await asAcme('GET', `/v1/files/${a.file}`)).status, 200);
      const review = await api(server, acme.keys.review.key, 'PATCH', `/v1/classify_runs/${a.batchRun}`, {
        json: { reviewed_output: { class: 'bank_statement' } },
      });
      assert.equal(review.status, 200, JSON.stringify(review.body));
      assert.equal(review.body.reviewed, true);
      assert.equal((await api(server, acme.keys.review.key, 'POST', `/v1/classify_runs/${a.batchRun}/redo`)).status, 403);
      assert.equal((await api(server, acme.keys.read.key, 'GET', `/v1/classify_runs/${a.batchRun}`)).body.reviewed, true);
    });

    it("lets an admin manage every workspace's keys but read only its own workspace's data", async () => {
      const admin = acme.keys.admin.key;
      const keys = await api(server, admin, 'GET', '/v1/keys?workspace=globex');
      assert.deepEqual(keys.body.data.map((key: { role: string }) => key.role).sort(), ['admin', 'read', 'review', 'write']);
      const workspaces = await api(server, admin, 'GET', '/v1/workspaces');
      assert.deepEqual(
        workspaces.body.data.map((workspace: { id: string; active_keys: number }) => [workspace.id, workspace.active_keys]),
        [
          ['acme', 4],
          ['default', 1],
          ['globex', 4],
        ],
      );
      assert.equal((await api(server, admin, 'GET', `/v1/files/${b.file}`)).status, 404, "an admin of acme does not read globex's files");
      const demoted = await api(server, admin, 'PATCH', `/v1/keys/${globex.keys.write.id}`, { json: { role: 'read' } });
      assert.equal(demoted.body.role, 'read');
      assert.equal(
        (await asGlobex('POST', '/v1/classifiers', { json: { classes: [{ name: 'x' }] } })).status,
        403,
        'a new role applies at once',
      );
      await api(server, admin, 'PATCH', `/v1/keys/${globex.keys.write.id}`, { json: { role: 'write' } });
      const itself = await api(server, acme.keys.read.key, 'GET', '/v1/keys/current');
      assert.deepEqual(
        [itself.body.id, itself.body.role, itself.body.workspace, itself.body.admin],
        [acme.keys.read.id, 'read', 'acme', false],
      );
      assert.equal((await api(server, acme.keys.read.key, 'GET', `/v1/keys/${acme.keys.write.id}`)).status, 403, 'nor other keys');
      const refused = await api(server, admin, 'POST', '/v1/keys', { json: { name: 'bad', workspace: 'Not A Name' } });
      assert.equal(refused.status, 400);
      const contradicting = await api(server, admin, 'POST', '/v1/keys', { json: { name: 'bad', admin: true, role: 'read' } });
      assert.equal(contradicting.status, 400);
      assert.match(contradicting.body.message, /contradicts/);
    });

    it('makes keys with a workspace and a role from the command line', async () => {
      const env = server.database.env;
      const created = await runCli(['keys', 'create', '--name', 'cli reader', '--workspace', 'initech', '--role', 'read'], { env });
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stderr, /read key .* in workspace "initech"/);
      const key = created.stdout.trim().split('\n').pop() as string;
      const itself = await api(server, key, 'GET', '/v1/keys/current');
      assert.deepEqual([itself.body.role, itself.body.workspace], ['read', 'initech']);
      assert.deepEqual((await api(server, key, 'GET', '/v1/classifiers')).body.data, [], 'a new workspace starts empty');
      assert.equal((await api(server, key, 'POST', '/v1/classifiers', { json: { classes: [{ name: 'x' }] } })).status, 403);

      const listed = await runCli(['keys', 'list', '--workspace', 'initech', '--json'], { env });
      const rows = JSON.parse(listed.stdout) as Array<{ name: string; role: string; workspace_id: string }>;
      assert.deepEqual(
        rows.map((row) => [row.name, row.role, row.workspace_id]),
        [['cli reader', 'read', 'initech']],
      );
      const badRole = await runCli(['keys', 'create', '--name', 'x', '--role', 'owner'], { env });
      assert.equal(badRole.code, 2);
      assert.match(badRole.stderr, /--role must be one of read, review, write, admin/);
      const badWorkspace = await runCli(['keys', 'create', '--name', 'x', '--workspace', '../etc'], { env });
      assert.equal(badWorkspace.code, 2);
    });
  });
}
