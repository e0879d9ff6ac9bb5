/**
 * The `Classifier` port of src/core/ports.ts on the calling thread, with its own model cache:
 * for tools and tests that have no event loop to keep free. The service uses the pool
 * (`createPooledClassifier`), which runs the same code off the event loop.
 */
import { ENGINE_NAMES, type ClassificationOutput, type ClassifierDefinition } from '../core/classifier.js';
import type { Page } from '../core/document.js';
import type { ChatModel, Classifier, ClassifyRequest } from '../core/ports.js';
import { classifyPagesSync, describeExample, scorePages, trainClassifierModel } from './classify-pages.js';
import { AVAILABLE_ENGINES } from './engine-registry.js';
import { classifyWithModelServer, usesModelServer } from './llm/classify-with-model-server.js';
import { LearnedModelCache } from './model-cache.js';

export interface InProcessClassifierOptions {
  /** A model server: with it the `llm` and `cascade` engines are available. */
  chat?: ChatModel | null;
}

/** The classifier the cascade's first stage (and the learned layer) runs: the same one on the builtin engine. */
export function onBuiltinEngine(classifier: ClassifierDefinition): ClassifierDefinition {
  return { ...classifier, settings: { ...classifier.settings, engine: 'builtin' } };
}

export function createClassifier(options: InProcessClassifierOptions = {}): Classifier {
  const models = new LearnedModelCache(trainClassifierModel);
  const chat = options.chat ?? null;

  const modelFor = async (request: ClassifyRequest, classifier: ClassifierDefinition) => {
    let examples = request.examples;
    if (request.loadExamples && examples === undefined && !models.knows(request.cacheKey)) examples = await request.loadExamples();
    return models.modelFor({ classifier, examples, cacheKey: request.cacheKey, rememberEmpty: request.loadExamples !== undefined });
  };

  return {
    availableEngines: chat ? ENGINE_NAMES : AVAILABLE_ENGINES,
    async classifyPages(pages: Page[], request: ClassifyRequest): Promise<ClassificationOutput> {
      if (chat && usesModelServer(request.classifier)) {
        return classifyWithModelServer(pages, request.classifier, {
          chat,
          pageImage: request.pageImage,
          // The llm engine alone never reads the examples; the cascade's builtin stage does.
          scoreBuiltin: async (all, classifier) => scorePages(all, classifier, await modelFor(request, classifier)).scores,
        });
      }
      return classifyPagesSync(pages, request, await modelFor(request, request.classifier));
    },
    describeExample,
    async close() {
      models.clear();
    },
  };
}
