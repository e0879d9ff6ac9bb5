/**
 * Opens the database on either dialect and applies migrations. The rest of docsort sees one
 * `Store`: a typed Kysely instance plus the capabilities where the dialects differ.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { migrateToLatest } from './migrations.js';
import type { ReportError } from '../core/report-error.js';
import { createPgNotifications, type Notifications } from './notifications.js';

export type DialectName = 'sqlite' | 'postgres';

/** Where the two databases behave differently, named as capabilities rather than dialect checks. */
export interface DialectCapabilities {
  name: DialectName;
  /** `SELECT … FOR UPDATE SKIP LOCKED` lets many workers claim jobs without blocking each other. */
  supportsSkipLocked: boolean;
  /** A single writer: concurrent transactions are serialised by the database file. */
  singleWriter: boolean;
}

export interface Store {
  db: Kysely<Database>;
  dialect: DialectCapabilities;
  /** Signals between processes sharing the database; null where there is no such channel (SQLite). */
  notifications: Notifications | null;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** postgres:// URL, or null for SQLite. */
  databaseUrl: string | null;
  /** SQLite file path (used when databaseUrl is null). */
  sqlitePath: string;
  /** PostgreSQL schema; created when missing. */
  schema?: string;
  /** Connections in the PostgreSQL pool. */
  poolSize?: number;
  /** Where dropped PostgreSQL connections are reported (they are replaced either way); unreported without it. */
  reportError?: ReportError;
}

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/** bigint columns hold epoch milliseconds and counts, all far below 2^53: read them as numbers. */
function pgTypeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === PG_INT8 || oid === PG_NUMERIC) return (value: string) => Number(value);
  return pg.types.getTypeParser(oid, format as 'text');
}

function openSqlite(file: string): Store {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const connection = new BetterSqlite3(file);
  // WAL lets readers run beside the one writer; busy_timeout makes other processes wait instead of failing.
  connection.pragma('journal_mode = WAL');
  connection.pragma('busy_timeout = 10000');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) });
  return {
    db,
    dialect: { name: 'sqlite', supportsSkipLocked: false, singleWriter: true },
    notifications: null,
    close: () => db.destroy(),
  };
}

async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (error) {
    // Two processes starting together may race on creating the schema; the loser finds it there.
    if ((error as { code?: string }).code !== '23505') throw error;
  } finally {
    await client.end();
  }
}

async function openPostgres(url: string, schema: string, poolSize: number, reportError: ReportError): Promise<Store> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid PostgreSQL schema name "${schema}"`);
  await ensureSchema(url, schema);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: `-c search_path=${schema}`,
    types: { getTypeParser: pgTypeParser as typeof pg.types.getTypeParser },
  });
  // An idle client losing its connection must not crash the process; the pool replaces it, but a database going away is news.
  pool.on('error', (error) => reportError(error, 'an idle PostgreSQL connection was lost; the pool replaces it'));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const notifications = createPgNotifications(url, schema, pool, reportError);
  return {
    db,
    dialect: { name: 'postgres', supportsSkipLocked: true, singleWriter: false },
    notifications,
    async close() {
      await notifications.close();
      await db.destroy();
    },
  };
}

/** Where the configuration puts the database. */
export function storeOptionsFromConfig(
  config: { databaseUrl: string | null; dataDir: string; databaseSchema: string; databasePoolSize?: number },
  poolSize?: number,
): StoreOptions {
  return {
    databaseUrl: config.databaseUrl,
    sqlitePath: path.join(config.dataDir, 'docsort.sqlite'),
    schema: config.databaseSchema,
    poolSize: poolSize ?? config.databasePoolSize,
  };
}

/** Opens the store and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const schema = options.schema ?? 'public';
  const store = options.databaseUrl
    ? await openPostgres(options.databaseUrl, schema, options.poolSize ?? 10, options.reportError ?? (() => undefined))
    : openSqlite(options.sqlitePath);
  try {
    await migrateToLatest(store, store.dialect.name === 'postgres' ? schema : undefined);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
