/**
 * The evaluation in CI: a slice of text-layer PDFs from the shared corpus (no OCR, a few
 * seconds) through the real extractor and the builtin engine. Fails only if accuracy drops
 * below the recorded floor; the full numbers come from `docsort eval` (see eval/README.md).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ClassifierDefinition } from '../src/core/classifier.js';
import { createExtractor } from '../src/extract/index.js';
import { runEval } from '../eval/run-eval.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = path.resolve(repoRoot, '../shared/corpus');
const slice = path.join(repoRoot, 'test/fixtures/eval-text-pdf-slice.csv');

/** Recorded floors: measured values minus a small margin for harmless changes. */
const FLOOR = { accuracy: 0.85, macro_f1: 0.8, baseline_margin: 0.1 };

describe('evaluation on a text-PDF slice of the corpus', () => {
  const extractor = createExtractor({ threads: 1 });
  after(() => extractor.close());

  it('keeps zero-shot accuracy above the recorded floor and well above the naive baseline', async () => {
    const classifier = JSON.parse(await readFile(path.join(corpus, 'classifier.json'), 'utf8')) as ClassifierDefinition;
    const result = await runEval({ manifestPath: slice, classifier, extractor, cacheDir: null, concurrency: 1 });
    assert.equal(result.failed.length, 0, JSON.stringify(result.failed));
    assert.ok(result.documents >= 25);
    const mistakes = result.misclassified.map((m) => `${m.file}: ${m.gold} → ${m.predicted}`).join('\n');
    assert.ok(result.accuracy >= FLOOR.accuracy, `accuracy ${result.accuracy} < ${FLOOR.accuracy}\n${mistakes}`);
    assert.ok(result.macro_f1 >= FLOOR.macro_f1, `macro-F1 ${result.macro_f1} < ${FLOOR.macro_f1}`);
    assert.ok(result.accuracy - result.baseline_accuracy >= FLOOR.baseline_margin, `margin over baseline ${result.accuracy - result.baseline_accuracy}`);
    assert.ok(result.ece >= 0 && result.ece <= 1);
  });
});
