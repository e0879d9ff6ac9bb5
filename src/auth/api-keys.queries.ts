/** API keys in the store. Only hashes are stored; lookups go by hash. */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { createKeyId, generateApiKey } from './api-key.js';
import type { ApiKeyRow } from './api-keys.schema.js';
import './api-keys.schema.js';
import { DEFAULT_ROLE, DEFAULT_WORKSPACE, type Role } from '../core/access.js';
import { ensureWorkspace } from '../store/workspaces.queries.js';

export interface CreateKeyInput {
  name: string;
  /** `DEFAULT_ROLE` when absent. */
  role?: Role;
  /** `default` when absent; made when it does not exist yet. */
  workspace?: string;
  creditQuota?: number | null;
  rateLimitPerMinute?: number | null;
}

export interface CreatedKey {
  row: ApiKeyRow;
  /** The full key: shown once, never stored. */
  key: string;
}

export async function createApiKey(db: Kysely<Database>, input: CreateKeyInput): Promise<CreatedKey> {
  const material = generateApiKey();
  const row: ApiKeyRow = {
    id: createKeyId(),
    name: input.name,
    prefix: material.prefix,
    hash: material.hash,
    role: input.role ?? DEFAULT_ROLE,
    workspace_id: input.workspace ?? DEFAULT_WORKSPACE,
    credit_quota: input.creditQuota ?? null,
    rate_limit_per_minute: input.rateLimitPerMinute ?? null,
    created_at: Date.now(),
    last_used_at: null,
    revoked_at: null,
  };
  await ensureWorkspace(db, row.workspace_id, row.created_at);
  await db.insertInto('api_keys').values(row).execute();
  return { row, key: material.key };
}

export async function listApiKeys(
  db: Kysely<Database>,
  options: { includeRevoked?: boolean; workspace?: string } = {},
): Promise<ApiKeyRow[]> {
  let query = db.selectFrom('api_keys').selectAll();
  if (!options.includeRevoked) query = query.where('revoked_at', 'is', null);
  if (options.workspace) query = query.where('workspace_id', '=', options.workspace);
  return query.orderBy('created_at').orderBy('id').execute();
}

export async function getApiKey(db: Kysely<Database>, id: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The active key with this hash. The unique index does the matching; the caller compares in constant time. */
export async function findActiveKeyByHash(db: Kysely<Database>, hash: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst();
}

export async function countActiveKeys(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Revokes a key at once; false when there is no such active key. */
export async function revokeApiKey(db: Kysely<Database>, id: string): Promise<ApiKeyRow | undefined> {
  return db
    .updateTable('api_keys')
    .set({ revoked_at: Date.now() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export interface KeyLimitsUpdate {
  name?: string;
  role?: Role;
  credit_quota?: number | null;
  rate_limit_per_minute?: number | null;
}

export async function updateApiKey(db: Kysely<Database>, id: string, update: KeyLimitsUpdate): Promise<ApiKeyRow | undefined> {
  const changes = Object.fromEntries(Object.entries(update).filter(([, value]) => value !== undefined)) as KeyLimitsUpdate;
  if (Object.keys(changes).length === 0)
    return db.selectFrom('api_keys').selectAll().where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return db.updateTable('api_keys').set(changes).where('id', '=', id).where('revoked_at', 'is', null).returningAll().executeTakeFirst();
}

/** Marks use at most once a minute per key, so authentication is not a write on every request. */
export async function touchApiKey(db: Kysely<Database>, key: ApiKeyRow, now = Date.now()): Promise<void> {
  if (key.last_used_at !== null && now - key.last_used_at < 60_000) return;
  await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', key.id).execute();
}

/** Active keys per workspace, for the workspace list. */
export async function countActiveKeysByWorkspace(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('api_keys')
    .select((eb) => ['workspace_id', eb.fn.countAll<number>().as('count')])
    .where('revoked_at', 'is', null)
    .groupBy('workspace_id')
    .execute();
  return new Map(rows.map((row) => [row.workspace_id, Number(row.count)]));
}
