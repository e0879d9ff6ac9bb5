/**
 * Stored file bytes, content-addressed by sha256: the same bytes are kept once however often
 * they are uploaded. Where they are kept is a backend (a local folder, PostgreSQL or S3-compatible
 * object storage, chosen by `BLOB_STORE`); this module holds what every backend shares. Uploads
 * stream to a local scratch file while being hashed, so memory stays flat for large files and the
 * type can be sniffed before anything is stored; readers that need a path (the PDF and image
 * readers) get a local copy from a bounded cache.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../core/errors.js';
import { createLocalCopies, type LocalCopies } from './blobs/local-copies.js';

/** Bytes received into the local scratch folder, hashed, not yet stored. */
export interface ReceivedBlob {
  sha256: string;
  size: number;
  /** The scratch file holding them. */
  path: string;
}

/**
 * Where the bytes live. Every method is keyed by the content hash, so a backend never has to
 * decide what a name means; `put` of bytes already there is a no-op, which is the deduplication.
 */
export interface BlobBackend {
  /** Says where the bytes are kept (for the ready line), never a secret. */
  readonly description: string;
  /** Stores the file at `filePath` (its bytes hash to `sha256`); streams, never reads it whole. */
  put(sha256: string, size: number, filePath: string): Promise<void>;
  has(sha256: string): Promise<boolean>;
  /** The bytes as a stream; undefined when they are not stored. */
  openRead(sha256: string): Promise<Readable | undefined>;
  remove(sha256: string): Promise<void>;
  /** A path to the bytes on this machine when the backend keeps them in a local folder (no copy needed). */
  localPath?(sha256: string): string;
}

export interface BlobStore {
  /** Says where the bytes are kept: `local /data/blobs`, `postgres`, `s3://bucket/prefix`. */
  readonly description: string;
  /** Streams bytes to a scratch file, hashing as they pass; fails with `file_too_large` past `maxBytes`. */
  receive(source: Readable, maxBytes: number): Promise<ReceivedBlob>;
  /** Stores received bytes under their hash (once: already stored bytes are not stored again) and drops the scratch file. */
  keep(received: ReceivedBlob): Promise<void>;
  /** Drops a scratch file that will not be kept. */
  discard(received: ReceivedBlob): Promise<void>;
  /** The stored bytes as a stream; `not_found` when they are gone. */
  openRead(sha256: string): Promise<Readable>;
  /** Runs `use` with a path to the bytes on this machine; the path stays valid until `use` settles. */
  withLocalFile<T>(sha256: string, use: (filePath: string) => Promise<T>): Promise<T>;
  remove(sha256: string): Promise<void>;
}

export interface BlobStoreOptions {
  /** Scratch folder for uploads in progress (local to this process's machine). */
  scratchDir: string;
  /** Folder for local copies of stored bytes, kept within `cacheBytes`. */
  cacheDir: string;
  cacheBytes: number;
}

function missingBlob(sha256: string): AppError {
  return new AppError('not_found', `The bytes of this file (sha256 ${sha256.slice(0, 12)}…) are no longer stored.`);
}

export function createBlobStore(backend: BlobBackend, options: BlobStoreOptions): BlobStore {
  fs.mkdirSync(options.scratchDir, { recursive: true });
  const copies: LocalCopies = createLocalCopies({
    directory: options.cacheDir,
    maxBytes: options.cacheBytes,
    async fetch(sha256, target) {
      const source = await backend.openRead(sha256);
      if (!source) throw missingBlob(sha256);
      await pipeline(source, fs.createWriteStream(target));
    },
  });

  return {
    description: backend.description,

    async receive(source, maxBytes) {
      const tmpPath = path.join(options.scratchDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
      const hash = createHash('sha256');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          size += chunk.length;
          if (size > maxBytes) {
            callback(
              new AppError(
                'file_too_large',
                `The file is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB; send a smaller file.`,
              ),
            );
            return;
          }
          hash.update(chunk);
          callback(null, chunk);
        },
      });
      try {
        // Flushed before it is stored and the file row written: a crash never leaves a row pointing at half the bytes.
        await pipeline(source, meter, fs.createWriteStream(tmpPath, { flush: true }));
      } catch (error) {
        await fsp.rm(tmpPath, { force: true });
        throw error;
      }
      return { sha256: hash.digest('hex'), size, path: tmpPath };
    },

    async keep(received) {
      try {
        if (!(await backend.has(received.sha256))) await backend.put(received.sha256, received.size, received.path);
      } finally {
        await fsp.rm(received.path, { force: true });
      }
    },

    async discard(received) {
      await fsp.rm(received.path, { force: true });
    },

    async openRead(sha256) {
      const stream = await backend.openRead(sha256);
      if (!stream) throw missingBlob(sha256);
      return stream;
    },

    async withLocalFile(sha256, use) {
      const direct = backend.localPath?.(sha256);
      if (direct) {
        if (!fs.existsSync(direct)) throw missingBlob(sha256);
        return use(direct);
      }
      return copies.use(sha256, use);
    },

    async remove(sha256) {
      await backend.remove(sha256);
      await copies.evict(sha256);
    },
  };
}
