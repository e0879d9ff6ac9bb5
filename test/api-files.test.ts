/** Files over real HTTP: upload, content addressing, pages as text and PNG, delete, URL input and its SSRF guard. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { corpusFile, requestJson, startTestServer, type TestServer } from './helpers/test-server.js';

const BORN_DIGITAL = corpusFile('pdf/bank_statement/cs-bofa-sample.pdf');
// Over 1 MB: larger than the limit the second server is given.
const LARGE = corpusFile('bundles/dev-loan-packet.pdf');

function uploadForm(file: string, name = path.basename(file)): FormData {
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(file)]), name);
  return form;
}

function countBlobs(dataDir: string): number {
  const root = path.join(dataDir, 'blobs');
  return fs.readdirSync(root).reduce((sum, dir) => sum + fs.readdirSync(path.join(root, dir)).length, 0);
}

describe('files API', () => {
  let server: TestServer;
  let fileServer: http.Server;
  let fileServerUrl: string;

  before(async () => {
    server = await startTestServer('sqlite');
    // A local HTTP server standing in for a remote one; loopback, so only reachable when private URLs are allowed.
    fileServer = http.createServer((request, response) => {
      if (request.url === '/statement.pdf') {
        response.writeHead(200, { 'content-type': 'application/pdf' });
        fs.createReadStream(BORN_DIGITAL).pipe(response);
      } else if (request.url === '/big.pdf') {
        response.writeHead(200, { 'content-type': 'application/pdf' });
        fs.createReadStream(LARGE).pipe(response);
      } else if (request.url === '/redirect') {
        response.writeHead(302, { location: '/statement.pdf' });
        response.end();
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => fileServer.listen(0, '127.0.0.1', resolve));
    fileServerUrl = `http://127.0.0.1:${(fileServer.address() as AddressInfo).port}`;
  });
  after(async () => {
    await server.close();
    await new Promise((resolve) => fileServer.close(resolve));
  });

  it('stores the same bytes once and reports type, sha256 and pages', async () => {
    const first = await requestJson(`${server.url}/v1/files`, { form: uploadForm(BORN_DIGITAL) });
    assert.equal(first.status, 201);
    assert.match(first.body.id, /^file_/);
    assert.equal(first.body.type, 'pdf');
    assert.equal(first.body.name, 'cs-bofa-sample.pdf');
    const second = await requestJson(`${server.url}/v1/files`, { form: uploadForm(BORN_DIGITAL, 'copy.pdf') });
    assert.equal(second.status, 201);
    assert.notEqual(second.body.id, first.body.id);
    assert.equal(second.body.sha256, first.body.sha256);
    assert.equal(countBlobs(server.database.dataDir), 1);

    const page = await requestJson(`${server.url}/v1/files/${first.body.id}/pages/1`);
    assert.equal(page.status, 200);
    assert.equal(page.body.page, 1);
    assert.match(page.body.text, /balance/i);
    assert.equal(page.body.words, undefined);
    const withWords = await requestJson(`${server.url}/v1/files/${first.body.id}/pages/1?words=true`);
    assert.ok(withWords.body.words.length > 10);
    assert.ok(withWords.body.words.every((word: { x0: number; x1: number }) => word.x0 >= 0 && word.x1 <= 1));
    const file = await requestJson(`${server.url}/v1/files/${first.body.id}`);
    assert.equal(file.body.num_pages, 2);
    assert.equal(file.body.status, 'processed');
    assert.equal((await requestJson(`${server.url}/v1/files/${first.body.id}/pages/3`)).status, 404);

    const png = await fetch(`${server.url}/v1/files/${first.body.id}/pages/2?format=png`);
    assert.equal(png.status, 200);
    assert.equal(png.headers.get('content-type'), 'image/png');
    assert.deepEqual([...new Uint8Array(await png.arrayBuffer()).slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);

    assert.equal((await requestJson(`${server.url}/v1/files/${first.body.id}`, { method: 'DELETE' })).status, 200);
    assert.equal((await requestJson(`${server.url}/v1/files/${first.body.id}`)).status, 404);
    assert.equal(countBlobs(server.database.dataDir), 1, 'the other file still uses the bytes');
    await requestJson(`${server.url}/v1/files/${second.body.id}`, { method: 'DELETE' });
    assert.equal(countBlobs(server.database.dataDir), 0);
  });

  it('refuses files that are not documents, and empty ones', async () => {
    const text = new FormData();
    text.append('file', new Blob(['just some text, not a PDF']), 'notes.pdf');
    const unsupported = await requestJson(`${server.url}/v1/files`, { form: text });
    assert.equal(unsupported.status, 415);
    assert.equal(unsupported.body.error, 'unsupported_file_type');
    assert.equal(unsupported.body.success, false);
    const empty = new FormData();
    empty.append('file', new Blob([]), 'empty.pdf');
    const emptyAnswer = await requestJson(`${server.url}/v1/files`, { form: empty });
    assert.equal(emptyAnswer.status, 400);
    assert.equal(emptyAnswer.body.error, 'empty_file');
    const nothing = await requestJson(`${server.url}/v1/files`, { json: {} });
    assert.equal(nothing.body.error, 'invalid_request');
    assert.equal((await requestJson(`${server.url}/v1/files/file_missing`)).body.error, 'not_found');
  });

  it('gives back the stored bytes of a file', async () => {
    const uploaded = await requestJson(`${server.url}/v1/files`, { form: uploadForm(BORN_DIGITAL, 'März statement.pdf') });
    const response = await fetch(`${server.url}/v1/files/${uploaded.body.id}/content`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    assert.match(response.headers.get('content-disposition') ?? '', /filename\*=UTF-8''M%C3%A4rz%20statement\.pdf/);
    assert.ok(Buffer.from(await response.arrayBuffer()).equals(fs.readFileSync(BORN_DIGITAL)));
    assert.equal((await requestJson(`${server.url}/v1/files/file_missing/content`)).body.error, 'not_found');

    // A page past the end is 404 whether or not the page count is known yet.
    const unread = await requestJson(`${server.url}/v1/files`, { form: uploadForm(corpusFile('pdf/invoice/i2d-bolcom.pdf')) });
    assert.equal(unread.body.num_pages, null);
    const pastEnd = await requestJson(`${server.url}/v1/files/${unread.body.id}/pages/99`);
    assert.equal(pastEnd.status, 404);
    assert.equal(pastEnd.body.error, 'not_found');
  });

  it('keeps no file from a refused request', async () => {
    const countFiles = async () =>
      Number(
        (
          await server.app.deps.store.db
            .selectFrom('files')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const classifier = await requestJson(`${server.url}/v1/classifiers`, {
      json: { name: 'Refusals', classes: [{ name: 'bank statement' }, { name: 'invoice' }] },
    });
    const before = await countFiles();
    const refused: Array<[string, FormData, string]> = [];
    const unknownClassifier = uploadForm(BORN_DIGITAL);
    unknownClassifier.append('classifier', JSON.stringify({ id: 'cl_missing' }));
    refused.push(['/v1/classify_runs', unknownClassifier, 'not_found']);
    const badField = uploadForm(BORN_DIGITAL);
    badField.append('classifier', '{ "id": ');
    refused.push(['/v1/classify', badField, 'invalid_request']);
    const twoFiles = uploadForm(BORN_DIGITAL);
    twoFiles.append('file', new Blob([fs.readFileSync(BORN_DIGITAL)]), 'again.pdf');
    refused.push(['/v1/files', twoFiles, 'payload_too_large']);
    const tooMany = new FormData();
    for (let index = 0; index < 31; index++) tooMany.append('file', new Blob([fs.readFileSync(BORN_DIGITAL)]), `copy-${index}.pdf`);
    refused.push([`/v1/classifiers/${classifier.body.id}/batches`, tooMany, 'payload_too_large']);
    const badRange = uploadForm(BORN_DIGITAL);
    badRange.append('page_range', 'first');
    refused.push([`/v1/classifiers/${classifier.body.id}/batches`, badRange, 'invalid_page_range']);
    const longField = uploadForm(BORN_DIGITAL);
    longField.append('metadata', JSON.stringify({ note: 'x'.repeat(1024 * 1024 + 10) }));
    refused.push(['/v1/classify_runs', longField, 'payload_too_large']);
    const manyFields = uploadForm(BORN_DIGITAL);
    // A field the route reads, sent 31 times: over the field limit (an unknown name is refused before that, with invalid_request).
    for (let index = 0; index < 31; index++) manyFields.append('query_model', 'x');
    refused.push(['/v1/classify_runs', manyFields, 'payload_too_large']);
    for (const [route, form, code] of refused) {
      const answer = await requestJson(`${server.url}${route}`, { form });
      assert.equal(answer.body.error, code, `${route}: ${JSON.stringify(answer.body)}`);
    }
    assert.equal(await countFiles(), before, 'every stored part of a refused request was removed again');
  });

  it('refuses URLs that point at loopback, private or link-local addresses', async () => {
    for (const url of [
      `${fileServerUrl}/statement.pdf`,
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/x',
      'http://10.0.0.1/x',
      'http://localhost/x',
    ]) {
      const answer = await requestJson(`${server.url}/v1/files`, { json: { url } });
      assert.equal(answer.status, 400, url);
      assert.equal(answer.body.error, 'url_not_allowed', url);
    }
    const scheme = await requestJson(`${server.url}/v1/files`, { json: { url: 'file:///etc/passwd' } });
    assert.equal(scheme.body.error, 'url_not_allowed');
  });

  it('downloads URLs, following redirects, when private addresses are allowed, within the size limit', async () => {
    const open = await startTestServer('sqlite', { ALLOW_PRIVATE_URLS: 'true', MAX_FILE_MB: '1' });
    try {
      const answer = await requestJson(`${open.url}/v1/files`, { json: { url: `${fileServerUrl}/redirect` } });
      assert.equal(answer.status, 201);
      assert.equal(answer.body.type, 'pdf');
      assert.equal(answer.body.source_url, `${fileServerUrl}/statement.pdf`);
      const run = await requestJson(`${open.url}/v1/classify`, {
        json: {
          config: { classes: [{ name: 'bank_statement' }, { name: 'invoice' }] },
          file: { url: `${fileServerUrl}/statement.pdf` },
          page_range: '1',
        },
      });
      assert.equal(run.status, 200, JSON.stringify(run.body));
      assert.equal(run.body.status, 'PROCESSED');
      assert.equal(run.body.num_pages, 1);
      const missing = await requestJson(`${open.url}/v1/files`, { json: { url: `${fileServerUrl}/missing.pdf` } });
      assert.equal(missing.body.error, 'download_failed');
      const tooLargeUrl = await requestJson(`${open.url}/v1/files`, { json: { url: `${fileServerUrl}/big.pdf` } });
      assert.equal(tooLargeUrl.status, 413);
      assert.equal(tooLargeUrl.body.error, 'file_too_large');
      const tooLargeUpload = await requestJson(`${open.url}/v1/files`, { form: uploadForm(LARGE) });
      assert.equal(tooLargeUpload.status, 413);
      assert.equal(tooLargeUpload.body.error, 'file_too_large');
      assert.equal(fs.readdirSync(path.join(open.database.dataDir, 'tmp')).length, 0, 'no partial upload is left behind');
    } finally {
      await open.close();
    }
  });
});
