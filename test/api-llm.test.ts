/**
 * The llm and cascade engines over real HTTP on both dialects, with a real corpus file, against
 * the chat-completions protocol stand-in (a loopback server scripted per test, not a model):
 * runs that ask it, the tokens they record and `/v1/usage` sums, `query_model`, the failures
 * (PARSING_ERROR, an unreachable server), and the 422s when no model server is configured.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { answer, completion, startChatCompletionsStandIn, type ChatCompletionsStandIn } from './helpers/chat-completions-stand-in.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './helpers/test-database.js';
import { corpusFile, requestJson, startTestServer, type TestServer } from './helpers/test-server.js';

const INVOICE = corpusFile('pdf/invoice/i2d-sammy-maystone.pdf');

const CLASSES = [
  { name: 'invoice', description: 'A bill from a seller asking a customer to pay' },
  { name: 'bank_statement', description: 'A periodic statement of a bank account' },
  { name: 'letter', description: 'Correspondence with a salutation and a signature' },
];

function uploadForm(file: string): FormData {
  const body = new FormData();
  body.append('file', new Blob([fs.readFileSync(file)]), path.basename(file));
  return body;
}

/**
 * A loopback port nothing listens on: a privileged one, so no test server on this machine (they
 * all take free ephemeral ports) can be listening there.
 */
const CLOSED_PORT = 2;

