/**
 * An S3-compatible server for tests: s3rver (npm) on a free loopback port with its objects in a
 * temporary folder, or, when TEST_S3_ENDPOINT is set, that server (MinIO, say) and the bucket
 * TEST_S3_BUCKET with TEST_S3_ACCESS_KEY_ID / TEST_S3_SECRET_ACCESS_KEY. s3rver speaks the S3
 * REST API (paths, headers, status codes, error bodies) but does not check V4 signatures; MinIO
 * does, and the signer is checked against Amazon's published examples either way
 * (src/store/blobs/s3-signature.test.ts). Each server handed out has its own key prefix.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import S3rver from 's3rver';
import { EMPTY_PAYLOAD_SHA256, signS3Request } from '../../src/store/blobs/s3-signature.js';

export interface TestS3Server {
  endpoint: string;
  bucket: string;
  /** Key prefix this server's users should keep to ('' or ending in '/'). */
  prefix: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Objects under `prefix`, listed through the S3 API. */
  countObjects(): Promise<number>;
  close(): Promise<void>;
}

function listKeys(server: Omit<TestS3Server, 'countObjects' | 'close'>): Promise<number> {
  const endpoint = new URL(server.endpoint);
  const query = { 'list-type': '2', prefix: server.prefix };
  const pathName = `/${server.bucket}`;
  const signed = signS3Request(
    { method: 'GET', host: endpoint.host, path: pathName, query, payloadSha256: EMPTY_PAYLOAD_SHA256, now: new Date() },
    { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey, region: 'us-east-1' },
  );
  const search = new URLSearchParams(query).toString();
  return new Promise((resolve, reject) => {
    const request = http.request(
      { hostname: endpoint.hostname, port: endpoint.port, path: `${pathName}?${search}`, headers: { ...signed, host: endpoint.host } },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () =>
          response.statusCode === 200
            ? resolve((body.match(/<Key>/g) ?? []).length)
            : reject(new Error(`list: ${response.statusCode} ${body}`)),
        );
      },
    );
    request.on('error', reject);
    request.end();
  });
}

export async function startS3Server(): Promise<TestS3Server> {
  const prefix = `t${randomBytes(4).toString('hex')}/`;
  const external = process.env.TEST_S3_ENDPOINT;
  if (external) {
    const server = {
      endpoint: external.replace(/\/+$/, ''),
      bucket: process.env.TEST_S3_BUCKET ?? 'docsort-test',
      prefix,
      accessKeyId: process.env.TEST_S3_ACCESS_KEY_ID ?? 'minioadmin',
      secretAccessKey: process.env.TEST_S3_SECRET_ACCESS_KEY ?? 'minioadmin',
    };
    return { ...server, countObjects: () => listKeys(server), close: async () => undefined };
  }
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-s3-'));
  const bucket = 'docsort-test';
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const address = await s3rver.run();
  // The one key pair s3rver knows.
  const server = { endpoint: `http://127.0.0.1:${address.port}`, bucket, prefix, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  return {
    ...server,
    countObjects: () => listKeys(server),
    async close() {
      await s3rver.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
