/**
 * What the service logs, read from a pino logger writing to a stream: the one ready line, no
 * line per request at info, one line per finished job, and internal errors logged but never
 * shown to users. The real server over HTTP on the real SQLite store.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { AppError } from '../src/core/errors.js';
import type { ExtractedDocument, ExtractOptions } from '../src/core/document.js';
import type { Extractor } from '../src/core/ports.js';
import { createExtractor } from '../src/extract/index.js';
import { INTERNAL_FAILURE_MESSAGE } from '../src/runs/runs.service.js';
import { corpusFile, requestJson, startTestServer, waitUntil, type TestServer } from './helpers/test-server.js';

const INVOICE = corpusFile('pdf/invoice/i2d-sammy-maystone.pdf');
const LETTER = corpusFile('pdf/letter/unst-to-whom-letter.pdf');
const STATEMENT = corpusFile('pdf/bank_statement/cs-bofa-sample.pdf');
const CLASSES = [{ name: 'invoice' }, { name: 'letter' }, { name: 'bank_statement' }];
/** A path that exists only in the error below: it must reach the log and nothing a user sees. */
const SERVER_PATH = '/srv/docsort-internal/blobs/ab/missing';

const INFO = 30;
const ERROR = 50;

/** The fields of a classify run these tests read. */
interface RunBody {
  id: string;
  status: string;
  failure_message: string | null;
  num_pages: number | null;
  output: { engine: string } | null;
}

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

function captureLog(): { logger: pino.Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) if (text.trim()) lines.push(JSON.parse(text) as LogLine);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

/** The real extractor, made to fail on demand: at the port, as a broken disk or a bug would. */
class FailingOnDemandExtractor implements Extractor {
  failure: (() => Promise<never>) | null = null;
  constructor(private readonly real: Extractor) {}
  extractFile(filePath: string, options?: ExtractOptions): Promise<ExtractedDocument> {
    return this.failure ? this.failure() : this.real.extractFile(filePath, options);
  }
  sniffFile(filePath: string) {
    return this.real.sniffFile(filePath);
  }
  renderPage(filePath: string, page: number, options?: { password?: string; maxDimension?: number }) {
    return this.real.renderPage(filePath, page, options);
  }
  close() {
    return this.real.close();
  }
}

/** A genuine ENOENT, message and all, as fs gives it for a stored file that went missing. */
const failWithMissingFile = () => fs.promises.readFile(SERVER_PATH).then(() => assert.fail('the path should not exist'));

