/** Builds the blob store `BLOB_STORE` names; the one place that knows the three backends. */
import path from 'node:path';
import type { Config } from '../../config.js';
import { createBlobStore, type BlobBackend, type BlobStore } from '../blob-store.js';
import type { Store } from '../database.js';
import { createLocalBlobBackend } from './local-blob-backend.js';
import { createPostgresBlobBackend } from './postgres-blob-backend.js';
import { createS3BlobBackend } from './s3-blob-backend.js';

export type BlobStoreConfig = Pick<
  Config,
  'blobStore' | 'dataDir' | 'localCacheBytes' | 's3Endpoint' | 's3Region' | 's3AccessKeyId' | 's3SecretAccessKey'
>;

function createBackend(config: BlobStoreConfig, store: Store): BlobBackend {
  const choice = config.blobStore;
  switch (choice.kind) {
    case 'local':
      return createLocalBlobBackend(path.join(config.dataDir, 'blobs'));
    case 'postgres':
      if (store.dialect.name !== 'postgres') throw new Error('BLOB_STORE=postgres needs DATABASE_URL=postgres://…');
      return createPostgresBlobBackend(store.db);
    case 's3':
      return createS3BlobBackend(
        {
          bucket: choice.bucket,
          prefix: choice.prefix,
          endpoint: config.s3Endpoint ?? `https://s3.${config.s3Region}.amazonaws.com`,
          // Only AWS serves buckets as host names by default; MinIO and most others want the bucket in the path.
          forcePathStyle: config.s3Endpoint !== null,
        },
        { accessKeyId: config.s3AccessKeyId ?? '', secretAccessKey: config.s3SecretAccessKey ?? '', region: config.s3Region },
      );
  }
}

export function openBlobStore(config: BlobStoreConfig, store: Store): BlobStore {
  return createBlobStore(createBackend(config, store), {
    scratchDir: path.join(config.dataDir, 'tmp'),
    // Per process: two processes sharing a DATA_DIR must not evict each other's copies.
    cacheDir: path.join(config.dataDir, 'cache', String(process.pid)),
    cacheBytes: config.localCacheBytes,
  });
}
