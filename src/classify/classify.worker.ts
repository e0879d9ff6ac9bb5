/**
 * A classification thread's entry point: scoring pages and training the learned layer run here
 * so the main thread's event loop stays free. Each thread keeps the models it trained; the pool
 * sends a classifier's runs to the same thread (`classifier-pool.ts`), so a model is trained
 * once per example revision. Expected failures come back as values, because error classes and
 * codes do not survive the thread boundary.
 */
import type { ClassificationOutput, ClassifierDefinition, TrainingExample } from '../core/classifier.js';
import type { Page } from '../core/document.js';
import { isAppError } from '../core/errors.js';
import { workerData } from 'piscina';
import { classifyPagesSync, scorePages, trainClassifierModel } from './classify-pages.js';
import type { PageScores } from './engine.js';
import { DEFAULT_MODELS_KEPT, LearnedModelCache } from './model-cache.js';

export interface ClassifyThreadData {
  modelsKept: number;
}

export type ClassifyTask =
  | {
      /** `classify`: the whole output; `score`: the page scores alone, for the cascade's builtin stage. */
      kind: 'classify' | 'score';
      pages: Page[];
      classifier: ClassifierDefinition;
      cacheKey?: string;
      /** Left out when the caller reads them on demand: the thread asks for them if it has no model. */
      examples?: TrainingExample[];
      /** The caller can read the examples on demand (`loadExamples`). */
      canLoadExamples: boolean;
    }
  | { kind: 'warm-up' };

export type ClassifyTaskResult =
  | { ok: true; output: ClassificationOutput }
  | { ok: true; scores: PageScores[] }
  | { ok: false; needsExamples: true }
  | {
      ok: false;
      needsExamples?: false;
      error: { code: string; message: string /** A bug rather than bad input: the pool logs it. */; unexpected: boolean; stack?: string };
    };

/** This thread's models: one thread is one cache, as one in-process classifier is. */
const models = new LearnedModelCache(
  trainClassifierModel,
  (workerData as ClassifyThreadData | undefined)?.modelsKept ?? DEFAULT_MODELS_KEPT,
);

/** A small classification that compiles the knowledge pack and the engine, so the first real one does not. */
const WARM_UP_CLASSIFIER: ClassifierDefinition = { classes: [{ name: 'invoice' }, { name: 'letter' }] };
const WARM_UP_PAGE: Page = {
  page: 0,
  source: 'text',
  text: 'Invoice\nTotal due',
  lines: [
    { text: 'Invoice', x0: 0.1, y0: 0.1, x1: 0.4, y1: 0.15, size: 18 },
    { text: 'Total due', x0: 0.1, y0: 0.5, x1: 0.4, y1: 0.55, size: 10 },
  ],
  width: 612,
  height: 792,
  rotation: 0,
  ocr_confidence: null,
};

function classify(task: Extract<ClassifyTask, { kind: 'classify' | 'score' }>): ClassifyTaskResult {
  const request = { classifier: task.classifier, examples: task.examples, cacheKey: task.cacheKey };
  if (task.canLoadExamples && task.examples === undefined && !models.knows(task.cacheKey)) return { ok: false, needsExamples: true };
  const model = models.modelFor({ ...request, rememberEmpty: task.canLoadExamples });
  if (task.kind === 'score') return { ok: true, scores: scorePages(task.pages, task.classifier, model).scores };
  return { ok: true, output: classifyPagesSync(task.pages, request, model) };
}

export default function runTask(task: ClassifyTask): ClassifyTaskResult {
  try {
    if (task.kind === 'warm-up') return { ok: true, output: classifyPagesSync([WARM_UP_PAGE], { classifier: WARM_UP_CLASSIFIER }, null) };
    return classify(task);
  } catch (error) {
    if (isAppError(error)) return { ok: false, error: { code: error.code, message: error.message, unexpected: false } };
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: { code: 'internal_error', message, unexpected: true, stack: error instanceof Error ? error.stack : undefined },
    };
  }
}
