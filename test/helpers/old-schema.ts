/**
 * A test database as an older docsort left it: migrated only up to a named migration, so a test
 * can fill it in the old shape and check what the later migrations make of it.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type Migration, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { MIGRATIONS } from '../../src/store/migrations.js';
import type { TestDatabase } from './test-database.js';

/** Tables of an older schema, by name: columns as the test writes them, checked by the database rather than by types. */
export type OldDatabase = Record<string, Record<string, unknown>>;

/** Opens the test database without the store's own migration and applies migrations up to and including `through`. */
export async function openDatabaseMigratedThrough(database: TestDatabase, through: string): Promise<Kysely<OldDatabase>> {
  const config = database.config();
  let db: Kysely<OldDatabase>;
  if (config.databaseUrl) {
    const schema = config.databaseSchema;
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.end();
    db = new Kysely({
      dialect: new PostgresDialect({
        pool: new pg.Pool({ connectionString: config.databaseUrl, max: 2, options: `-c search_path=${schema}` }),
      }),
    });
  } else {
    db = new Kysely({ dialect: new SqliteDialect({ database: new BetterSqlite3(`${config.dataDir}/docsort.sqlite`) }) });
  }
  const migrations: Record<string, Migration> = {};
  for (const migration of MIGRATIONS) migrations[migration.name] = { up: (kysely) => migration.up(kysely, database.dialect) };
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: database.dialect === 'postgres' ? config.databaseSchema : undefined,
  });
  const { error } = await migrator.migrateTo(through);
  if (error) throw error;
  return db;
}
