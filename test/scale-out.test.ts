/**
 * Scale-out on PostgreSQL alone: two `docsort serve` processes and a `docsort worker`, each with
 * its own empty DATA_DIR, sharing nothing but one PostgreSQL database (and, in the second case,
 * an S3-compatible bucket). A file uploaded through one API is classified through the other, its
 * bytes and page images read through either; rate limits and quotas hold across the two APIs.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { createApiKey } from '../src/auth/api-keys.queries.js';
import type { Environment } from '../src/config.js';
import type { Store } from '../src/store/database.js';
import { startS3Server, type TestS3Server } from './helpers/s3-server.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from './helpers/test-database.js';
import { corpusFile, spawnDocsort, spawnDocsortServer, stopChild, waitUntil } from './helpers/test-server.js';

const BORN_DIGITAL = corpusFile('pdf/bank_statement/cs-bofa-sample.pdf');
const CLASSES = [
  { name: 'bank_statement', description: 'A bank account statement' },
  { name: 'invoice', description: 'A bill' },
];

interface BlobStoreCase {
  name: string;
  env(): Promise<Environment>;
  close(): Promise<void>;
}

let s3: TestS3Server | null = null;
const BLOB_STORES: BlobStoreCase[] = [
  { name: 'postgres', env: async () => ({}), close: async () => undefined },
  {
    name: 's3',
    async env() {
      s3 = await startS3Server();
      return {
        BLOB_STORE: `s3://${s3.bucket}/${s3.prefix}`,
        S3_ENDPOINT: s3.endpoint,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      };
    },
    close: async () => s3?.close(),
  },
];

async function call(url: string, key: string, init: { method?: string; json?: unknown; form?: FormData } = {}) {
  const response = await fetch(url, {
    method: init.method ?? (init.json !== undefined || init.form ? 'POST' : 'GET'),
    headers: { authorization: `Bearer ${key}`, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.json !== undefined ? JSON.stringify(init.json) : init.form,
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
  };
}

for (const blobStore of TEST_DATABASE_URL ? BLOB_STORES : []) {
  describe(`scale-out on PostgreSQL with ${blobStore.name} blob storage`, () => {
    let database: TestDatabase;
    let store: Store;
    let apiA: string;
    let apiB: string;
    let adminKey: string;
    const dataDirs: string[] = [];
    const children: ChildProcess[] = [];

    function freshDataDir(): string {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-node-'));
      dataDirs.push(dir);
      return dir;
    }

    before(async () => {
      database = await createTestDatabase('postgres');
      store = await database.openStore();
      adminKey = (await createApiKey(store.db, { name: 'scale-out admin', role: 'admin' })).key;
      const env: Environment = { ...(await blobStore.env()), AUTH: 'on', RATE_LIMIT_BURST: '4', RATE_LIMIT_PER_MINUTE: '600' };
      // Each child is recorded as soon as it runs, so a failure starting the next still stops it.
      const a = await spawnDocsortServer(database, { ...env, DATA_DIR: freshDataDir(), WORKER_CONCURRENCY: '0' });
      children.push(a.child);
      const b = await spawnDocsortServer(database, { ...env, DATA_DIR: freshDataDir(), WORKER_CONCURRENCY: '0' });
      children.push(b.child);
      apiA = a.url;
      apiB = b.url;
      children.push(await spawnDocsort('worker', database, { ...env, DATA_DIR: freshDataDir(), WORKER_CONCURRENCY: '1' }));
    });
    after(async () => {
      for (const child of children) await stopChild(child);
      await store.close();
      await database.drop();
      await blobStore.close();
      for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('uploads through one API, classifies through the other and reads pages through either', async () => {
      const form = new FormData();
      form.append('file', new Blob([fs.readFileSync(BORN_DIGITAL)]), 'statement.pdf');
      const uploaded = await call(`${apiA}/v1/files`, adminKey, { form });
      assert.equal(uploaded.status, 201);
      const fileId = uploaded.body.id;

      const started = await call(`${apiB}/v1/classify_runs`, adminKey, { json: { config: { classes: CLASSES }, file: { id: fileId } } });
      assert.equal(started.status, 202);
      const run = await waitUntil(
        async () => (await call(`${apiA}/v1/classify_runs/${started.body.id}`, adminKey)).body,
        (body) => body.status !== 'PENDING' && body.status !== 'PROCESSING',
        120_000,
        200,
      );
      assert.equal(run.status, 'PROCESSED');
      assert.equal(run.output.classification.class, 'bank_statement');

      for (const api of [apiA, apiB]) {
        const png = await fetch(`${api}/v1/files/${fileId}/pages/1?format=png`, { headers: { authorization: `Bearer ${adminKey}` } });
        assert.equal(png.status, 200);
        assert.equal(png.headers.get('content-type'), 'image/png');
        assert.deepEqual([...new Uint8Array(await png.arrayBuffer()).slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
        const page = await call(`${api}/v1/files/${fileId}/pages/1`, adminKey);
        assert.equal(page.status, 200);
        assert.ok(page.body.text.length > 0);
        const content = await fetch(`${api}/v1/files/${fileId}/content`, { headers: { authorization: `Bearer ${adminKey}` } });
        assert.ok(Buffer.from(await content.arrayBuffer()).equals(fs.readFileSync(BORN_DIGITAL)));
      }
      // Nothing was written to any process's DATA_DIR blobs folder: the bytes live in the shared store.
      for (const dir of dataDirs) assert.equal(fs.existsSync(path.join(dir, 'blobs')), false);
    });

    it('holds a key to one rate limit across both APIs', async () => {
      const { key } = await createApiKey(store.db, { name: 'limited', rateLimitPerMinute: 4 });
      const statuses: number[] = [];
      // Alternating between the APIs: counted per process, each would allow its own burst of 4.
      for (let i = 0; i < 8; i++) statuses.push((await call(`${i % 2 === 0 ? apiA : apiB}/v1/classifiers`, key)).status);
      assert.equal(statuses.filter((status) => status === 200).length, 4, `statuses: ${statuses.join(',')}`);
      assert.equal(statuses.filter((status) => status === 429).length, 4);
    });

    it('holds a key to one credit quota across both APIs', async () => {
      const { key } = await createApiKey(store.db, { name: 'one credit', creditQuota: 1 });
      const form = new FormData();
      form.append('file', new Blob([fs.readFileSync(BORN_DIGITAL)]), 'statement.pdf');
      const fileId = (await call(`${apiA}/v1/files`, key, { form })).body.id;
      const started = await call(`${apiA}/v1/classify_runs`, key, {
        json: { config: { classes: CLASSES }, file: { id: fileId }, page_range: '1' },
      });
      assert.equal(started.status, 202);
      await waitUntil(
        async () => (await call(`${apiB}/v1/classify_runs/${started.body.id}`, key)).body,
        (body) => body.status === 'PROCESSED',
        120_000,
        200,
      );
      const refused = await call(`${apiB}/v1/classify_runs`, key, { json: { config: { classes: CLASSES }, file: { id: fileId } } });
      assert.equal(refused.status, 402);
      assert.equal(refused.body.error, 'out_of_credits');
      assert.equal(refused.headers.get('docsort-credits-remaining'), '0');
    });
  });
}
