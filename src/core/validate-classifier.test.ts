import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClassifierDefinition } from './classifier.js';
import { validateClassifierDefinition } from './validate-classifier.js';

const ENGINES = ['builtin'];
const valid = (settings: ClassifierDefinition['settings'] = {}): ClassifierDefinition => ({
  classes: [{ name: 'invoice' }, { name: 'receipt' }],
  settings,
});

function refusal(definition: unknown): { code: string; message: string } | null {
  try {
    validateClassifierDefinition(definition as ClassifierDefinition, ENGINES);
    return null;
  } catch (error) {
    return error as { code: string; message: string };
  }
}

describe('the classifier validator', () => {
  it('accepts a definition with the page-range grammar of every other entry point', () => {
    for (const page_range of ['1', '1-3,5', '2-', '-3']) assert.equal(refusal(valid({ page_range })), null, page_range);
  });

  it('refuses page ranges that would fail every run', () => {
    for (const page_range of ['0', '3-1', '1,,3', 'first'])
      assert.equal(refusal(valid({ page_range }))?.code, 'invalid_page_range', page_range);
  });

  it('refuses class names that differ only in case, and the reserved name in any case', () => {
    assert.match(refusal({ classes: [{ name: 'Invoice' }, { name: 'invoice' }] })?.message ?? '', /appears twice/);
    assert.match(refusal({ classes: [{ name: 'Unknown' }] })?.message ?? '', /reserved/);
  });

  it('refuses class names that differ only in Unicode form or invisible characters', () => {
    for (const [a, b] of [
      ['invoice', 'inv\u200boice'],
      ['invoice', 'ｉｎｖｏｉｃｅ'],
      ['café', 'cafe\u0301'],
      ['invoice', '\ufeffinvoice\u2060'],
    ])
      assert.match(refusal({ classes: [{ name: a }, { name: b }] })?.message ?? '', /appears twice/, `${a} / ${b}`);
    assert.match(refusal({ classes: [{ name: 'invoice' }, { name: '\u200b\u200d' }] })?.message ?? '', /classes\[1\]\.name is empty/);
    assert.equal(refusal({ classes: [{ name: 'invoice' }, { name: 'invoices' }, { name: 'Rechnung' }] }), null);
  });

  it('refuses an engine the registry does not have, naming the ones it has', () => {
    const refused = refusal(valid({ engine: 'openai' }));
    assert.equal(refused?.code, 'invalid_configuration');
    assert.match(refused?.message ?? '', /"openai" is not available.*builtin/);
    assert.equal(validateClassifierDefinition(valid({ engine: 'llm' }), ['builtin', 'llm']), undefined);
    assert.match(refusal(valid({ engine: 'llm' }))?.message ?? '', /"llm" needs a model server/);
  });

  it('refuses a cascade_below outside 0..1 and an empty model', () => {
    assert.match(refusal(valid({ cascade_below: 1.5 }))?.message ?? '', /cascade_below must be between 0 and 1/);
    assert.match(refusal(valid({ model: ' ' }))?.message ?? '', /settings\.model must be a model name/);
  });

  it('refuses what a hand-written JSON file can get wrong', () => {
    for (const bad of [
      null,
      {},
      { classes: [] },
      { classes: 'invoice' },
      { classes: [{}] },
      { classes: [{ name: 3 }] },
      { classes: [{ name: ' ' }] },
    ]) {
      assert.equal(refusal(bad)?.code, 'invalid_configuration', JSON.stringify(bad));
    }
    assert.equal(refusal(valid({ threshold: 1.5 }))?.code, 'invalid_configuration');
    assert.equal(refusal(valid({ max_pages: 0 }))?.code, 'invalid_configuration');
    assert.equal(refusal(valid({ mode: 'pages' as never }))?.code, 'invalid_configuration');
  });
});
