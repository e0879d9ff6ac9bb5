/**
 * Encrypted PDFs over HTTP on both dialects: a `password` on upload or on the run opens the file;
 * without it, or with a wrong one, the run fails with `failure_code: encrypted_document`, which a
 * corrupt file never gets. The password is never stored in clear, never answered, never logged.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { sql } from 'kysely';
import { DIALECTS } from './helpers/test-database.js';
import { corpusFile, requestJson, startTestServer, type TestServer } from './helpers/test-server.js';

const LOCKED = corpusFile('broken/pdf/pysample-password.pdf');
const CORRUPT = corpusFile('broken/pdf/gcp-f1120s-k1-corrupt.pdf');
const PASSWORD = 'openpassword';

function upload(file: string, fields: Record<string, string> = {}): FormData {
  const body = new FormData();
  body.append('file', new Blob([fs.readFileSync(file)]), path.basename(file));
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  return body;
}

for (const dialect of DIALECTS) {
  describe(`encrypted PDFs over HTTP on ${dialect}`, () => {
    let server: TestServer;
    let classifierId: string;
    let logged = '';
    const api = (route: string) => `${server.url}${route}`;

    before(async () => {
      const sink = new Writable({
        write(chunk, _encoding, done) {
          logged += chunk.toString();
          done();
        },
      });
      // PostgreSQL processes share no DATA_DIR, so there the key must come from the environment.
      const env = dialect === 'postgres' ? { PDF_PASSWORD_KEY: randomBytes(32).toString('hex') } : {};
      server = await startTestServer(dialect, env, { logger: pino({ level: 'trace' }, sink) });
      classifierId = (await requestJson(api('/v1/classifiers'), { json: { classes: [{ name: 'letter' }, { name: 'invoice' }] } })).body.id;
    });
    after(() => server?.close());

    const classify = (body: Record<string, unknown>) =>
      requestJson(api('/v1/classify'), { json: { classifier: { id: classifierId }, ...body } });

    it('says encrypted_document without a password, and unreadable_document for a corrupt file', async () => {
      const locked = await requestJson(api('/v1/files'), { form: upload(LOCKED) });
      const run = await classify({ file: { id: locked.body.id } });
      assert.equal(run.body.status, 'FAILED');
      assert.equal(run.body.failure_code, 'encrypted_document');
      assert.equal(run.body.failure_reason, 'FAILED_TO_PROCESS_FILE');
      assert.match(run.body.failure_message, /password/);

      const corrupt = await requestJson(api('/v1/files'), { form: upload(CORRUPT) });
      const broken = await classify({ file: { id: corrupt.body.id } });
      assert.equal(broken.body.failure_code, 'unreadable_document');
    });

    it('reads the file with the password given on upload, for runs and page images', async () => {
      const uploaded = await requestJson(api('/v1/files'), { form: upload(LOCKED, { password: PASSWORD }) });
      assert.equal(uploaded.status, 201);
      assert.equal(JSON.stringify(uploaded.body).includes(PASSWORD), false);
      const run = await classify({ file: { id: uploaded.body.id } });
      assert.equal(run.body.status, 'PROCESSED', run.body.failure_message);
      assert.ok(run.body.num_pages >= 1);
      const image = await fetch(api(`/v1/files/${uploaded.body.id}/pages/1?format=png`));
      assert.equal(image.status, 200);
      assert.equal(image.headers.get('content-type'), 'image/png');
    });

    it('takes the password on the run, and says when it is wrong', async () => {
      const uploaded = await requestJson(api('/v1/files'), { form: upload(LOCKED) });
      const wrong = await classify({ file: { id: uploaded.body.id }, password: 'not-it' });
      assert.equal(wrong.body.failure_code, 'encrypted_document');
      assert.match(wrong.body.failure_message, /wrong/);
      // The same bytes read with the right password elsewhere are not handed to a wrong one.
      const right = await requestJson(api('/v1/classify_runs'), {
        form: upload(LOCKED, { classifier: JSON.stringify({ id: classifierId }), password: PASSWORD }),
      });
      assert.equal(right.status, 202, JSON.stringify(right.body));
      const started = await classify({ file: { id: uploaded.body.id }, password: PASSWORD });
      assert.equal(started.body.status, 'PROCESSED', started.body.failure_message);
      const again = await requestJson(api('/v1/files'), { form: upload(LOCKED, { password: 'still-not-it' }) });
      const refused = await classify({ file: { id: again.body.id } });
      assert.equal(refused.body.failure_code, 'encrypted_document');
    });

    it('keeps the password sealed in the database and out of every log line', async () => {
      const store = server.app.deps.store;
      const tables = ['files', 'classify_runs', 'jobs', 'job_steps', 'extractions'];
      for (const table of tables) {
        const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(store.db);
        assert.equal(JSON.stringify(rows.rows).includes(PASSWORD), false, `${table} holds no password in clear`);
      }
      const sealed = await sql<{ pdf_password: string }>`select pdf_password from files where pdf_password is not null`.execute(store.db);
      assert.ok(sealed.rows.length >= 2);
      assert.ok(sealed.rows.every((row) => row.pdf_password.startsWith('v1.')));
      assert.ok(logged.includes('request completed'), 'requests were logged at this level');
      assert.equal(logged.includes(PASSWORD), false);
    });
  });
}
