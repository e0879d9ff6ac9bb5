/** The classification stage's public API. */
export { createPooledClassifier, type ClassifierPoolOptions } from './classifier-pool.js';
export { createClassifier, type InProcessClassifierOptions } from './in-process-classifier.js';
export { classifyWithModelServer, usesModelServer, type ModelServerContext } from './llm/classify-with-model-server.js';
export {
  classifyPagesSync,
  describeExample,
  trainClassifierModel,
  scorePages,
  deriveOutput,
  decideLabel,
  validateClassifier,
  DEFAULT_THRESHOLD,
} from './classify-pages.js';
export { trainLearnedModel, LEARNED_MODEL_VERSION, type LearnedModel } from './learned/learned-model.js';
export { KNOWLEDGE_PACK_VERSION, DOCUMENT_TYPES } from './knowledge/document-types.js';
export { measureCalibrationError, binReliability } from './calibrate.js';
export type { PageScores, Evidence, ScoringEngine } from './engine.js';
