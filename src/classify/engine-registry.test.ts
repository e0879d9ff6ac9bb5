import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../core/errors.js';
import { validateClassifierDefinition } from '../core/validate-classifier.js';
import { AVAILABLE_ENGINES, engineNamed } from './engine-registry.js';

describe('engineNamed', () => {
  it('gives the builtin engine when none is named', () => {
    assert.equal(engineNamed(undefined), engineNamed('builtin'));
  });

  it('refuses an engine it does not have with the words the validator uses on save', () => {
    const fromValidator = captureError(() =>
      validateClassifierDefinition({ classes: [{ name: 'invoice' }], settings: { engine: 'openai' } }, AVAILABLE_ENGINES),
    );
    const fromRegistry = captureError(() => engineNamed('openai'));
    assert.equal(fromRegistry.code, 'invalid_configuration');
    assert.equal(fromRegistry.message, fromValidator.message);
    assert.match(fromRegistry.message, /^settings\.engine "openai" is not available in this installation; use one of: builtin\.$/);
  });

  it('says that the llm engines need a model server, and how the operator gives one', () => {
    const refused = captureError(() => engineNamed('cascade'));
    assert.equal(refused.code, 'invalid_configuration');
    assert.match(refused.message, /"cascade" needs a model server.*LLM_BASE_URL and LLM_MODEL \(see docs\/llm\.md\)/);
  });
});

function captureError(action: () => unknown): AppError {
  try {
    action();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  assert.fail('expected an AppError');
}
