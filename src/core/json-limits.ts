/**
 * What docsort accepts inside JSON a client sends (bodies, multipart fields holding JSON):
 * nesting no deeper than `MAX_JSON_DEPTH`, and no NUL character in any string or key. Deeper
 * values overflow the stack of the code that serialises them again, and PostgreSQL cannot store
 * a NUL in text; both are refused up front with `invalid_request` rather than failing later.
 */
import { AppError } from './errors.js';

/** Far deeper than any metadata or classifier a person writes; far shallower than a stack overflow. */
export const MAX_JSON_DEPTH = 64;

/** Whether a string holds a character no text column can store (PostgreSQL refuses U+0000). */
export function hasNulCharacter(text: string): boolean {
  return text.includes('\u0000');
}

/** Throws `invalid_request` naming `where` when the value nests too deep or holds a NUL; walks without recursion. */
export function checkJsonValue(value: unknown, where: string): void {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const item = pending.pop()!;
    if (typeof item.value === 'string') {
      if (hasNulCharacter(item.value)) throw nulError(where);
      continue;
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    const depth = item.depth + 1;
    if (depth > MAX_JSON_DEPTH)
      throw new AppError(
        'invalid_request',
        `${where} nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects; send a flatter value.`,
      );
    if (Array.isArray(item.value)) {
      for (const element of item.value) pending.push({ value: element, depth });
      continue;
    }
    for (const [key, element] of Object.entries(item.value)) {
      if (hasNulCharacter(key)) throw nulError(where);
      pending.push({ value: element, depth });
    }
  }
}

/** Checks text a client sent outside JSON (a form field, a file name) for NUL characters. */
export function checkText(text: string, where: string): void {
  if (hasNulCharacter(text)) throw nulError(where);
}

function nulError(where: string): AppError {
  return new AppError('invalid_request', `${where} contains a NUL character (U+0000), which cannot be stored; remove it.`);
}
