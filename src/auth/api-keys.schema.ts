/** The API key table, merged into the store's `Database` type. */
import type { Selectable } from 'kysely';

export interface ApiKeysTable {
  /** `key_…`; not secret. */
  id: string;
  name: string;
  /** The first characters of the key, shown in lists. */
  prefix: string;
  /** Hex SHA-256 of the key. */
  hash: string;
  /** 1 when the key may manage keys (`/v1/keys`). */
  is_admin: number;
  /** Credits this key may spend in total; null = unlimited. */
  credit_quota: number | null;
  /** Requests per minute; null = the server default. */
  rate_limit_per_minute: number | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

declare module '../store/schema.js' {
  interface Database {
    api_keys: ApiKeysTable;
  }
  interface ClassifyRunsTable {
    /** The key that created the run; null for runs created with auth off or by the CLI. */
    api_key_id: string | null;
  }
}

export type ApiKeyRow = Selectable<ApiKeysTable>;
