/**
 * Memory while a large file goes into the PostgreSQL blob store and back out: a file of random
 * bytes (500 MB by default) is received (hashed into a scratch file), kept (1 MiB chunks into the
 * database), read back as a stream and hashed again; peak RSS of this process is sampled every
 * 20 ms and printed beside the file size. Flat memory means the peak does not grow with the file.
 *
 *   npm run build && node dist/eval/bench-blob-memory.js [-- --mb 500 --database-url postgres://…]
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createBlobStore } from '../src/store/blob-store.js';
import { createPostgresBlobBackend } from '../src/store/blobs/postgres-blob-backend.js';
import { openStore } from '../src/store/database.js';

const { values: args } = parseArgs({
  options: {
    mb: { type: 'string', default: '500' },
    'database-url': { type: 'string', default: process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test' },
  },
});
const megabytes = Number(args.mb);
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-bench-blob-'));
const source = path.join(work, 'large.bin');
const writer = fs.openSync(source, 'w');
const hash = createHash('sha256');
for (let i = 0; i < megabytes; i++) {
  const block = randomBytes(1024 * 1024);
  hash.update(block);
  fs.writeSync(writer, block);
}
fs.closeSync(writer);
const expected = hash.digest('hex');

const schema = `bench_blob_${randomBytes(4).toString('hex')}`;
const store = await openStore({ databaseUrl: args['database-url']!, sqlitePath: '', schema, poolSize: 2 });
try {
  const blobs = createBlobStore(createPostgresBlobBackend(store.db), {
    scratchDir: path.join(work, 'tmp'),
    cacheDir: path.join(work, 'cache'),
    cacheBytes: 0,
  });
  global.gc?.();
  const baseline = process.memoryUsage.rss();
  peak = baseline;
  let started = performance.now();
  const received = await blobs.receive(fs.createReadStream(source), Number.MAX_SAFE_INTEGER);
  await blobs.keep(received);
  const inSeconds = (performance.now() - started) / 1000;
  const peakIn = peak;
  started = performance.now();
  const back = createHash('sha256');
  let size = 0;
  for await (const chunk of await blobs.openRead(received.sha256)) {
    back.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  const outSeconds = (performance.now() - started) / 1000;
  const same = back.digest('hex') === expected && received.sha256 === expected && size === megabytes * 1024 * 1024;
  console.log(`file ${megabytes} MB; RSS before ${mb(baseline)}`);
  console.log(
    `in:  ${inSeconds.toFixed(1)} s (${(megabytes / inSeconds).toFixed(0)} MB/s), peak RSS ${mb(peakIn)} (+${mb(peakIn - baseline)})`,
  );
  console.log(
    `out: ${outSeconds.toFixed(1)} s (${(megabytes / outSeconds).toFixed(0)} MB/s), peak RSS ${mb(peak)} (+${mb(peak - baseline)}); bytes identical: ${same}`,
  );
} finally {
  clearInterval(sampler);
  await store.close();
  const client = new pg.Client({ connectionString: args['database-url'] });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
  fs.rmSync(work, { recursive: true, force: true });
}
