import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distributeAnswer, calibrateDistribution } from './llm-confidence.js';
import { fitTexts } from './llm-prompt.js';
import { readLlmAnswer } from './read-llm-answer.js';

const CLASSES = ['invoice', 'receipt', 'letter'];
const LABELS = [...CLASSES, 'unknown'];

describe('reading a model answer', () => {
  it('reads the JSON object out of prose and code fences', () => {
    const read = readLlmAnswer(
      'Here you go:\n```json\n{"class": "invoice", "confidence": 0.8, "reason": "a total due"}\n```',
      CLASSES,
      false,
    );
    assert.ok(read.ok);
    assert.equal(read.answer.class, 'invoice');
    assert.equal(read.answer.confidence, 0.8);
  });

  it('says what is wrong with an answer it cannot use', () => {
    const cases: Array<[string, RegExp]> = [
      ['no json here', /no JSON object/],
      ['{"class": 3}', /"class" must be one of/],
      ['{"class": "memo"}', /"memo", which is not one of \["invoice","receipt","letter","unknown"\]/],
      ['{"class": "invoice", "confidence": 7}', /"confidence" must be a number from 0 to 1/],
    ];
    for (const [content, problem] of cases) {
      const read = readLlmAnswer(content, CLASSES, false);
      assert.ok(!read.ok, content);
      assert.match(read.problem, problem);
    }
    const split = readLlmAnswer('{"class": "invoice", "confidence": 0.5, "reason": ""}', CLASSES, true);
    assert.ok(!split.ok);
    assert.match(split.problem, /starts_new_document/);
  });

  it('gives the stated confidence to the class and shares the rest, then flattens it', () => {
    const content = '{"class":"receipt","confidence":0.95,"reason":"paid"}';
    const read = readLlmAnswer(content, CLASSES, false);
    assert.ok(read.ok);
    const { probabilities, source } = distributeAnswer(read.answer, content, null, LABELS);
    assert.equal(source, 'stated');
    const total = Object.values(probabilities).reduce((sum, value) => sum + value, 0);
    assert.ok(Math.abs(total - 1) < 1e-9);
    assert.ok(probabilities.receipt < 0.95 && probabilities.receipt > 0.6, String(probabilities.receipt));
    assert.equal(probabilities.invoice, probabilities.letter);
  });

  it('falls back to the stated confidence when the tokens do not spell the answer', () => {
    const content = '{"class":"invoice","confidence":0.9,"reason":"x"}';
    const read = readLlmAnswer(content, CLASSES, false);
    assert.ok(read.ok);
    const { source } = distributeAnswer(read.answer, content, [{ token: 'something else', logprob: -0.1, top: [] }], LABELS);
    assert.equal(source, 'stated');
  });

  it('keeps every label possible after calibration', () => {
    const calibrated = calibrateDistribution({ invoice: 1, receipt: 0, letter: 0, unknown: 0 }, 1.5);
    assert.ok(calibrated.receipt > 0 && calibrated.invoice < 1);
  });
});

describe('fitting page texts to a budget', () => {
  it('gives a short text what it needs and the rest to the long ones', () => {
    const [short, long1, long2] = fitTexts(['abc', 'x'.repeat(1000), 'y'.repeat(1000)], 503);
    assert.equal(short, 'abc');
    assert.equal(long1, `${'x'.repeat(250)} […]`);
    assert.equal(long2, `${'y'.repeat(250)} […]`);
  });
});
