/**
 * The first start of a server with auth on and no key: it makes an admin key and prints it
 * once, so a fresh install is usable without a separate step and is never open.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { countActiveKeys, createApiKey } from './api-keys.queries.js';

export async function createInitialKeyIfNone(db: Kysely<Database>): Promise<string | null> {
  if ((await countActiveKeys(db)) > 0) return null;
  const created = await createApiKey(db, { name: 'initial admin key', isAdmin: true });
  return created.key;
}

export function describeInitialKey(key: string): string {
  return [
    'No API key existed, so docsort created this admin key. It is shown only now; store it safely:',
    '',
    `  ${key}`,
    '',
    'Send it as "Authorization: Bearer <key>". Manage keys with `docsort keys create|list|revoke`.',
  ].join('\n');
}
