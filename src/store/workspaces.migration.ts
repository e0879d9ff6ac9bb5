/**
 * Workspaces and key roles. Every file, classifier, example, run, batch, webhook and key gets a
 * `workspace_id`; what existed before lands in `default`, so an upgraded install behaves as one
 * workspace. Admin keys become role `admin`, the others `write` (what they could do before).
 * Webhook names become unique per workspace: one workspace must not learn another's names by
 * being refused one.
 */
import { sql } from 'kysely';
import type { SchemaMigration } from './migrations.js';

/** The tables whose rows belong to a workspace directly (deliveries and attempts belong through their webhook). */
const OWNED_TABLES = ['files', 'classifiers', 'classifier_examples', 'classify_runs', 'batches', 'api_keys'] as const;

export const workspacesMigration: SchemaMigration = {
  name: '0010_workspaces',
  async up(db, dialect) {
    await db.schema
      .createTable('workspaces')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await sql`insert into workspaces (id, created_at) values ('default', ${Date.now()})`.execute(db);

    for (const table of OWNED_TABLES) {
      await db.schema
        .alterTable(table)
        .addColumn('workspace_id', 'text', (c) => c.notNull().defaultTo('default'))
        .execute();
    }
    await db.schema.createIndex('classify_runs_workspace').on('classify_runs').columns(['workspace_id', 'created_at', 'id']).execute();
    await db.schema.createIndex('classifiers_workspace').on('classifiers').columns(['workspace_id', 'created_at', 'id']).execute();

    await db.schema
      .alterTable('api_keys')
      .addColumn('role', 'text', (c) => c.notNull().defaultTo('write'))
      .execute();
    await sql`update api_keys set role = 'admin' where is_admin = 1`.execute(db);
    await db.schema.alterTable('api_keys').dropColumn('is_admin').execute();

    if (dialect === 'postgres') await sql`alter table webhooks drop constraint if exists webhooks_name_key`.execute(db);
    else await dropSqliteWebhookNameUnique(db);
    await db.schema
      .alterTable('webhooks')
      .addColumn('workspace_id', 'text', (c) => c.notNull().defaultTo('default'))
      .execute();
    await db.schema.createIndex('webhooks_workspace_name').on('webhooks').columns(['workspace_id', 'name']).unique().execute();
    await db.schema.createIndex('webhooks_workspace_url').on('webhooks').columns(['workspace_id', 'url']).execute();
  },
};

/**
 * SQLite cannot drop a column's UNIQUE constraint, so the table is copied into one made from its
 * own CREATE statement without it: whatever columns and indexes earlier migrations gave it, the
 * copy has them too.
 */
async function dropSqliteWebhookNameUnique(db: Parameters<SchemaMigration['up']>[0]): Promise<void> {
  const objects = await sql<{ type: string; sql: string }>`
    select type, sql from sqlite_master where tbl_name = 'webhooks' and sql is not null`.execute(db);
  const table = objects.rows.find((row) => row.type === 'table');
  if (!table) throw new Error('the webhooks table is missing');
  const withoutUnique = table.sql.replace(/("name"\s+text)\s+unique/i, '$1');
  if (withoutUnique === table.sql) throw new Error(`the webhooks table has no unique name to drop: ${table.sql}`);
  await sql.raw(withoutUnique.replace(/^CREATE TABLE\s+"?webhooks"?/i, 'create table "webhooks_rebuilt"')).execute(db);
  await sql`insert into webhooks_rebuilt select * from webhooks`.execute(db);
  await db.schema.dropTable('webhooks').execute();
  await db.schema.alterTable('webhooks_rebuilt').renameTo('webhooks').execute();
  for (const index of objects.rows.filter((row) => row.type === 'index')) await sql.raw(index.sql).execute(db);
}
