import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, describeConfig, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives the documented defaults, frozen', () => {
    const config = loadConfig({});
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 8080);
    assert.equal(config.databaseUrl, null);
    assert.equal(config.allowPrivateUrls, false);
    assert.equal(config.syncTimeoutMs, 300_000);
    assert.equal(config.maxBatchFiles, 30);
    assert.equal(config.maxMetadataBytes, 10 * 1024);
    assert.ok(Object.isFrozen(config));
  });

  it('reports every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', ALLOW_PRIVATE_URLS: 'maybe', WORKER_CONCURRENCY: '-1' });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(
        error.problems.map((problem) => problem.split('=')[0]),
        ['PORT', 'DATABASE_URL', 'ALLOW_PRIVATE_URLS', 'WORKER_CONCURRENCY'],
      );
    }
  });

  it('reads PostgreSQL settings and scaled limits', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/docsort',
      DATABASE_SCHEMA: 'tenant_a',
      MAX_FILE_MB: '25',
      SYNC_TIMEOUT_SECONDS: '5',
      ALLOW_PRIVATE_URLS: 'true',
    });
    assert.equal(config.databaseUrl, 'postgres://u@db:5432/docsort');
    assert.equal(config.databaseSchema, 'tenant_a');
    assert.equal(config.maxFileBytes, 25 * 1024 * 1024);
    assert.equal(config.syncTimeoutMs, 5000);
    assert.equal(config.allowPrivateUrls, true);
  });

  it('reads a model server: no LLM by default, a loopback base URL allowed, a model required with it', () => {
    assert.equal(loadConfig({}).llmBaseUrl, null);
    const config = loadConfig({
      LLM_BASE_URL: 'http://127.0.0.1:11434/v1/',
      LLM_MODEL: 'llama3.1:8b',
      LLM_TIMEOUT_SECONDS: '30',
      LLM_VISION: 'yes',
    });
    assert.equal(config.llmBaseUrl, 'http://127.0.0.1:11434/v1');
    assert.equal(config.llmModel, 'llama3.1:8b');
    assert.equal(config.llmTimeoutMs, 30_000);
    assert.equal(config.llmVision, true);
    assert.equal(config.llmMaxRetries, 3);
    try {
      loadConfig({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MAX_CONCURRENCY: '0' });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(
        error.problems.map((problem) => problem.split('=')[0]),
        ['LLM_MODEL', 'LLM_MAX_CONCURRENCY'],
      );
      assert.match(error.problems[0], /must name the default model when LLM_BASE_URL is set/);
    }
    assert.throws(() => loadConfig({ LLM_BASE_URL: 'ftp://models', LLM_MODEL: 'm' }), /LLM_BASE_URL.*http:\/\/ or https:\/\//);
  });

  it('documents every variable in one table', () => {
    const table = describeConfig();
    for (const name of ['HOST', 'PORT', 'DATA_DIR', 'DATABASE_URL', 'ALLOW_PRIVATE_URLS', 'SYNC_TIMEOUT_SECONDS'])
      assert.match(table, new RegExp(`\\| \`${name}\``));
  });

  it('keeps file bytes in the database with DATABASE_URL and in DATA_DIR without it', () => {
    assert.deepEqual(loadConfig({}).blobStore, { kind: 'local' });
    assert.deepEqual(loadConfig({ DATABASE_URL: 'postgres://db/docsort' }).blobStore, { kind: 'postgres' });
    assert.deepEqual(loadConfig({ DATABASE_URL: 'postgres://db/docsort', BLOB_STORE: 'local' }).blobStore, { kind: 'local' });
  });

  it('reads an S3 bucket and prefix, with the AWS credential variables as fallback', () => {
    const config = loadConfig({
      BLOB_STORE: 's3://docsort-files/prod/',
      AWS_ACCESS_KEY_ID: 'AK',
      AWS_SECRET_ACCESS_KEY: 'SK',
      AWS_REGION: 'eu-west-1',
    });
    assert.deepEqual(config.blobStore, { kind: 's3', bucket: 'docsort-files', prefix: 'prod/' });
    assert.equal(config.s3AccessKeyId, 'AK');
    assert.equal(config.s3SecretAccessKey, 'SK');
    assert.equal(config.s3Region, 'eu-west-1');
    assert.equal(config.s3Endpoint, null);
  });

  it('refuses blob stores it cannot use, saying what is missing', () => {
    assert.throws(
      () => loadConfig({ BLOB_STORE: 'postgres' }),
      (error: unknown) => error instanceof ConfigError && /BLOB_STORE.*needs DATABASE_URL/.test(error.message),
    );
    assert.throws(
      () => loadConfig({ BLOB_STORE: 's3://bucket' }),
      (error: unknown) => error instanceof ConfigError && /S3_ACCESS_KEY_ID/.test(error.message),
    );
    assert.throws(
      () => loadConfig({ BLOB_STORE: 'ftp://x' }),
      (error: unknown) => error instanceof ConfigError && /local, postgres or s3/.test(error.message),
    );
    assert.throws(
      () => loadConfig({ S3_ENDPOINT: 'localhost:9000' }),
      (error: unknown) => error instanceof ConfigError && /S3_ENDPOINT/.test(error.message),
    );
  });
});
