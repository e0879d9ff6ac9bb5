/**
 * Passwords of encrypted PDFs, kept so that a worker (perhaps another process) can read the file
 * later: sealed with AES-256-GCM before they reach the database, opened only to hand to the
 * extractor. The key is `PDF_PASSWORD_KEY`; on the embedded default without it, a random key is
 * made once in `DATA_DIR/pdf-password.key` (readable by the owner only). On PostgreSQL every
 * process must hold the same key, so there the variable is required to accept a password.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Kysely } from 'kysely';
import { AppError } from '../core/errors.js';
import type { Database } from './schema.js';

const FORMAT = 'v1';
export const KEY_FILE_NAME = 'pdf-password.key';

const keyFiles = new Map<string, Buffer>();

function keyFor(config: Pick<Config, 'pdfPasswordKey' | 'databaseUrl' | 'dataDir'>): Buffer {
  if (config.pdfPasswordKey) return config.pdfPasswordKey;
  if (config.databaseUrl)
    throw new AppError(
      'invalid_configuration',
      'This docsort cannot keep PDF passwords: on PostgreSQL its operator must set PDF_PASSWORD_KEY (32 random bytes, hex or base64). Send an unlocked copy meanwhile.',
    );
  const file = path.join(config.dataDir, KEY_FILE_NAME);
  const known = keyFiles.get(file);
  if (known) return known;
  let key: Buffer;
  try {
    key = fs.readFileSync(file);
  } catch {
    fs.mkdirSync(config.dataDir, { recursive: true });
    try {
      // `wx`: of two processes starting together, one writes the key and the other reads it.
      fs.writeFileSync(file, randomBytes(32), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    key = fs.readFileSync(file);
  }
  if (key.length !== 32) throw new AppError('internal_error', `${file} does not hold a 32-byte key.`);
  keyFiles.set(file, key);
  return key;
}

/** `v1.<iv>.<tag>.<ciphertext>`, base64url: a fresh IV each time, so one password seals differently twice. */
export function sealPdfPassword(config: Pick<Config, 'pdfPasswordKey' | 'databaseUrl' | 'dataDir'>, password: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(config), iv);
  const sealed = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
  return [FORMAT, iv, cipher.getAuthTag(), sealed].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export function openPdfPassword(config: Pick<Config, 'pdfPasswordKey' | 'databaseUrl' | 'dataDir'>, sealed: string): string {
  const [format, iv, tag, data] = sealed.split('.');
  if (format !== FORMAT || !iv || !tag || data === undefined)
    throw new AppError('internal_error', 'A stored PDF password is not sealed as expected.');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(config), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    // Sealed under another key (PDF_PASSWORD_KEY changed, or processes with different keys).
    throw new AppError(
      'encrypted_document',
      'The stored password of this PDF cannot be opened with this server’s PDF_PASSWORD_KEY; send the password again with the run.',
    );
  }
}

/**
 * A tag of the password for the extraction cache: pages read with a password are saved under a
 * selection that names it, so the same bytes uploaded again without it (or with a wrong one)
 * are not answered from the pages the right password opened. Keyed, so the tag tells nothing.
 */
export function pdfPasswordTag(config: Pick<Config, 'pdfPasswordKey' | 'databaseUrl' | 'dataDir'>, password: string): string {
  return createHmac('sha256', keyFor(config)).update(`extraction:${password}`, 'utf8').digest('hex').slice(0, 24);
}

export async function setFilePdfPassword(db: Kysely<Database>, fileId: string, sealed: string): Promise<void> {
  await db.updateTable('files').set({ pdf_password: sealed }).where('id', '=', fileId).execute();
}
