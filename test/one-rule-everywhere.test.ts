/**
 * One page-range grammar and one classifier validator behind every entry point: what the CLI
 * accepts the API accepts, and what cannot run is refused when it is written (HTTP 422/400), not
 * by every run that later uses it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from './helpers/test-database.js';
import { runCli, type CliRun } from './helpers/run-cli.js';
import { corpusFile, requestJson, startTestServer, type TestServer } from './helpers/test-server.js';

const INVOICE = corpusFile('pdf/invoice/zug-intarsys-einfach.pdf');
const CLASSES = [{ name: 'invoice' }, { name: 'letter' }];

/** `docsort classify ARGS` as a user runs it. */
function runClassifyCli(args: string[]): Promise<CliRun> {
  return runCli(['classify', ...args]);
}

for (const dialect of DIALECTS) {
  describe(`one rule for every entry point, over HTTP on ${dialect}`, () => {
    let server: TestServer;
    let fileId: string;
    const api = (route: string) => `${server.url}${route}`;

    before(async () => {
      server = await startTestServer(dialect);
      const body = new FormData();
      body.append('file', new Blob([fs.readFileSync(INVOICE)]), 'invoice.pdf');
      fileId = (await requestJson(api('/v1/files'), { form: body })).body.id;
    });
    after(() => server.close());

    it('refuses an engine this installation cannot run when the classifier is saved, not when it runs', async () => {
      const saved = await requestJson(api('/v1/classifiers'), { json: { name: 'LLM', classes: CLASSES, settings: { engine: 'llm' } } });
      assert.equal(saved.status, 422, JSON.stringify(saved.body));
      assert.equal(saved.body.error, 'invalid_configuration');
      assert.match(saved.body.message, /"llm" needs a model server.*LLM_BASE_URL.*Engines available now: builtin/);
      const inline = await requestJson(api('/v1/classify_runs'), {
        json: { config: { classes: CLASSES, settings: { engine: 'llm' } }, file: { id: fileId } },
      });
      assert.equal(inline.status, 422, JSON.stringify(inline.body));
    });

    it('accepts the open-ended ranges the CLI accepts, and refuses ranges that would fail every run', async () => {
      const openEnded = await requestJson(api('/v1/classifiers'), {
        json: { name: 'From page 2', classes: CLASSES, settings: { page_range: '2-' } },
      });
      assert.equal(openEnded.status, 201, JSON.stringify(openEnded.body));
      const run = await requestJson(api('/v1/classify'), {
        json: { config: { classes: CLASSES }, file: { id: fileId }, page_range: '2-' },
      });
      assert.equal(run.status, 200, JSON.stringify(run.body));
      assert.equal(run.body.usage.pages, 1, 'the 2-page invoice from page 2 on is one page');
      for (const page_range of ['1,,3', '3-1', '0']) {
        const refused = await requestJson(api('/v1/classifiers'), { json: { name: 'Bad', classes: CLASSES, settings: { page_range } } });
        assert.equal(refused.status, 400, `${page_range}: ${JSON.stringify(refused.body)}`);
        assert.equal(refused.body.error, 'invalid_page_range');
      }
      const emptyPart = await requestJson(api('/v1/classify_runs'), {
        json: { config: { classes: CLASSES }, file: { id: fileId }, page_range: '1,,3' },
      });
      assert.equal(emptyPart.status, 400);
      assert.match(emptyPart.body.message, /empty part/);
    });

    it('refuses class names that differ only in case', async () => {
      const saved = await requestJson(api('/v1/classifiers'), {
        json: { name: 'Twice', classes: [{ name: 'Invoice' }, { name: 'invoice' }] },
      });
      assert.equal(saved.status, 422);
      assert.match(saved.body.message, /appears twice/);
    });
  });
}

describe('one rule for every entry point, on the CLI', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-rules-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses class names that differ only in case, as the API does', async () => {
    const file = path.join(dir, 'twice.json');
    fs.writeFileSync(file, JSON.stringify({ classes: [{ name: 'Invoice' }, { name: 'invoice' }] }));
    const run = await runClassifyCli([INVOICE, '--classifier', file]);
    assert.notEqual(run.code, 0, run.stderr);
    assert.match(run.stderr, /invalid_configuration: .*appears twice/);
  });

  it('refuses an engine it cannot run and a range with an empty part, as the API does', async () => {
    const file = path.join(dir, 'llm.json');
    fs.writeFileSync(file, JSON.stringify({ classes: CLASSES, settings: { engine: 'llm' } }));
    const llm = await runClassifyCli([INVOICE, '--classifier', file]);
    assert.notEqual(llm.code, 0);
    assert.match(llm.stderr, /"llm" needs a model server/);
    const emptyPart = await runClassifyCli([INVOICE, '--classes', 'invoice,letter', '--pages', '1,,3']);
    assert.notEqual(emptyPart.code, 0);
    assert.match(emptyPart.stderr, /empty part/);
  });

  it('reads the open-ended range its own messages suggest', async () => {
    const run = await runClassifyCli([INVOICE, '--classes', 'invoice,letter', '--pages', '2-', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const answer = JSON.parse(run.stdout.trim().split('\n')[0]);
    assert.equal(answer.pages.length, 1, run.stdout);
  });
});