for (const dialect of DIALECTS) {
  describe(`llm engine over HTTP against the protocol stand-in (${dialect})`, () => {
    let standIn: ChatCompletionsStandIn;
    let database: TestDatabase;
    let server: TestServer;
    let fileId: string;
    let classifierId: string;
    const api = (route: string) => `${server.url}${route}`;

    before(async () => {
      standIn = await startChatCompletionsStandIn();
      database = await createTestDatabase(dialect);
      server = await startTestServer(dialect, { LLM_BASE_URL: standIn.baseUrl, LLM_MODEL: 'llama3.1:8b' }, { database });
      fileId = (await requestJson(api('/v1/files'), { form: uploadForm(INVOICE) })).body.id;
    });
    after(async () => {
      await server.close();
      await database.drop();
      await standIn.close();
    });

    it('classifies with the llm engine, records its tokens and sums them in /v1/usage', async () => {
      standIn.requests.length = 0;
      standIn.answerWith(() => ({
        json: completion(answer({ class: 'invoice', confidence: 0.9, reason: 'An invoice number and a total due' }), {
          promptTokens: 812,
          completionTokens: 31,
        }),
      }));
      const created = await requestJson(api('/v1/classifiers'), { json: { name: 'Mail', classes: CLASSES, settings: { engine: 'llm' } } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      classifierId = created.body.id;
      const run = await requestJson(api('/v1/classify'), { json: { classifier: { id: classifierId }, file: { id: fileId } } });
      assert.equal(run.status, 200, JSON.stringify(run.body));
      assert.equal(run.body.status, 'PROCESSED', run.body.failure_message);
      assert.equal(run.body.output.engine, 'llm');
      assert.equal(run.body.output.classification.class, 'invoice');
      assert.ok(run.body.output.pages.every((page: { engine: string }) => page.engine === 'llm'));
      assert.equal(run.body.output.llm.confidence_source, 'stated');
      assert.equal(run.body.output.llm.calibrated, true);
      assert.deepEqual(run.body.usage.llm_tokens, { input: 812, output: 31 });
      assert.equal(run.body.usage.credits, run.body.usage.pages, 'credits per page as for any run');

      // What docsort sent: the default model, the class enum, the text of the PDF.
      const sent = standIn.requests[0];
      assert.equal(sent.body.model, 'llama3.1:8b');
      assert.deepEqual(sent.body.response_format.json_schema.schema.properties.class.enum, [
        'invoice',
        'bank_statement',
        'letter',
        'unknown',
      ]);
      assert.ok(sent.text.length > 200, 'the extracted text went in');

      const usage = await requestJson(api('/v1/usage'));
      assert.equal(usage.status, 200);
      assert.deepEqual(usage.body.totals.llm_tokens, { input: 812, output: 31 });
      assert.deepEqual(usage.body.by_classifier.find((row: { classifier_id: string }) => row.classifier_id === classifierId).llm_tokens, {
        input: 812,
        output: 31,
      });
    });

    it("uses a run's query_model over the classifier's model", async () => {
      standIn.requests.length = 0;
      standIn.answerWith(() => ({ json: completion(answer({ class: 'invoice' })) }));
      const run = await requestJson(api('/v1/classify'), {
        json: { classifier: { id: classifierId }, file: { id: fileId }, query_model: 'gpt-4o' },
      });
      assert.equal(run.body.status, 'PROCESSED', run.body.failure_message);
      assert.equal(standIn.requests[0].body.model, 'gpt-4o');
      assert.equal(run.body.output.llm.model, 'gpt-4o');
      assert.equal(run.body.query_model, 'gpt-4o');
    });

    it('runs the cascade: a page the builtin engine is sure of never reaches the model', async () => {
      standIn.requests.length = 0;
      standIn.answerWith(() => ({ json: completion(answer({ class: 'letter' })) }));
      const run = await requestJson(api('/v1/classify'), {
        json: { config: { classes: CLASSES, settings: { engine: 'cascade', cascade_below: 0.01 } }, file: { id: fileId } },
      });
      assert.equal(run.body.status, 'PROCESSED', run.body.failure_message);
      assert.equal(run.body.output.engine, 'cascade');
      assert.equal(standIn.requests.length, 0);
      assert.equal(run.body.output.pages[0].engine, 'builtin');
      assert.equal(run.body.usage.llm_tokens, null);
    });

    it('fails the run with PARSING_ERROR when the answer never parses', async () => {
      standIn.requests.length = 0;
      standIn.answerWith(() => ({ json: completion('Sure! It looks like an invoice to me.') }));
      const run = await requestJson(api('/v1/classify'), { json: { classifier: { id: classifierId }, file: { id: fileId } } });
      assert.equal(run.body.status, 'FAILED');
      assert.equal(run.body.failure_reason, 'PARSING_ERROR');
      assert.match(run.body.failure_message, /llama3\.1:8b.*did not answer with a usable classification/);
      assert.equal(standIn.requests.length, 2, 'one corrective retry');
    });

    it('answers 422 invalid_configuration for an engine that does not exist', async () => {
      const refused = await requestJson(api('/v1/classifiers'), { json: { classes: CLASSES, settings: { engine: 'openai' } } });
      assert.equal(refused.status, 422);
      assert.equal(refused.body.error, 'invalid_configuration');
      assert.match(refused.body.message, /"openai" is not available.*builtin, llm, cascade/);
    });

    it('refuses llm and cascade at once when no model server is configured', async () => {
      // The same database, served by a process with no LLM_BASE_URL: the saved llm classifier can no longer run.
      const plain = await startTestServer(dialect, {}, { database });
      try {
        const url = (route: string) => `${plain.url}${route}`;
        for (const engine of ['llm', 'cascade']) {
          const created = await requestJson(url('/v1/classifiers'), { json: { classes: CLASSES, settings: { engine } } });
          assert.equal(created.status, 422);
          assert.equal(created.body.error, 'invalid_configuration');
          assert.match(created.body.message, /needs a model server.*LLM_BASE_URL/);
          const inline = await requestJson(url('/v1/classify_runs'), {
            json: { config: { classes: CLASSES, settings: { engine } }, file: { id: fileId } },
          });
          assert.equal(inline.status, 422);
        }
        const saved = await requestJson(url('/v1/classify_runs'), { json: { classifier: { id: classifierId }, file: { id: fileId } } });
        assert.equal(saved.status, 422, JSON.stringify(saved.body));
        assert.equal(saved.body.error, 'invalid_configuration');
      } finally {
        await plain.close();
      }
    });

    it('fails the run naming the server when the model server cannot be reached', async () => {
      const port = CLOSED_PORT;
      // Its own database: the workers of the other server would take the run from a shared queue.
      const unreachable = await startTestServer(dialect, {
        LLM_BASE_URL: `http://127.0.0.1:${port}/v1`,
        LLM_MODEL: 'llama3.1:8b',
        LLM_MAX_RETRIES: '0',
      });
      try {
        const url = (route: string) => `${unreachable.url}${route}`;
        const upload = await requestJson(url('/v1/files'), { form: uploadForm(INVOICE) });
        const run = await requestJson(url('/v1/classify'), {
          json: { config: { classes: CLASSES, settings: { engine: 'llm' } }, file: { id: upload.body.id } },
        });
        assert.equal(run.body.status, 'FAILED', JSON.stringify(run.body));
        assert.equal(run.body.failure_reason, 'FAILED_TO_PROCESS_FILE');
        assert.match(run.body.failure_message, new RegExp(`model server at http://127\\.0\\.0\\.1:${port}/v1 could not be reached`));
      } finally {
        await unreachable.close();
      }
    });
  });
}
