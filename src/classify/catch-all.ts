/** A user class named "other", "misc", … collects what fits no other class instead of `unknown`. */
import { normalizeText } from './text/normalize-text.js';

const CATCH_ALL_NAMES = new Set([
  'other',
  'others',
  'misc',
  'miscellaneous',
  'general',
  'rest',
  'everything else',
  'anything else',
  'uncategorized',
  'uncategorised',
  'unclassified',
  'none',
  'other documents',
  'other document',
  'sonstiges',
  'sonstige',
  'andere',
  'autre',
  'autres',
  'divers',
  'otro',
  'otros',
  'varios',
  'overig',
  'overige',
  'diversen',
]);

export function isCatchAllClass(name: string): boolean {
  return CATCH_ALL_NAMES.has(normalizeText(name));
}
