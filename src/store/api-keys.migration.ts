/** API keys, and which key created each run (for usage by key and quotas). */
import type { SchemaMigration } from './migrations.js';

export const apiKeysMigration: SchemaMigration = {
  name: '0002_api_keys',
  async up(db) {
    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull().unique())
      .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('credit_quota', 'real')
      .addColumn('rate_limit_per_minute', 'integer')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.alterTable('classify_runs').addColumn('api_key_id', 'text').execute();
    await db.schema.createIndex('classify_runs_api_key').on('classify_runs').columns(['api_key_id', 'created_at']).execute();
  },
};