describe('logging', () => {
  let server: TestServer;
  let log: LogLine[];
  let logger: pino.Logger;
  let linesAtStart: LogLine[];
  const extractor = new FailingOnDemandExtractor(createExtractor({ threads: 1 }));
  const api = (route: string) => `${server.url}${route}`;
  const upload = async (file: string): Promise<string> => {
    const form = new FormData();
    form.append('file', new Blob([fs.readFileSync(file)]), path.basename(file));
    const answer = await requestJson(api('/v1/files'), { form });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    return answer.body.id;
  };
  const runToEnd = async (fileId: string) => {
    const created = await requestJson(api('/v1/classify_runs'), { json: { file: { id: fileId }, config: { classes: CLASSES } } });
    assert.equal(created.status, 202, JSON.stringify(created.body));
    const run = await waitUntil(
      () => requestJson<RunBody>(api(`/v1/classify_runs/${created.body.id}`)),
      (answer) => ['PROCESSED', 'FAILED'].includes(answer.body.status),
    );
    return run.body;
  };
  const jobEndLines = (runId: string) => log.filter((line) => line.msg === 'job finished' && line.runId === runId);
  /** The job's line comes after the run is closed (the queue is told last). */
  const jobEndLine = async (runId: string) =>
    (
      await waitUntil(
        async () => jobEndLines(runId),
        (lines) => lines.length > 0,
      )
    )[0];

  before(async () => {
    ({ logger, lines: log } = captureLog());
    // One attempt: an internal error fails the run at once instead of after retries with backoff.
    server = await startTestServer('sqlite', { WORKER_CONCURRENCY: '1', JOB_MAX_ATTEMPTS: '1' }, { logger, extractor });
    linesAtStart = [...log];
  });
  after(async () => {
    await server.close();
  });

  it('logs one ready line at start with address, store, files, workers and engines', () => {
    const ready = linesAtStart.filter((line) => line.msg === 'docsort ready');
    assert.equal(ready.length, 1);
    assert.equal(ready[0].level, INFO);
    assert.equal(ready[0].address, server.url);
    assert.equal(ready[0].store, 'sqlite');
    assert.equal(ready[0].files, `local ${path.join(server.database.dataDir, 'blobs')}`);
    assert.equal(ready[0].workers, 1);
    assert.deepEqual(ready[0].engines, ['builtin']);
    // Not several: Fastify's "Server listening at" and "worker started" are not at info.
    assert.deepEqual(
      linesAtStart.filter((line) => line.level >= INFO).map((line) => line.msg),
      ['docsort ready'],
    );
  });

  it('logs no line per request at info, and one at debug', async () => {
    const before = log.length;
    assert.equal((await requestJson(api('/healthz'))).status, 200);
    assert.equal((await requestJson(api('/v1/no-such-thing'))).status, 404);
    assert.deepEqual(
      log.slice(before).filter((line) => line.reqId !== undefined || /request/.test(line.msg)),
      [],
    );

    logger.level = 'debug';
    try {
      assert.equal((await requestJson(api('/healthz'))).status, 200);
    } finally {
      logger.level = 'info';
    }
    const requestLines = log.slice(before).filter((line) => line.msg === 'request completed');
    assert.equal(requestLines.length, 1);
    assert.equal(requestLines[0].method, 'GET');
    assert.equal(requestLines[0].url, '/healthz');
    assert.equal(requestLines[0].status, 200);
    assert.equal(typeof requestLines[0].durationMs, 'number');
    assert.match(String(requestLines[0].reqId), /^req_/);
  });

  it('logs one info line when a classify job ends, with run id, pages, engine, duration and outcome', async () => {
    const run = await runToEnd(await upload(INVOICE));
    assert.equal(run.status, 'PROCESSED');
    const line = await jobEndLine(run.id);
    assert.equal(jobEndLines(run.id).length, 1);
    assert.equal(line.level, INFO);
    assert.equal(line.type, 'runs.classify');
    assert.equal(line.pages, run.num_pages);
    assert.equal(line.engine, run.output?.engine);
    assert.equal(typeof line.engine, 'string');
    assert.equal(line.outcome, 'processed');
    assert.equal(typeof line.durationMs, 'number');
    assert.equal(line.errorCode, undefined);
  });

  it('fails a run stopped by an internal error with a generic message and logs the real error with the run id', async () => {
    const fileId = await upload(LETTER);
    extractor.failure = failWithMissingFile;
    const run = await runToEnd(fileId).finally(() => (extractor.failure = null));
    assert.equal(run.status, 'FAILED');
    assert.equal(run.failure_message, INTERNAL_FAILURE_MESSAGE);
    assert.ok(!JSON.stringify(run).includes('docsort-internal'), 'the server path must not reach the run');

    const line = await jobEndLine(run.id);
    assert.equal(line.level, INFO);
    assert.equal(line.outcome, 'failed');
    assert.equal(line.errorCode, 'internal_error');
    assert.equal(line.errorMessage, undefined);
    const logged = log.filter((entry) => entry.level === ERROR && entry.runId === run.id);
    assert.equal(logged.length, 1);
    const err = logged[0].err as { message: string; stack: string; code: string };
    assert.match(err.message, /ENOENT/);
    assert.ok(err.message.includes(SERVER_PATH));
    assert.equal(err.code, 'ENOENT');
    assert.ok(err.stack.length > 0);
  });

  it('keeps the message of an error written for users on the failed run, and logs it as no internal error', async () => {
    const fileId = await upload(STATEMENT);
    const message = 'Page 1 is corrupt and cannot be read (test).';
    extractor.failure = () => Promise.reject(new AppError('unreadable_document', message));
    const run = await runToEnd(fileId).finally(() => (extractor.failure = null));
    assert.equal(run.status, 'FAILED');
    assert.equal(run.failure_message, message);
    const line = await jobEndLine(run.id);
    assert.equal(line.outcome, 'failed');
    assert.equal(line.errorCode, 'unreadable_document');
    assert.equal(line.errorMessage, message);
    assert.deepEqual(
      log.filter((entry) => entry.level >= ERROR && entry.runId === run.id),
      [],
    );
  });

  it('answers an internal error in a request with a generic 500 and logs the real one with the request id', async () => {
    const fileId = await upload(LETTER);
    extractor.failure = failWithMissingFile;
    const before = log.length;
    const answer = await requestJson<{ error: string; message: string }>(api(`/v1/files/${fileId}/pages/1`)).finally(
      () => (extractor.failure = null),
    );
    assert.equal(answer.status, 500);
    assert.equal(answer.body.error, 'internal_error');
    assert.ok(!JSON.stringify(answer.body).includes('docsort-internal'), 'the server path must not reach the client');
    const logged = log.slice(before).filter((entry) => entry.level === ERROR);
    assert.equal(logged.length, 1);
    assert.match(String(logged[0].reqId), /^req_/);
    assert.ok(answer.body.message.includes(String(logged[0].reqId)), 'the client can quote the request id');
    assert.ok((logged[0].err as { message: string }).message.includes(SERVER_PATH));
  });
});
