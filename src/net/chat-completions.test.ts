import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isAppError } from '../core/errors.js';
import type { ChatRequest } from '../core/ports.js';
import {
  answer,
  completion,
  startChatCompletionsStandIn,
  type ChatCompletionsStandIn,
} from '../../test/helpers/chat-completions-stand-in.js';
import { createChatCompletionsClient, type ChatCompletionsOptions } from './chat-completions.js';

const REQUEST: ChatRequest = {
  model: 'llama3.1:8b',
  messages: [
    { role: 'system', content: 'You classify documents.' },
    { role: 'user', content: 'Invoice no. 12' },
  ],
  schema: { name: 'classification', schema: { type: 'object', properties: { class: { type: 'string', enum: ['invoice', 'unknown'] } } } },
  maxTokens: 300,
};

/** Fast retries: the behaviour is the same, the test does not wait seconds. */
function clientFor(standIn: ChatCompletionsStandIn, options: Partial<ChatCompletionsOptions> = {}) {
  return createChatCompletionsClient({
    baseUrl: standIn.baseUrl,
    defaultModel: 'llama3.1:8b',
    timeoutMs: 5000,
    maxConcurrency: 2,
    maxInputTokens: 2000,
    retryDelaysMs: [10, 10, 10],
    ...options,
  });
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isAppError(error), `an AppError, got ${String(error)}`);
    return { code: error.code, message: error.message };
  }
  assert.fail('expected the call to fail');
}

