/** The API key table, merged into the store's `Database` type. */
import type { Selectable } from 'kysely';
import type { Role } from '../core/access.js';

export interface ApiKeysTable {
  /** `key_…`; not secret. */
  id: string;
  name: string;
  /** The first characters of the key, shown in lists. */
  prefix: string;
  /** Hex SHA-256 of the key. */
  hash: string;
  /** What the key may do in its workspace (`core/access.ts`); `admin` also manages keys and workspaces. */
  role: Role;
  /** The one workspace whose data the key sees. */
  workspace_id: string;
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
