/**
 * A real S3-compatible server for tests: s3rver (npm), listening on a free loopback port with
 * its objects in a temporary folder. It speaks the S3 REST API (paths, headers, status codes,
 * error bodies) but does not check SigV4 signatures; the signer is checked against Amazon's
 * published examples instead (src/store/blobs/s3-signature.test.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

/** The one key pair s3rver knows. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface TestS3Server {
  endpoint: string;
  bucket: string;
  /** Objects stored in the bucket (s3rver keeps them as files). */
  countObjects(): number;
  close(): Promise<void>;
}

export async function startS3Server(bucket = 'docsort-test'): Promise<TestS3Server> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    countObjects() {
      const walk = (dir: string): number =>
        fs
          .readdirSync(dir, { withFileTypes: true })
          .reduce(
            (sum, entry) => sum + (entry.isDirectory() ? walk(path.join(dir, entry.name)) : entry.name.endsWith('._S3rver_object') ? 1 : 0),
            0,
          );
      return walk(path.join(directory, bucket));
    },
    async close() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
