/** Prefixed random ids (`clr_…`, `file_…`): the prefix tells a reader what an id points to. */
import { randomBytes } from 'node:crypto';

export const ID_PREFIXES = {
  file: 'file',
  classifier: 'cl',
  example: 'ex',
  run: 'clr',
  batch: 'batch',
  job: 'job',
  evaluation: 'eval',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** 20 base-62 characters: about 119 bits of randomness. */
export function createId(kind: IdKind): string {
  const bytes = randomBytes(20);
  let body = '';
  for (const byte of bytes) body += ALPHABET[byte % 62];
  return `${ID_PREFIXES[kind]}_${body}`;
}
