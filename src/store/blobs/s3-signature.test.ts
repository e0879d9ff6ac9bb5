/** The signer against the worked example in Amazon's SigV4 documentation for S3 (GET object with a Range header). */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { EMPTY_PAYLOAD_SHA256, encodeKeyPath, signS3Request } from './s3-signature.js';

const EXAMPLE_CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
};

describe('S3 request signing', () => {
  it('gives the signature of the documented GET object example', () => {
    const headers = signS3Request(
      {
        method: 'GET',
        host: 'examplebucket.s3.amazonaws.com',
        path: '/test.txt',
        headers: { range: 'bytes=0-9' },
        payloadSha256: EMPTY_PAYLOAD_SHA256,
        now: new Date('2013-05-24T00:00:00Z'),
      },
      EXAMPLE_CREDENTIALS,
    );
    assert.equal(headers['x-amz-date'], '20130524T000000Z');
    assert.equal(
      headers.authorization,
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('signs a different signature when any signed part changes', () => {
    const base = {
      method: 'PUT',
      host: 'localhost:9000',
      path: '/bucket/ab/abcdef',
      payloadSha256: 'ab'.repeat(32),
      now: new Date('2026-01-01T00:00:00Z'),
    };
    const signature = (request: typeof base) => signS3Request(request, EXAMPLE_CREDENTIALS).authorization;
    assert.notEqual(signature(base), signature({ ...base, payloadSha256: 'cd'.repeat(32) }));
    assert.notEqual(signature(base), signature({ ...base, path: '/bucket/ab/abcdeg' }));
    assert.notEqual(signature(base), signature({ ...base, method: 'DELETE' }));
  });

  it('percent-encodes key segments but keeps the slashes', () => {
    assert.equal(encodeKeyPath('docs/a b/(1).pdf'), 'docs/a%20b/%281%29.pdf');
  });
});

describe('S3 request signing of an upload', () => {
  it('gives the signature of the documented PUT object example', () => {
    const headers = signS3Request(
      {
        method: 'PUT',
        host: 'examplebucket.s3.amazonaws.com',
        path: `/${encodeKeyPath('test$file.text')}`,
        headers: { date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
        payloadSha256: createHash('sha256').update('Welcome to Amazon S3.').digest('hex'),
        now: new Date('2013-05-24T00:00:00Z'),
      },
      EXAMPLE_CREDENTIALS,
    );
    assert.match(headers.authorization, /SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,/);
    assert.match(headers.authorization, /Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd$/);
  });
});

describe('S3 request signing with a query', () => {
  const sign = (query: Record<string, string>) =>
    signS3Request(
      {
        method: 'GET',
        host: 'examplebucket.s3.amazonaws.com',
        path: '/',
        query,
        payloadSha256: EMPTY_PAYLOAD_SHA256,
        now: new Date('2013-05-24T00:00:00Z'),
      },
      EXAMPLE_CREDENTIALS,
    ).authorization;

  it('gives the signatures of the documented GET lifecycle and list objects examples', () => {
    assert.match(sign({ lifecycle: '' }), /Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543$/);
    assert.match(sign({ prefix: 'J', 'max-keys': '2' }), /Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7$/);
  });
});
