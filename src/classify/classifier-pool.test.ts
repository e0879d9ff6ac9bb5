import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ClassifierDefinition, TrainingExample } from '../core/classifier.js';
import { AppError } from '../core/errors.js';
import { buildPage } from '../../test/helpers/build-test-pages.js';
import { createPooledClassifier } from './classifier-pool.js';
import { createClassifier } from './in-process-classifier.js';

const CLASSIFIER: ClassifierDefinition = { classes: [{ name: 'alpha' }, { name: 'beta' }] };
const EXAMPLES: TrainingExample[] = [1, 2, 3, 4, 5].flatMap((n) => [
  { class: 'alpha', pages: [`zorblat quantum ledger ${n} frobnication widget sprocket`] },
  { class: 'beta', pages: [`meadow harvest tractor ${n} barley orchard silo`] },
]);
const PAGE = buildPage(0, { lines: ['frobnication widget report', 'zorblat quantum sprocket'] });

describe('createPooledClassifier', () => {
  const pool = createPooledClassifier({ threads: 2 });
  after(() => pool.close());

  it('answers what the in-process classifier answers, trained or not', async () => {
    const local = createClassifier();
    assert.deepEqual(
      await pool.classifyPages([PAGE], { classifier: CLASSIFIER }),
      await local.classifyPages([PAGE], { classifier: CLASSIFIER }),
    );
    const taught = await pool.classifyPages([PAGE], { classifier: CLASSIFIER, examples: EXAMPLES });
    assert.equal(taught.classification.class, 'alpha');
    assert.deepEqual(taught, await local.classifyPages([PAGE], { classifier: CLASSIFIER, examples: EXAMPLES }));
  });

  it("reads a saved classifier's examples once per cache key, also for runs that arrive together", async () => {
    let reads = 0;
    const loadExamples = async () => {
      reads++;
      return EXAMPLES;
    };
    const key = `test:${Math.random()}`;
    const outputs = await Promise.all(
      [1, 2, 3, 4].map(() => pool.classifyPages([PAGE], { classifier: CLASSIFIER, loadExamples, cacheKey: key })),
    );
    assert.equal(reads, 1);
    for (const output of outputs) assert.deepEqual(output, outputs[0]);
    assert.equal(outputs[0].classification.class, 'alpha');
    await pool.classifyPages([PAGE], { classifier: CLASSIFIER, loadExamples, cacheKey: key });
    assert.equal(reads, 1);
    await pool.classifyPages([PAGE], { classifier: CLASSIFIER, loadExamples, cacheKey: `${key}:next` });
    assert.equal(reads, 2);
  });

  it('does not ask a classifier without examples for them again', async () => {
    let reads = 0;
    const loadNone = async () => {
      reads++;
      return [];
    };
    const key = `test:${Math.random()}:empty`;
    for (let i = 0; i < 3; i++) await pool.classifyPages([PAGE], { classifier: CLASSIFIER, loadExamples: loadNone, cacheKey: key });
    assert.equal(reads, 1);
  });

  it('keeps the error code of a definition it cannot run', async () => {
    await assert.rejects(
      pool.classifyPages([], { classifier: { classes: [] } }),
      (error: unknown) => error instanceof AppError && error.code === 'invalid_configuration',
    );
  });

  it('refuses work once closed', async () => {
    const closed = createPooledClassifier({ threads: 1 });
    await closed.warmUp?.();
    await closed.close();
    await assert.rejects(
      closed.classifyPages([PAGE], { classifier: CLASSIFIER }),
      (error: unknown) => error instanceof AppError && error.code === 'service_unavailable',
    );
  });
});
