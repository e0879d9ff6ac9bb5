/** The knowledge pack: every document type docsort knows without being taught. */
import { CORRESPONDENCE_PUBLISHING_TYPES } from './correspondence-publishing.types.js';
import type { DocumentType } from './document-type.js';
import { FINANCE_TYPES } from './finance.types.js';
import { LEGAL_HR_HEALTH_TYPES } from './legal-hr-health.types.js';
import { LOGISTICS_GOVERNMENT_TYPES } from './logistics-government.types.js';

export const DOCUMENT_TYPES: readonly DocumentType[] = [
  ...FINANCE_TYPES,
  ...LEGAL_HR_HEALTH_TYPES,
  ...LOGISTICS_GOVERNMENT_TYPES,
  ...CORRESPONDENCE_PUBLISHING_TYPES,
];

/** Bumped whenever the pack changes, so cached models and reports name the pack they used. */
export const KNOWLEDGE_PACK_VERSION = '2026.12.2';