describe('chat-completions client against the protocol stand-in', () => {
  let standIn: ChatCompletionsStandIn;
  before(async () => {
    standIn = await startChatCompletionsStandIn();
  });
  after(async () => {
    await standIn.close();
  });

  it('sends the model, temperature 0, the JSON schema, the token cap, log-probabilities and the key', async () => {
    standIn.requests.length = 0;
    standIn.answerWith(() => ({ json: completion(answer({ class: 'invoice' }), { promptTokens: 42, completionTokens: 7 }) }));
    const got = await clientFor(standIn, { apiKey: 'sk-test' }).complete(REQUEST);
    const sent = standIn.requests[0];
    assert.equal(sent.path, '/v1/chat/completions');
    assert.equal(sent.headers.authorization, 'Bearer sk-test');
    assert.equal(sent.body.model, 'llama3.1:8b');
    assert.equal(sent.body.temperature, 0);
    assert.equal(sent.body.max_tokens, 300);
    assert.equal(sent.body.response_format.type, 'json_schema');
    assert.equal(sent.body.response_format.json_schema.strict, true);
    assert.deepEqual(sent.body.response_format.json_schema.schema.properties.class.enum, ['invoice', 'unknown']);
    assert.equal(sent.body.logprobs, true);
    assert.deepEqual(sent.body.messages, REQUEST.messages);
    assert.equal(got.format, 'json_schema');
    assert.equal(JSON.parse(got.content).class, 'invoice');
    assert.equal(got.inputTokens, 42);
    assert.equal(got.outputTokens, 7);
    assert.equal(got.logprobs, null);
  });

  it('reads the log-probabilities the stand-in returns, token by token', async () => {
    standIn.answerWith(() => ({
      json: completion(answer({ class: 'invoice' }), { logprobs: true, tokenLogprob: () => ({ logprob: -0.1 }) }),
    }));
    const got = await clientFor(standIn).complete(REQUEST);
    assert.ok(got.logprobs && got.logprobs.length > 3);
    assert.equal(got.logprobs.map((token) => token.token).join(''), got.content);
    assert.equal(got.logprobs[0].logprob, -0.1);
  });

  it('retries a 429 and two 500s, then answers', async () => {
    standIn.requests.length = 0;
    standIn.answerWith((_, index) => {
      if (index === 0) return { status: 429, headers: { 'retry-after': '0' }, json: { error: { message: 'slow down' } } };
      if (index < 3) return { status: 500, json: { error: { message: 'model crashed' } } };
      return { json: completion(answer({ class: 'invoice' })) };
    });
    const got = await clientFor(standIn).complete(REQUEST);
    assert.equal(JSON.parse(got.content).class, 'invoice');
    assert.equal(standIn.requests.length, 4);
  });

  it('gives up with model_unavailable naming the server when 503s outlast the retries', async () => {
    standIn.requests.length = 0;
    standIn.answerWith(() => ({ status: 503, json: { error: { message: 'loading model' } } }));
    const failure = await rejection(clientFor(standIn).complete(REQUEST));
    assert.equal(failure.code, 'model_unavailable');
    assert.match(failure.message, new RegExp(standIn.baseUrl.replace(/[.]/g, '\\.')));
    assert.match(failure.message, /503 \(loading model\) on each of 4 attempts/);
    assert.equal(standIn.requests.length, 4);
  });

  it('abandons a slow answer after the timeout and asks again', async () => {
    standIn.requests.length = 0;
    standIn.answerWith((_, index) =>
      index === 0 ? { delayMs: 3000, json: completion(answer({ class: 'unknown' })) } : { json: completion(answer({ class: 'invoice' })) },
    );
    const got = await clientFor(standIn, { timeoutMs: 300 }).complete(REQUEST);
    assert.equal(JSON.parse(got.content).class, 'invoice');
    assert.equal(standIn.requests.length, 2);
  });

  it('asks in JSON mode when the stand-in refuses JSON schemas, and remembers it for the model', async () => {
    standIn.requests.length = 0;
    standIn.answerWith((sent) =>
      sent.body.response_format?.type === 'json_schema'
        ? { status: 400, json: { error: { message: "response_format type 'json_schema' is not supported" } } }
        : { json: completion(answer({ class: 'invoice' })) },
    );
    const client = clientFor(standIn);
    const first = await client.complete(REQUEST);
    const second = await client.complete(REQUEST);
    assert.equal(first.format, 'json_object');
    assert.equal(second.format, 'json_object');
    assert.deepEqual(
      standIn.requests.map((sent) => sent.body.response_format.type),
      ['json_schema', 'json_object', 'json_object'],
    );
  });

  it('drops log-probabilities when the stand-in refuses them', async () => {
    standIn.requests.length = 0;
    standIn.answerWith((sent) =>
      sent.body.logprobs
        ? { status: 400, json: { error: { message: 'logprobs are not supported' } } }
        : { json: completion(answer({ class: 'invoice' })) },
    );
    const got = await clientFor(standIn).complete(REQUEST);
    assert.equal(got.format, 'json_schema');
    assert.deepEqual(
      standIn.requests.map((sent) => [sent.body.response_format.type, sent.body.logprobs ?? false]),
      [
        ['json_schema', true],
        ['json_schema', false],
      ],
    );
  });

  it('says the model is not known on a 404, without retrying', async () => {
    standIn.requests.length = 0;
    standIn.answerWith(() => ({ status: 404, json: { error: { message: 'model "nope" not found, try pulling it first' } } }));
    const failure = await rejection(clientFor(standIn).complete({ ...REQUEST, model: 'nope' }));
    assert.equal(failure.code, 'model_unavailable');
    assert.match(failure.message, /does not know model "nope"/);
    assert.equal(standIn.requests.length, 1);
  });

  it('retries an answer that is not JSON, as a server error', async () => {
    standIn.requests.length = 0;
    standIn.answerWith((_, index) =>
      index === 0 ? { raw: '<html>bad gateway</html>' } : { json: completion(answer({ class: 'invoice' })) },
    );
    const got = await clientFor(standIn).complete(REQUEST);
    assert.equal(JSON.parse(got.content).class, 'invoice');
  });
});

describe('chat-completions client with no server', () => {
  it('fails with model_unavailable naming the address when nothing listens there', async () => {
    // A privileged port: no test server on this machine (they take free ephemeral ports) listens there.
    const port = 2;
    const client = createChatCompletionsClient({
      baseUrl: `http://user:secret@127.0.0.1:${port}/v1`,
      defaultModel: 'm',
      timeoutMs: 2000,
      maxConcurrency: 1,
      maxInputTokens: 2000,
      retryDelaysMs: [10],
    });
    const failure = await rejection(client.complete(REQUEST));
    assert.equal(failure.code, 'model_unavailable');
    assert.match(
      failure.message,
      new RegExp(`http://127\\.0\\.0\\.1:${port}/v1 could not be reached \\(ECONNREFUSED\\) on each of 2 attempts`),
    );
    assert.doesNotMatch(failure.message, /secret/);
  });
});
