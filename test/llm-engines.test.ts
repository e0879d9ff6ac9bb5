/**
 * The llm and cascade engines end to end through the real chat-completions client, against the
 * protocol stand-in (a loopback server scripted per test, not a model): what docsort sends and
 * what it makes of each kind of answer.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ClassifierDefinition } from '../src/core/classifier.js';
import { isAppError } from '../src/core/errors.js';
import type { Page } from '../src/core/document.js';
import { buildPages } from './helpers/build-test-pages.js';
import {
  answer,
  completion,
  startChatCompletionsStandIn,
  type ChatCompletionsStandIn,
  type SentRequest,
} from './helpers/chat-completions-stand-in.js';
import { createChatCompletionsClient } from '../src/net/chat-completions.js';
import { createClassifier } from '../src/classify/in-process-classifier.js';
import { sureness } from '../src/classify/llm/classify-with-model-server.js';

const CLASSES: ClassifierDefinition['classes'] = [
  { name: 'invoice', description: 'A bill asking a customer to pay', keywords: ['total due'] },
  { name: 'receipt', description: 'Proof that a payment was made' },
  { name: 'letter', description: 'Correspondence with a salutation and a signature' },
];

function classifierOn(engine: string, settings: ClassifierDefinition['settings'] = {}): ClassifierDefinition {
  return { classes: CLASSES, settings: { engine, ...settings } };
}

const INVOICE_PAGE = ['INVOICE', 'Invoice number: 2024-118', 'Bill to: a customer', 'Total due: 1,240.00 EUR', 'Payment terms: 30 days'];
const LETTER_PAGE = [
  'Dear Ms Smith,',
  'Thank you for your letter of 3 May.',
  'We will reply in full next week.',
  'Yours sincerely,',
  'J. Doe',
];
const VAGUE_PAGE = ['Notes', 'see the attached pages', 'ref 77'];

function sumOf(scores: Record<string, number>): number {
  return Object.values(scores).reduce((sum, value) => sum + value, 0);
}

/** Which page a page-mode question is about: "Classify page N of M". */
function askedPage(sent: SentRequest): number {
  return Number(/Classify page (\d+) of/.exec(sent.text)?.[1] ?? 0) - 1;
}

