/**
 * `docsort eval --engine llm|cascade` as a user runs it, against the chat-completions protocol
 * stand-in (a loopback server in this test, not a model): the command asks the configured
 * server once per document, reports the engine and the tokens, and without a server says what
 * to set; `docsort classify` asks the same server for a definition on the llm engine.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { answer, completion, startChatCompletionsStandIn, type ChatCompletionsStandIn } from './helpers/chat-completions-stand-in.js';
import { corpusFile } from './helpers/test-server.js';
import { runCli } from './helpers/run-cli.js';

const FILES = [
  ['pdf/invoice/i2d-sammy-maystone.pdf', 'invoice'],
  ['pdf/bank_statement/cs-chase.pdf', 'bank_statement'],
];

describe('docsort eval --engine llm against the protocol stand-in', () => {
  let standIn: ChatCompletionsStandIn;
  let folder: string;
  let manifest: string;
  before(async () => {
    standIn = await startChatCompletionsStandIn();
    folder = await mkdtemp(path.join(tmpdir(), 'docsort-eval-llm-'));
    manifest = path.join(folder, 'manifest.csv');
    await writeFile(manifest, ['file,label', ...FILES.map(([file, label]) => `${corpusFile(file)},${label}`)].join('\n'));
  });
  after(async () => {
    await standIn.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('asks the configured server once per document and reports the engine and tokens', async () => {
    // The stand-in says invoice for the page that says so, bank_statement otherwise.
    standIn.answerWith((sent) => ({
      json: completion(
        answer({ class: /invoice/i.test(sent.text.split('Classify this document')[1] ?? '') ? 'invoice' : 'bank_statement' }),
        {
          promptTokens: 500,
          completionTokens: 20,
        },
      ),
    }));
    const run = await runCli(
      ['eval', manifest, '--classifier', corpusFile('classifier.json'), '--engine', 'llm', '--model', 'qwen2.5:7b', '--no-cache', '--json'],
      { env: { LLM_BASE_URL: standIn.baseUrl, LLM_MODEL: 'llama3.1:8b' } },
    );
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(result.engine, 'llm');
    assert.equal(result.documents, 2);
    assert.deepEqual(result.llm, { calls: 2, pages: result.pages, input_tokens: 1000, output_tokens: 40 });
    assert.equal(standIn.requests.length, 2);
    assert.ok(standIn.requests.every((sent) => sent.body.model === 'qwen2.5:7b'));
    assert.equal(result.accuracy, 1);
  });

  it('docsort classify runs a definition on the llm engine through the same server', async () => {
    standIn.requests.length = 0;
    standIn.answerWith(() => ({ json: completion(answer({ class: 'invoice', reason: 'a total due' })) }));
    const definition = path.join(folder, 'llm.json');
    await writeFile(definition, JSON.stringify({ classes: [{ name: 'invoice' }, { name: 'letter' }], settings: { engine: 'llm' } }));
    const run = await runCli(['classify', corpusFile(FILES[0][0]), '--classifier', definition, '--json'], {
      env: { LLM_BASE_URL: standIn.baseUrl, LLM_MODEL: 'llama3.1:8b' },
    });
    assert.equal(run.code, 0, run.stderr);
    const output = JSON.parse(run.stdout.trim().split('\n')[0]);
    assert.equal(output.engine, 'llm');
    assert.equal(output.classification.class, 'invoice');
    assert.equal(standIn.requests.length, 1);
  });

  it('says which variables to set when no model server is configured', async () => {
    const run = await runCli(['eval', manifest, '--classifier', corpusFile('classifier.json'), '--engine', 'cascade', '--no-cache']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /the cascade engine needs a model server: set LLM_BASE_URL and LLM_MODEL/);
  });
});
