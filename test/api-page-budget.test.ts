/**
 * A page that inflates far past its budget: the page endpoints answer page_too_complex quickly,
 * remember it, and classification of an ordinary file goes on meanwhile.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { buildBombPdf } from '../eval/bomb-pdf.js';
import { DIALECTS } from './helpers/test-database.js';
import { corpusFile, requestJson, startTestServer, type TestServer } from './helpers/test-server.js';

const INVOICE = corpusFile('pdf/invoice/dhruv-tax-invoice-uae.pdf');

function form(bytes: Uint8Array, name: string): FormData {
  const body = new FormData();
  body.append('file', new Blob([new Uint8Array(bytes)]), name);
  return body;
}

for (const dialect of DIALECTS) {
  describe(`page budgets (${dialect})`, () => {
    let server: TestServer;
    let bomb: Buffer;
    before(async () => {
      server = await startTestServer(dialect, {}, { workers: 1 });
      // 256 MB of drawing operators in a ~0.8 MB file: MuPDF alone would spend minutes on it.
      bomb = await buildBombPdf(256 * 1024 * 1024);
    });
    after(() => server.close());

    it('answers page_too_complex for the text and the image of a bomb page, and remembers it', async () => {
      const file = await requestJson(`${server.url}/v1/files`, { form: form(bomb, 'bomb.pdf') });
      assert.equal(file.status, 201);
      for (const suffix of ['', '?format=png']) {
        const first = await requestJson(`${server.url}/v1/files/${file.body.id}/pages/1${suffix}`);
        assert.equal(first.status, 422, suffix);
        assert.equal(first.body.error, 'page_too_complex', suffix);
        assert.match(first.body.message, /Page 1 is too complex/);
      }
      const rows = await server.app.deps.store.db.selectFrom('page_failures').selectAll().execute();
      assert.deepEqual(rows.map((row) => [row.page, row.kind, row.code]).sort(), [
        [0, 'png', 'page_too_complex'],
        [0, 'text', 'page_too_complex'],
      ]);
      const again = await requestJson(`${server.url}/v1/files/${file.body.id}/pages/1`);
      assert.equal(again.body.error, 'page_too_complex');
    });

    it('fails a classify run of the bomb with page_too_complex and still classifies an ordinary file', async () => {
      const body = new FormData();
      body.append('config', JSON.stringify({ classes: [{ name: 'invoice' }, { name: 'letter' }] }));
      body.append('file', new Blob([new Uint8Array(bomb)]), 'bomb.pdf');
      const run = await requestJson(`${server.url}/v1/classify`, { form: body });
      assert.equal(run.body.status, 'FAILED');
      assert.equal(run.body.failure_reason, 'FAILED_TO_PROCESS_FILE');
      assert.match(run.body.failure_message, /Page 1 is too complex/);

      const ordinary = new FormData();
      ordinary.append('config', JSON.stringify({ classes: [{ name: 'invoice' }, { name: 'letter' }] }));
      ordinary.append('file', new Blob([new Uint8Array(fs.readFileSync(INVOICE))]), 'invoice.pdf');
      const classified = await requestJson(`${server.url}/v1/classify`, { form: ordinary });
      assert.equal(classified.body.status, 'PROCESSED');
      assert.equal(classified.body.output.classification.class, 'invoice');
    });
  });
}
