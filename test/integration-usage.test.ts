/** Usage, credit quotas and metrics over real HTTP, on SQLite and (with TEST_DATABASE_URL) PostgreSQL. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RUN_STARTING_ROUTES } from '../src/usage/quota.js';
import { DIALECTS } from './helpers/test-database.js';
import { corpusFile } from './helpers/test-server.js';
import { api, startAuthedServer, waitUntil, type AuthedServer } from './integration-support.js';

const ONE_PAGE = corpusFile('pdf/bank_statement/cs-anz-homeloan.pdf');
const TWO_PAGES = corpusFile('pdf/bank_statement/cs-bofa-sample.pdf');

function uploadForm(file: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(file)]), path.basename(file));
  return form;
}

for (const dialect of DIALECTS) {
  describe(`usage and quotas (${dialect})`, () => {
    let server: AuthedServer;
    let classifierId: string;
    let onePageId: string;
    let twoPageId: string;
    const today = new Date().toISOString().slice(0, 10);

    before(async () => {
      // Half a credit per page, so quotas and sums are checked with a non-integer rate.
      server = await startAuthedServer(dialect, { CREDITS_PER_PAGE: '0.5' });
      const admin = server.adminKey;
      const classifier = await api(server, admin, 'POST', '/v1/classifiers', {
        json: {
          name: 'Statements',
          classes: [
            { name: 'bank_statement', description: 'A bank account statement' },
            { name: 'invoice', description: 'A bill to pay' },
          ],
        },
      });
      classifierId = classifier.body.id;
      onePageId = (await api(server, admin, 'POST', '/v1/files', { form: uploadForm(ONE_PAGE) })).body.id;
      twoPageId = (await api(server, admin, 'POST', '/v1/files', { form: uploadForm(TWO_PAGES) })).body.id;
    });
    after(() => server.close());

    it('charges pages at the documented rate, shows the remaining quota and answers 402 out_of_credits at zero', async () => {
      const limited = await server.createKey({ name: 'prepaid', creditQuota: 0.5 });
      const body = { classifier: { id: classifierId }, file: { id: onePageId }, metadata: { usage_tags: ['team-a', 'pilot'] } };
      const first = await api(server, limited.key, 'POST', '/v1/classify', { json: body });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual(first.body.usage, { pages: 1, credits: 0.5, llm_tokens: null });
      assert.equal(first.headers.get('docsort-credits-remaining'), '0.5', 'the header tells what was left when the request came in');

      const next = await api(server, limited.key, 'GET', '/v1/usage');
      assert.equal(next.headers.get('docsort-credits-remaining'), '0');
      assert.deepEqual(next.body.quota, { api_key_id: limited.id, credit_quota: 0.5, credits_used: 0.5, credits_remaining: 0 });

      const refused = await api(server, limited.key, 'POST', '/v1/classify', { json: body });
      assert.equal(refused.status, 402);
      assert.equal(refused.body.error, 'out_of_credits');
      const batch = await api(server, limited.key, 'POST', `/v1/classifiers/${classifierId}/batches`, {
        json: { files: [{ id: onePageId }] },
      });
      assert.equal(batch.status, 402);
      const escaped = await api(server, limited.key, 'POST', '/%761/classify', { json: body });
      assert.equal(escaped.status, 402, 'a percent-escaped path is the same route and the same quota');
      // Reading is still allowed at zero credits.
      assert.equal((await api(server, limited.key, 'GET', `/v1/classify_runs/${first.body.id}`)).status, 200);

      // An admin raises the quota and the key works again.
      const raised = await api(server, server.adminKey, 'PATCH', `/v1/keys/${limited.id}`, { json: { credit_quota: 5 } });
      assert.equal(raised.body.credits_remaining, 4.5);
      assert.equal((await api(server, limited.key, 'POST', '/v1/classify', { json: body })).status, 200);
    });

    it('guards every route that starts runs, and each of them exists', async () => {
      const document = (await api(server, null, 'GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
      for (const route of RUN_STARTING_ROUTES) {
        const [method, pattern] = route.split(' ');
        const template = pattern.replace(/:([a-z_]+)/g, '{$1}');
        assert.ok(document.paths[template]?.[method.toLowerCase()], `${route} is an API operation`);
      }
    });

    it('fails a queued run whose pages would overdraw the quota with OUT_OF_CREDITS', async () => {
      const limited = await server.createKey({ name: 'half a page left', creditQuota: 0.75 });
      const started = await api(server, limited.key, 'POST', '/v1/classify_runs', {
        json: { classifier: { id: classifierId }, file: { id: twoPageId } },
      });
      assert.equal(started.status, 202);
      const finished = await waitUntil(
        () => api(server, limited.key, 'GET', `/v1/classify_runs/${started.body.id}`),
        (response) => ['PROCESSED', 'FAILED', 'CANCELLED'].includes(response.body.status),
      );
      assert.equal(finished.body.status, 'FAILED');
      assert.equal(finished.body.failure_reason, 'OUT_OF_CREDITS');
      const usage = await api(server, limited.key, 'GET', '/v1/usage');
      assert.equal(usage.body.quota.credits_used, 0, 'a failed run costs nothing');
    });

    it('sums runs, pages and credits by day, classifier, key and usage tag', async () => {
      const tagged = await server.createKey({ name: 'tagged' });
      for (const file of [onePageId, twoPageId]) {
        const run = await api(server, tagged.key, 'POST', '/v1/classify', {
          json: { classifier: { id: classifierId }, file: { id: file }, metadata: { usage_tags: ['team-b'] } },
        });
        assert.equal(run.body.status, 'PROCESSED');
      }
      const mine = await api(server, tagged.key, 'GET', '/v1/usage');
      assert.equal(mine.status, 200);
      assert.deepEqual(mine.body.totals, { runs: 2, pages: 3, credits: 1.5, llm_tokens: { input: 0, output: 0 } });
      assert.deepEqual(mine.body.by_day, [{ day: today, runs: 2, pages: 3, credits: 1.5, llm_tokens: { input: 0, output: 0 } }]);
      assert.deepEqual(mine.body.by_tag, [{ tag: 'team-b', runs: 2, pages: 3, credits: 1.5, llm_tokens: { input: 0, output: 0 } }]);
      assert.deepEqual(mine.body.by_key, [{ api_key_id: tagged.id, runs: 2, pages: 3, credits: 1.5, llm_tokens: { input: 0, output: 0 } }]);
      assert.equal(mine.body.credits_per_page, 0.5);

      const all = await api(server, server.adminKey, 'GET', `/v1/usage?from=${today}&to=${today}&classifier_id=${classifierId}`);
      assert.ok(all.body.by_key.length >= 3, 'an admin sees every key');
      const teamB = await api(server, server.adminKey, 'GET', '/v1/usage?tag=team-b');
      assert.deepEqual(teamB.body.totals, { runs: 2, pages: 3, credits: 1.5, llm_tokens: { input: 0, output: 0 } });
      assert.equal((await api(server, tagged.key, 'GET', `/v1/usage?api_key_id=${server.adminKey}`)).status, 403);
      assert.equal((await api(server, tagged.key, 'GET', '/v1/usage?from=2026-13-45')).status, 400);
    });

    it('exposes runs, pages, latency, queue depth and webhook figures as Prometheus text', async () => {
      const metrics = await api(server, null, 'GET', '/metrics');
      assert.equal(metrics.status, 200);
      assert.match(metrics.headers.get('content-type') ?? '', /text\/plain; version=0.0.4/);
      const text = metrics.body as string;
      assert.match(text, /^docsort_classify_runs\{status="PROCESSED"\} [1-9]\d*$/m);
      assert.match(text, /^docsort_classify_runs\{status="FAILED"\} [1-9]\d*$/m);
      assert.match(text, /^docsort_pages_processed_total [1-9]\d*$/m);
      assert.match(text, /^docsort_classify_run_duration_seconds_bucket\{le="\+Inf"\} [1-9]\d*$/m);
      assert.match(text, /^# TYPE docsort_queue_jobs gauge$/m);
      assert.match(text, /^docsort_webhook_failed_attempts_total \d+$/m);
      assert.match(text, /^docsort_http_request_duration_seconds_count\{method="POST",route="\/v1\/classify",status="200"\} [1-9]\d*$/m);
    });
  });
}
