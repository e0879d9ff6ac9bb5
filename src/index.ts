/**
 * docsort as a library (`import … from 'docsort'`): the extraction and classification stages
 * without the server — read a file's pages, classify them with a definition — plus the service
 * itself for embedding. The HTTP client is `docsort/client`.
 */
export { createExtractor, type ExtractorOptions } from './extract/index.js';
export { createClassifier, validateClassifier, DEFAULT_THRESHOLD, KNOWLEDGE_PACK_VERSION } from './classify/index.js';
export { createApp, type App, type AppOptions } from './app.js';
export { loadConfig, ConfigError, type Config, type Environment } from './config.js';
export { AppError, ERROR_CODES, type ErrorCode } from './core/errors.js';
export { parsePageRange, validatePageRange } from './core/page-range.js';
export { UNKNOWN, CLASSIFY_MODES } from './core/classifier.js';
export type {
  ClassifierDefinition,
  ClassDefinition,
  ClassifierSettings,
  ClassifyMode,
  ClassificationOutput,
  TrainingExample,
  PageResult,
  Segment,
} from './core/classifier.js';
export type { Page, ExtractedDocument, ExtractOptions, FileType } from './core/document.js';
export type { Classifier, Extractor, ClassifyRequest } from './core/ports.js';
