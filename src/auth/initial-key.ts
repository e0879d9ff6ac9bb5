/**
 * The first start of a server with auth on and no key: it makes an admin key and prints it
 * once, so a fresh install is usable without a separate step and is never open.
 */
import { sql } from 'kysely';
import type { Store } from '../store/database.js';
import { countActiveKeys, createApiKey } from './api-keys.queries.js';

/** Any fixed number: PostgreSQL advisory locks are named by integers. */
const INITIAL_KEY_LOCK = 0x646b6579;

export async function createInitialKeyIfNone(store: Store): Promise<string | null> {
  return store.db.transaction().execute(async (trx) => {
    // Several API processes starting together on one PostgreSQL database: only the first makes the key.
    if (store.dialect.name === 'postgres') await sql`select pg_advisory_xact_lock(${INITIAL_KEY_LOCK})`.execute(trx);
    if ((await countActiveKeys(trx)) > 0) return null;
    const created = await createApiKey(trx, { name: 'initial admin key', role: 'admin' });
    return created.key;
  });
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
