/**
 * The knowledge pack: every document type docsort knows without being taught. The types are data
 * (`*.types.json`, one phrase per line, so a changed phrase is a one-line diff), checked against
 * the schema as they are loaded.
 */
import type { DocumentType } from './document-type.js';
import correspondencePublishing from './correspondence-publishing.types.json' with { type: 'json' };
import finance from './finance.types.json' with { type: 'json' };
import legalHrHealth from './legal-hr-health.types.json' with { type: 'json' };
import logisticsGovernment from './logistics-government.types.json' with { type: 'json' };
import { validateDocumentTypes } from './validate-document-types.js';

/** In this order: a type's index is its place in the compiled classifier. */
export const DOCUMENT_TYPES: readonly DocumentType[] = [
  ...validateDocumentTypes('finance.types.json', finance),
  ...validateDocumentTypes('legal-hr-health.types.json', legalHrHealth),
  ...validateDocumentTypes('logistics-government.types.json', logisticsGovernment),
  ...validateDocumentTypes('correspondence-publishing.types.json', correspondencePublishing),
];

/** Bumped whenever the pack changes, so cached models and reports name the pack they used. */
export const KNOWLEDGE_PACK_VERSION = '2026.12.2';
