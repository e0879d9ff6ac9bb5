/**
 * Bytes in S3-compatible object storage (`BLOB_STORE=s3://bucket/prefix`): AWS S3, MinIO, Ceph,
 * Garage and the like. One object per blob under `prefix/ab/abcd…`; uploads stream from the
 * scratch file with their length and sha256 known, downloads stream the response body.
 * Path-style URLs (`endpoint/bucket/key`) unless the endpoint is AWS's own.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { BlobBackend } from '../blob-store.js';
import { EMPTY_PAYLOAD_SHA256, encodeKeyPath, signS3Request, type S3Credentials } from './s3-signature.js';

export interface S3Location {
  bucket: string;
  /** Key prefix, '' or ending in '/'. */
  prefix: string;
  /** `https://s3.eu-west-1.amazonaws.com`, `http://127.0.0.1:9000`. */
  endpoint: string;
  forcePathStyle: boolean;
  /** Time a request may stay silent before it is abandoned. */
  timeoutMs?: number;
}

interface S3Response {
  status: number;
  body: http.IncomingMessage;
}

async function readText(stream: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += chunk.toString();
    if (text.length > 4000) break;
  }
  return text;
}

/** The `<Code>` of an S3 error body, for a message an operator can search for. */
function describeS3Error(status: number, body: string): string {
  const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]+)<\/Message>/.exec(body)?.[1];
  return `S3 answered ${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`;
}

export function createS3BlobBackend(location: S3Location, credentials: S3Credentials): BlobBackend {
  const endpoint = new URL(location.endpoint);
  const client = endpoint.protocol === 'http:' ? http : https;
  const host = location.forcePathStyle ? endpoint.host : `${location.bucket}.${endpoint.host}`;
  const basePath = endpoint.pathname.replace(/\/$/, '');
  const timeoutMs = location.timeoutMs ?? 60_000;

  function objectPath(sha256: string): string {
    const key = `${location.prefix}${sha256.slice(0, 2)}/${sha256}`;
    return `${basePath}${location.forcePathStyle ? `/${location.bucket}` : ''}/${encodeKeyPath(key)}`;
  }

  function send(method: string, sha256: string, payloadSha256: string, body?: { file: string; size: number }): Promise<S3Response> {
    const path = objectPath(sha256);
    const extra: Record<string, string> = body ? { 'content-length': String(body.size), 'content-type': 'application/octet-stream' } : {};
    const signed = signS3Request({ method, host, path, headers: extra, payloadSha256, now: new Date() }, credentials);
    return new Promise((resolve, reject) => {
      const request = client.request(
        {
          protocol: endpoint.protocol,
          hostname: location.forcePathStyle ? endpoint.hostname : `${location.bucket}.${endpoint.hostname}`,
          port: endpoint.port || undefined,
          method,
          path,
          headers: { ...extra, ...signed, host },
          timeout: timeoutMs,
        },
        (response) => resolve({ status: response.statusCode ?? 0, body: response }),
      );
      request.on('timeout', () => request.destroy(new Error(`S3 did not answer ${method} within ${timeoutMs} ms`)));
      request.on('error', reject);
      if (body) {
        const source = fs.createReadStream(body.file);
        source.on('error', (error) => request.destroy(error));
        request.on('error', () => source.destroy());
        source.pipe(request);
      } else {
        request.end();
      }
    });
  }

  async function expectOk(response: S3Response, what: string): Promise<void> {
    if (response.status >= 200 && response.status < 300) {
      response.body.resume();
      return;
    }
    throw new Error(`Could not ${what}: ${describeS3Error(response.status, await readText(response.body))}`);
  }

  return {
    description: `s3://${location.bucket}/${location.prefix}`,

    async put(sha256, size, filePath) {
      await expectOk(await send('PUT', sha256, sha256, { file: filePath, size }), `store blob ${sha256} in S3`);
    },

    async has(sha256) {
      const response = await send('HEAD', sha256, EMPTY_PAYLOAD_SHA256);
      response.body.resume();
      if (response.status === 404) return false;
      if (response.status >= 200 && response.status < 300) return true;
      throw new Error(`Could not look up blob ${sha256} in S3: ${describeS3Error(response.status, '')}`);
    },

    async openRead(sha256) {
      const response = await send('GET', sha256, EMPTY_PAYLOAD_SHA256);
      if (response.status === 404) {
        response.body.resume();
        return undefined;
      }
      if (response.status !== 200)
        throw new Error(`Could not read blob ${sha256} from S3: ${describeS3Error(response.status, await readText(response.body))}`);
      return response.body;
    },

    async remove(sha256) {
      const response = await send('DELETE', sha256, EMPTY_PAYLOAD_SHA256);
      if (response.status === 404) {
        response.body.resume();
        return;
      }
      await expectOk(response, `delete blob ${sha256} from S3`);
    },
  };
}
