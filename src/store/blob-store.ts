/**
 * Stored file bytes, content-addressed by sha256 under `DATA_DIR/blobs`: the same bytes are kept
 * once however often they are uploaded. Uploads stream to a temporary file while being hashed,
 * then move into place, so memory stays flat for large files.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../core/errors.js';

export interface StoredBlob {
  sha256: string;
  size: number;
  /** Where the bytes are now. */
  path: string;
}

export interface BlobStore {
  /** The folder holding the stored files (`DATA_DIR/blobs`). */
  readonly directory: string;
  /** Streams bytes to a temporary file, hashing as they pass; fails with `file_too_large` past `maxBytes`. */
  receive(source: Readable, maxBytes: number): Promise<StoredBlob>;
  /** Moves a received temporary file to its content address (or drops it when the bytes are already stored). */
  keep(received: StoredBlob): Promise<StoredBlob>;
  /** Removes a temporary file that will not be kept. */
  discard(received: StoredBlob): Promise<void>;
  pathFor(sha256: string): string;
  remove(sha256: string): Promise<void>;
}

export function createBlobStore(dataDir: string): BlobStore {
  const blobDir = path.join(dataDir, 'blobs');
  const tmpDir = path.join(dataDir, 'tmp');
  fs.mkdirSync(blobDir, { recursive: true });
  fs.mkdirSync(tmpDir, { recursive: true });

  const pathFor = (sha256: string): string => path.join(blobDir, sha256.slice(0, 2), sha256);

  return {
    directory: blobDir,
    pathFor,

    async receive(source, maxBytes) {
      const tmpPath = path.join(tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
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
        // Flushed to disk before the rename and the file row: a crash never leaves a row pointing at a half-written blob.
        await pipeline(source, meter, fs.createWriteStream(tmpPath, { flush: true }));
      } catch (error) {
        await fsp.rm(tmpPath, { force: true });
        throw error;
      }
      return { sha256: hash.digest('hex'), size, path: tmpPath };
    },

    async keep(received) {
      const target = pathFor(received.sha256);
      if (fs.existsSync(target)) {
        await fsp.rm(received.path, { force: true });
      } else {
        await fsp.mkdir(path.dirname(target), { recursive: true });
        await fsp.rename(received.path, target);
      }
      return { ...received, path: target };
    },

    async discard(received) {
      await fsp.rm(received.path, { force: true });
    },

    async remove(sha256) {
      await fsp.rm(pathFor(sha256), { force: true });
    },
  };
}
