/**
 * The blob store on each backend: local folder, PostgreSQL (when TEST_DATABASE_URL is set) and
 * S3 (a real S3-compatible server, s3rver). Real corpus files, byte-for-byte comparisons.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { corpusFile } from '../../test/helpers/repo-paths.js';
import { startS3Server, type TestS3Server } from '../../test/helpers/s3-server.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../../test/helpers/test-database.js';
import { AppError } from '../core/errors.js';
import { createBlobStore, type BlobBackend, type BlobStore } from './blob-store.js';
import { createLocalBlobBackend } from './blobs/local-blob-backend.js';
import { createPostgresBlobBackend } from './blobs/postgres-blob-backend.js';
import { createS3BlobBackend } from './blobs/s3-blob-backend.js';
import type { Store } from './database.js';

// Over 1 MB, so the PostgreSQL backend (64 KiB chunks here) splits it into many chunks.
const LARGE = corpusFile('bundles/dev-loan-packet.pdf');
const SMALL = corpusFile('pdf/bank_statement/cs-bofa-sample.pdf');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface BackendCase {
  name: string;
  open(): Promise<{ backend: BlobBackend; countStored(): Promise<number>; close(): Promise<void> }>;
}

const CASES: BackendCase[] = [
  {
    name: 'local',
    async open() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-blobs-'));
      const root = path.join(dir, 'blobs');
      return {
        backend: createLocalBlobBackend(root),
        async countStored() {
          return fs.readdirSync(root).reduce((sum, sub) => sum + fs.readdirSync(path.join(root, sub)).length, 0);
        },
        async close() {
          fs.rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 's3',
    async open() {
      const server: TestS3Server = await startS3Server();
      return {
        backend: createS3BlobBackend(
          { bucket: server.bucket, prefix: server.prefix, endpoint: server.endpoint, forcePathStyle: true },
          { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey, region: 'us-east-1' },
        ),
        countStored: () => server.countObjects(),
        close: () => server.close(),
      };
    },
  },
];

if (TEST_DATABASE_URL) {
  CASES.push({
    name: 'postgres',
    async open() {
      const database: TestDatabase = await createTestDatabase('postgres');
      const store: Store = await database.openStore();
      return {
        backend: createPostgresBlobBackend(store.db, 64 * 1024),
        async countStored() {
          const row = await sql<{ count: number }>`select count(*) as count from blobs`.execute(store.db);
          return Number(row.rows[0].count);
        },
        async close() {
          await store.close();
          await database.drop();
        },
      };
    },
  });
}

for (const backendCase of CASES) {
  describe(`blob store on ${backendCase.name}`, () => {
    let opened: Awaited<ReturnType<BackendCase['open']>>;
    let blobs: BlobStore;
    let workDir: string;

    before(async () => {
      opened = await backendCase.open();
      workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-blob-work-'));
      blobs = createBlobStore(opened.backend, {
        scratchDir: path.join(workDir, 'tmp'),
        cacheDir: path.join(workDir, 'cache'),
        cacheBytes: 1024 * 1024,
      });
    });
    after(async () => {
      await opened.close();
      fs.rmSync(workDir, { recursive: true, force: true });
    });

    it('gives back exactly the bytes it was given, streamed', async () => {
      const bytes = fs.readFileSync(LARGE);
      const received = await blobs.receive(fs.createReadStream(LARGE), 100 * 1024 * 1024);
      assert.equal(received.sha256, sha256Of(bytes));
      assert.equal(received.size, bytes.length);
      await blobs.keep(received);
      assert.equal(fs.existsSync(received.path), false, 'the scratch file is gone once the bytes are stored');
      const back = await readAll(await blobs.openRead(received.sha256));
      assert.equal(back.length, bytes.length);
      assert.ok(back.equals(bytes));
    });

    it('stores the same bytes once however often they are kept', async () => {
      const before = await opened.countStored();
      for (let i = 0; i < 3; i++) await blobs.keep(await blobs.receive(fs.createReadStream(SMALL), 10 * 1024 * 1024));
      await blobs.keep(await blobs.receive(fs.createReadStream(SMALL), 10 * 1024 * 1024));
      assert.equal(await opened.countStored(), before + 1);
    });

    it('hands readers a local file with the same bytes', async () => {
      const bytes = fs.readFileSync(SMALL);
      const sha256 = sha256Of(bytes);
      const seen = await blobs.withLocalFile(sha256, async (filePath) => fs.readFileSync(filePath));
      assert.ok(seen.equals(bytes));
    });

    it('refuses bytes past the limit with file_too_large and keeps nothing', async () => {
      const before = await opened.countStored();
      await assert.rejects(
        blobs.receive(fs.createReadStream(LARGE), 1000),
        (error: unknown) => error instanceof AppError && error.code === 'file_too_large',
      );
      assert.deepEqual(fs.readdirSync(path.join(workDir, 'tmp')), []);
      assert.equal(await opened.countStored(), before);
    });

    it('answers not_found for bytes that were removed', async () => {
      const sha256 = sha256Of(fs.readFileSync(SMALL));
      await blobs.remove(sha256);
      await assert.rejects(blobs.openRead(sha256), (error: unknown) => error instanceof AppError && error.code === 'not_found');
      await assert.rejects(
        blobs.withLocalFile(sha256, async () => 'read'),
        (error: unknown) => error instanceof AppError && error.code === 'not_found',
      );
    });

    it('takes an upload from any stream, not only files', async () => {
      const bytes = Buffer.from('%PDF-1.4 not really, but bytes all the same');
      const received = await blobs.receive(Readable.from([bytes.subarray(0, 10), bytes.subarray(10)]), 1000);
      await blobs.keep(received);
      assert.ok((await readAll(await blobs.openRead(sha256Of(bytes)))).equals(bytes));
    });
  });
}
