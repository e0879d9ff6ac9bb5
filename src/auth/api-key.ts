/**
 * API key material. A key is 32 random bytes, so a plain SHA-256 of it is enough to store
 * (no salt or slow hash needed: nothing to brute-force); only the hash and a short display
 * prefix are kept, and the full key is shown once, when it is created.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const API_KEY_PREFIX = 'dsk_';
/** Characters of the key kept in clear so people can tell their keys apart in a list. */
const DISPLAY_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;

export interface NewKeyMaterial {
  /** The secret to hand to the user, once. */
  key: string;
  /** e.g. `dsk_Ab3x9QzL` — safe to list. */
  prefix: string;
  /** Hex SHA-256 of the key: the only form stored. */
  hash: string;
}

export function generateApiKey(): NewKeyMaterial {
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, prefix: key.slice(0, DISPLAY_PREFIX_LENGTH), hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Compares a presented key with a stored hash without leaking, through timing, how much matched. */
export function keyMatchesHash(key: string, storedHash: string): boolean {
  const presented = Buffer.from(hashApiKey(key), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/**
 * Reads the key from `Authorization: Bearer <key>` or `x-api-key: <key>`. Returns null when
 * neither header carries one.
 */
export function readPresentedKey(headers: Record<string, string | string[] | undefined>): string | null {
  const authorization = firstHeader(headers.authorization);
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  const apiKey = firstHeader(headers['x-api-key'])?.trim();
  return apiKey ? apiKey : null;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `key_…`: the public id of a key, used to list and revoke it. */
export function createKeyId(): string {
  let body = '';
  for (const byte of randomBytes(16)) body += ID_ALPHABET[byte % 62];
  return `key_${body}`;
}
