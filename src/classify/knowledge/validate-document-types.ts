/** Checks one knowledge-pack file against the schema, so a broken edit names where it is broken. */
import { Value } from '@sinclair/typebox/value';
import type { DocumentType } from './document-type.js';
import { DocumentTypeSchema } from './document-type.schema.js';

/** Enough to find every mistake of one edit without a wall of text. */
const ERRORS_SHOWN = 5;

function describeEntry(entry: unknown, index: number): string {
  const id = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? `type "${id}"` : `entry ${index} (no valid id)`;
}

/** The file's types, or an error naming the file, the type id and the JSON path of each problem. */
export function validateDocumentTypes(file: string, data: unknown): DocumentType[] {
  if (!Array.isArray(data)) throw new Error(`Knowledge pack file ${file}: expected an array of document types.`);
  const problems: string[] = [];
  data.forEach((entry: unknown, index) => {
    if (Value.Check(DocumentTypeSchema, entry)) return;
    for (const error of Value.Errors(DocumentTypeSchema, entry)) {
      problems.push(`${describeEntry(entry, index)} at ${error.path || '/'}: ${error.message} (got ${JSON.stringify(error.value)})`);
    }
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, ERRORS_SHOWN).map((problem) => `  ${problem}`);
    if (problems.length > ERRORS_SHOWN) shown.push(`  … and ${problems.length - ERRORS_SHOWN} more`);
    throw new Error(`Knowledge pack file ${file} is invalid:\n${shown.join('\n')}`);
  }
  return data as DocumentType[];
}