describe('llm and cascade engines against the chat-completions protocol stand-in', () => {
  let standIn: ChatCompletionsStandIn;
  let classifier: ReturnType<typeof createClassifier>;
  const classify = (pages: Page[], definition: ClassifierDefinition, pageImage?: (page: number) => Promise<Buffer>) =>
    classifier.classifyPages(pages, { classifier: definition, pageImage });

  before(async () => {
    standIn = await startChatCompletionsStandIn();
    classifier = createClassifier({
      chat: createChatCompletionsClient({
        baseUrl: standIn.baseUrl,
        defaultModel: 'llama3.1:8b',
        timeoutMs: 5000,
        maxConcurrency: 2,
        maxInputTokens: 1500,
        retryDelaysMs: [10],
      }),
    });
  });
  after(async () => {
    await classifier.close();
    await standIn.close();
  });
  beforeEach(() => {
    standIn.requests.length = 0;
  });

  it('sends the class enum with unknown, the page texts and the token cap, and reads the stated answer', async () => {
    standIn.answerWith(() => ({
      json: completion(answer({ class: 'invoice', confidence: 0.95, reason: 'It asks for a total due' }), {
        promptTokens: 310,
        completionTokens: 25,
      }),
    }));
    const output = await classify(buildPages([{ lines: INVOICE_PAGE }, { lines: ['Page 2', 'Item list continues'] }]), classifierOn('llm'));
    assert.equal(standIn.requests.length, 1, 'document mode asks once for the whole document');
    const sent = standIn.requests[0].body;
    assert.equal(sent.model, 'llama3.1:8b');
    assert.equal(sent.temperature, 0);
    assert.equal(sent.max_tokens, 300);
    assert.deepEqual(sent.response_format.json_schema.schema.properties.class.enum, ['invoice', 'receipt', 'letter', 'unknown']);
    assert.match(standIn.requests[0].text, /Invoice number: 2024-118/);
    assert.match(standIn.requests[0].text, /Item list continues/);
    assert.match(standIn.requests[0].text, /A bill asking a customer to pay/);

    assert.equal(output.engine, 'llm');
    assert.equal(output.classification.class, 'invoice');
    assert.ok(Math.abs(sumOf(output.confidence_scores) - 1) < 0.001);
    assert.deepEqual(Object.keys(output.confidence_scores).sort(), ['invoice', 'letter', 'receipt', 'unknown']);
    // Calibrated: a stated 0.95 is reported lower, still well above the rest.
    assert.ok(output.classification.confidence < 0.95 && output.classification.confidence > 0.5);
    assert.match(output.classification.reason, /llama3\.1:8b.*'invoice'.*total due/i);
    assert.deepEqual(
      output.pages.map((page) => [page.class, page.engine]),
      [
        ['invoice', 'llm'],
        ['invoice', 'llm'],
      ],
    );
    assert.deepEqual(output.llm, {
      model: 'llama3.1:8b',
      confidence_source: 'stated',
      calibrated: true,
      calls: 1,
      pages: [0, 1],
      input_tokens: 310,
      output_tokens: 25,
    });
  });

  it('cuts long page texts to the call budget', async () => {
    standIn.answerWith(() => ({ json: completion(answer({ class: 'letter' })) }));
    const long = Array.from({ length: 4000 }, (_, index) => `line ${index} of a very long letter`);
    await classify(buildPages([{ lines: long }, { lines: long }]), classifierOn('llm'));
    const sent = standIn.requests[0];
    // 1500 tokens at about 4 characters each, system prompt included.
    assert.ok(sent.text.length <= 1500 * 4 + 400, `sent ${sent.text.length} characters`);
    assert.match(sent.text, /line 0 of a very long letter/);
    assert.match(sent.text, /\[…\]/);
    assert.doesNotMatch(sent.text, /line 3999 /);
  });

  it('takes confidences from log-probabilities: the runner-up token speaks for its class', async () => {
    standIn.answerWith(() => ({
      json: completion(answer({ class: 'invoice' }), {
        logprobs: true,
        tokenLogprob: (token) =>
          token === 'invo' ? { logprob: Math.log(0.6), top: [{ token: 'rece', logprob: Math.log(0.35) }] } : undefined,
      }),
    }));
    const output = await classify(buildPages([{ lines: INVOICE_PAGE }]), classifierOn('llm'));
    assert.equal(output.llm?.confidence_source, 'logprobs');
    assert.equal(output.classification.class, 'invoice');
    assert.ok(output.confidence_scores.receipt > output.confidence_scores.letter * 2, JSON.stringify(output.confidence_scores));
    assert.ok(output.confidence_scores.invoice > output.confidence_scores.receipt);
  });

  it('corrects a malformed answer with one retry that says what was wrong', async () => {
    standIn.answerWith((_, index) =>
      index === 0
        ? { json: completion('{"class": "invoice", "confidence": 0.9, "reason": "cut off') }
        : { json: completion(answer({ class: 'invoice' })) },
    );
    const output = await classify(buildPages([{ lines: INVOICE_PAGE }]), classifierOn('llm'));
    assert.equal(output.classification.class, 'invoice');
    assert.equal(output.llm?.calls, 2);
    const retry = standIn.requests[1].body.messages;
    assert.equal(retry.length, 4);
    assert.equal(retry[2].role, 'assistant');
    assert.match(retry[3].content, /cannot be used: it holds no JSON object/);
  });

  it('corrects an answer naming a class the classifier does not have', async () => {
    standIn.answerWith((_, index) =>
      index === 0 ? { json: completion(answer({ class: 'purchase_order' })) } : { json: completion(answer({ class: 'Receipt' })) },
    );
    const output = await classify(buildPages([{ lines: INVOICE_PAGE }]), classifierOn('llm'));
    assert.match(standIn.requests[1].text, /"purchase_order", which is not one of/);
    // The class name in another case is still the class.
    assert.equal(output.classification.class, 'receipt');
  });

  it('fails with model_output_invalid when the answer never parses', async () => {
    standIn.answerWith(() => ({ json: completion('I think this is an invoice.') }));
    await assert.rejects(classify(buildPages([{ lines: INVOICE_PAGE }]), classifierOn('llm')), (error: unknown) => {
      assert.ok(isAppError(error));
      assert.equal(error.code, 'model_output_invalid');
      assert.match(error.message, /llama3\.1:8b.*127\.0\.0\.1.*I think this is an invoice/);
      return true;
    });
    assert.equal(standIn.requests.length, 2);
  });

  it('answers unknown when the model says nothing fits', async () => {
    standIn.answerWith(() => ({
      json: completion(answer({ class: 'unknown', confidence: 0.9, reason: 'A recipe, not a business document' })),
    }));
    const output = await classify(buildPages([{ lines: ['Pancakes', '200 g flour', '2 eggs'] }]), classifierOn('llm'));
    assert.equal(output.classification.class, 'unknown');
    assert.match(output.classification.reason, /recipe/);
  });

  it('uses settings.model over the default model', async () => {
    standIn.answerWith(() => ({ json: completion(answer({ class: 'invoice' })) }));
    const output = await classify(buildPages([{ lines: INVOICE_PAGE }]), classifierOn('llm', { model: 'gpt-4o-mini' }));
    assert.equal(standIn.requests[0].body.model, 'gpt-4o-mini');
    assert.equal(output.llm?.model, 'gpt-4o-mini');
  });

  it('page mode asks per page with the neighbouring pages as context', async () => {
    standIn.answerWith((sent) => ({ json: completion(answer({ class: askedPage(sent) === 1 ? 'letter' : 'invoice' })) }));
    const pages = buildPages([{ lines: INVOICE_PAGE }, { lines: LETTER_PAGE }, { lines: ['INVOICE', 'Invoice number: 2024-119'] }]);
    const output = await classify(pages, classifierOn('llm', { mode: 'page' }));
    assert.equal(standIn.requests.length, 3);
    const middle = standIn.requests.find((sent) => askedPage(sent) === 1);
    assert.ok(middle);
    assert.match(
      middle.text,
      /page 1 \(context only\)[\s\S]*2024-118[\s\S]*page 2 \(classify this page\)[\s\S]*Dear Ms Smith[\s\S]*page 3 \(context only\)[\s\S]*2024-119/,
    );
    assert.equal(middle.body.response_format.json_schema.schema.properties.starts_new_document, undefined);
    assert.deepEqual(
      output.pages.map((page) => page.class),
      ['invoice', 'letter', 'invoice'],
    );
  });

  it('split mode asks whether each page starts a new document, and segments follow', async () => {
    standIn.answerWith((sent) => {
      const page = askedPage(sent);
      return { json: completion(answer({ class: page === 2 ? 'letter' : 'invoice', starts_new_document: page !== 1 })) };
    });
    const pages = buildPages([{ lines: INVOICE_PAGE }, { lines: ['Items, continued', 'Widget 4 x 10.00'] }, { lines: LETTER_PAGE }]);
    const output = await classify(pages, classifierOn('llm', { mode: 'split' }));
    assert.deepEqual(standIn.requests[0].body.response_format.json_schema.schema.required, [
      'class',
      'confidence',
      'reason',
      'starts_new_document',
    ]);
    assert.deepEqual(
      output.segments.map((segment) => [segment.class, segment.first_page, segment.last_page]),
      [
        ['invoice', 0, 1],
        ['letter', 2, 2],
      ],
    );
  });

  it('cascade sends only the pages the builtin engine is unsure of, and says which engine decided each', async () => {
    const pages = buildPages([{ lines: INVOICE_PAGE }, { lines: VAGUE_PAGE }, { lines: LETTER_PAGE }]);
    const below = 0.6;
    const builtin = await createClassifier().classifyPages(pages, { classifier: classifierOn('builtin', { mode: 'page' }) });
    const unsure = builtin.pages
      .filter((page) => sureness(page.confidence_scores ?? {}, classifierOn('builtin')) < below)
      .map((page) => page.page);
    assert.ok(unsure.includes(1), 'the vague page is one the builtin engine is unsure of');
    assert.ok(unsure.length < pages.length, 'and some page it is sure of');
    standIn.answerWith(() => ({ json: completion(answer({ class: 'receipt' })) }));
    const output = await classify(pages, classifierOn('cascade', { mode: 'page', cascade_below: below }));
    assert.deepEqual(standIn.requests.map(askedPage).sort(), unsure);
    assert.equal(output.engine, 'cascade');
    for (const page of output.pages) assert.equal(page.engine, unsure.includes(page.page) ? 'llm' : 'builtin');
    assert.equal(output.pages[1].class, 'receipt');
    assert.deepEqual(output.llm?.pages, unsure);
  });

  it('cascade leaves a document the builtin engine is sure of alone', async () => {
    const output = await classify(buildPages([{ lines: INVOICE_PAGE }]), classifierOn('cascade', { cascade_below: 0.05 }));
    assert.equal(standIn.requests.length, 0);
    assert.equal(output.engine, 'cascade');
    assert.equal(output.llm, undefined);
    assert.deepEqual(
      output.pages.map((page) => page.engine),
      ['builtin'],
    );
  });

  it('cascade asks about a whole document the builtin engine is unsure of', async () => {
    standIn.answerWith(() => ({ json: completion(answer({ class: 'letter' })) }));
    const output = await classify(buildPages([{ lines: VAGUE_PAGE }]), classifierOn('cascade', { cascade_below: 0.99 }));
    assert.equal(standIn.requests.length, 1);
    assert.equal(output.classification.class, 'letter');
    assert.equal(output.pages[0].engine, 'llm');
  });

  it('sends page images only when vision is on', async () => {
    standIn.answerWith(() => ({ json: completion(answer({ class: 'invoice' })) }));
    const image = async () => Buffer.from('png bytes');
    await classify(buildPages([{ lines: INVOICE_PAGE }]), classifierOn('llm'), image);
    assert.equal(typeof standIn.requests[0].body.messages[1].content, 'string', 'no image without LLM_VISION');

    const seeing = createClassifier({
      chat: createChatCompletionsClient({
        baseUrl: standIn.baseUrl,
        defaultModel: 'llava',
        timeoutMs: 5000,
        maxConcurrency: 1,
        maxInputTokens: 1500,
        vision: true,
      }),
    });
    await seeing.classifyPages(buildPages([{ lines: INVOICE_PAGE }]), { classifier: classifierOn('llm'), pageImage: image });
    const content = standIn.requests[1].body.messages[1].content;
    assert.equal(content[0].type, 'text');
    assert.equal(content[1].image_url.url, `data:image/png;base64,${Buffer.from('png bytes').toString('base64')}`);
    await seeing.close();
  });
});

describe('llm engine without a model server', () => {
  it('refuses the llm and cascade engines with invalid_configuration naming LLM_BASE_URL', async () => {
    const classifier = createClassifier();
    assert.deepEqual(classifier.availableEngines, ['builtin']);
    for (const engine of ['llm', 'cascade']) {
      await assert.rejects(
        classifier.classifyPages(buildPages([{ lines: INVOICE_PAGE }]), { classifier: classifierOn(engine) }),
        (error: unknown) => isAppError(error) && error.code === 'invalid_configuration' && /LLM_BASE_URL/.test(error.message),
      );
    }
  });
});
