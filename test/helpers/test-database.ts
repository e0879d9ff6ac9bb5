/**
 * Databases for tests: every test gets its own SQLite file, or its own PostgreSQL schema in
 * TEST_DATABASE_URL (dropped afterwards). `DIALECTS` lists the dialects available here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config, type Environment } from '../../src/config.js';
import { openStore, storeOptionsFromConfig, type DialectName, type Store } from '../../src/store/database.js';

/** Test code reads the one variable CI sets; the service itself takes everything from `Config`. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || null;

export const DIALECTS: DialectName[] = TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

// Said out loud, so a green run without PostgreSQL is not mistaken for a run with it.
if (!TEST_DATABASE_URL && !process.env.DOCSORT_PG_SKIP_NOTED) {
  process.env.DOCSORT_PG_SKIP_NOTED = '1';
  process.stderr.write('docsort tests: TEST_DATABASE_URL is not set, so the PostgreSQL suites are skipped (SQLite only).\n');
}

export interface TestDatabase {
  dialect: DialectName;
  dataDir: string;
  /** Environment for a docsort process using this database. */
  env: Environment;
  config(overrides?: Environment): Config;
  openStore(): Promise<Store>;
  drop(): Promise<void>;
}

export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-test-'));
  const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const env: Environment = { DATA_DIR: dataDir, LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0' };
  if (dialect === 'postgres') {
    if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
    env.DATABASE_URL = TEST_DATABASE_URL;
    env.DATABASE_SCHEMA = schema;
  }
  const config = (overrides: Environment = {}) => loadConfig({ ...env, ...overrides });
  return {
    dialect,
    dataDir,
    env,
    config,
    openStore: () => openStore(storeOptionsFromConfig(config(), 4)),
    async drop() {
      if (dialect === 'postgres' && TEST_DATABASE_URL) {
        const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await client.end();
        }
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
