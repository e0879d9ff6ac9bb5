/**
 * The mistakes careless clients and attackers make, sent to a live server, each with the status
 * and error code it must answer. A 500 or a different code is a finding. CI runs every case
 * against a test server on both databases (`test/abuse.test.ts`).
 *
 *   node dist/eval/abuse.js --url http://127.0.0.1:8080 [--key KEY] [--max-file-mb N]
 *
 * `--max-file-mb` is the server's MAX_FILE_MB; the oversize-file cases send a file one byte over
 * it, so they run only when it is given (and small). Private URLs must not be allowed on the
 * server (ALLOW_PRIVATE_URLS unset) for the SSRF cases to mean anything.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORPUS = path.resolve(repoRoot, '..', 'shared', 'corpus');
const BORN_DIGITAL = path.join(CORPUS, 'pdf/invoice/dhruv-tax-invoice-uae.pdf');

export interface AbuseTarget {
  url: string;
  key?: string | null;
  /** The server's MAX_FILE_MB, for the oversize-file cases. */
  maxFileMb?: number | null;
}

interface Context {
  target: AbuseTarget;
  fileId: string;
  classifierId: string;
}

interface Sent {
  status: number;
  body: unknown;
}

interface AbuseCase {
  name: string;
  status: number;
  code: string;
  /** Extra check of the answer (e.g. that a batch named the file in rejected_files); a string is the finding. */
  check?: (body: unknown) => string | null;
  skip?: (context: Context) => boolean;
  send(context: Context): Promise<Sent>;
}

export interface AbuseResult {
  name: string;
  expected: string;
  got: string;
  ok: boolean;
  skipped: boolean;
  note: string | null;
}

function authHeaders(target: AbuseTarget): Record<string, string> {
  return target.key ? { authorization: `Bearer ${target.key}` } : {};
}

async function send(
  target: AbuseTarget,
  method: string,
  urlPath: string,
  body?: BodyInit | Buffer,
  headers: Record<string, string> = {},
): Promise<Sent> {
  const response = await fetch(target.url + urlPath, { method, headers: { ...authHeaders(target), ...headers }, body: body as BodyInit });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: kept as text, and the case fails on its code.
  }
  return { status: response.status, body: parsed };
}

const sendJson = (context: Context, method: string, urlPath: string, value: unknown) =>
  send(context.target, method, urlPath, JSON.stringify(value), { 'content-type': 'application/json' });

/** JSON text nesting `depth` arrays (`[[[…]]]`) or objects (`{"a":{"a":…}}`); built as text, since JSON.stringify itself overflows. */
function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const BOUNDARY = 'docsortabuse';

/** A multipart body written by hand, so it can be wrong in the ways a client gets it wrong. */
function multipart(parts: Array<{ name: string; value: string | Buffer; fileName?: string }>, boundary = BOUNDARY, close = true): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.fileName !== undefined ? `; filename="${part.fileName}"` : ''}`;
    const type = part.fileName !== undefined ? '\r\nContent-Type: application/octet-stream' : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`, 'utf8'));
    chunks.push(Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value, 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  if (close) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

const multipartType = (boundary = BOUNDARY) => ({ 'content-type': `multipart/form-data; boundary=${boundary}` });

function pdfBytes(): Buffer {
  return fs.readFileSync(BORN_DIGITAL);
}

const BAD_PAGE_RANGES = ['9-1', '0', '0-0', '3-2,1', '99999999999999999999', '', '1-99999999999999999999', ' , '];

function classifierWith(settings: Record<string, unknown>, classes: string[] = ['invoice', 'receipt']) {
  return { name: 'abuse', classes: classes.map((name) => ({ name })), settings };
}

function expectRejectedFile(code: string) {
  return (body: unknown) => {
    const rejected = (body as { rejected_files?: Array<{ error: string }> } | null)?.rejected_files;
    if (!Array.isArray(rejected) || rejected.length !== 1) return `expected one rejected file, got ${JSON.stringify(rejected)}`;
    return rejected[0].error === code ? null : `rejected_files[0].error is ${rejected[0].error}, not ${code}`;
  };
}

const CASES: AbuseCase[] = [
  // Multipart framing.
  ...['/v1/files', '/v1/classify_runs'].flatMap((urlPath): AbuseCase[] => [
    {
      name: `${urlPath}: multipart with no boundary`,
      status: 400,
      code: 'invalid_request',
      send: (c) => send(c.target, 'POST', urlPath, 'hello', { 'content-type': 'multipart/form-data' }),
    },
    {
      name: `${urlPath}: multipart with a wrong boundary`,
      status: 400,
      code: 'invalid_request',
      send: (c) =>
        send(c.target, 'POST', urlPath, multipart([{ name: 'file', value: pdfBytes(), fileName: 'a.pdf' }], 'other'), multipartType()),
    },
    {
      name: `${urlPath}: multipart body cut short`,
      status: 400,
      code: 'invalid_request',
      send: (c) =>
        send(
          c.target,
          'POST',
          urlPath,
          multipart([{ name: 'file', value: pdfBytes().subarray(0, 2000), fileName: 'a.pdf' }], BOUNDARY, false),
          multipartType(),
        ),
    },
    {
      name: `${urlPath}: JSON sent as multipart`,
      status: 400,
      code: 'invalid_request',
      send: (c) => send(c.target, 'POST', urlPath, JSON.stringify({ file: { id: c.fileId } }), multipartType()),
    },
  ]),
  // Deep and NUL-bearing JSON.
  ...(['array', 'object'] as const).map(
    (kind): AbuseCase => ({
      name: `metadata nested ${kind === 'array' ? '100,000 arrays' : '5,000 objects'} deep (JSON)`,
      status: 400,
      code: 'invalid_request',
      send: (c) =>
        send(
          c.target,
          'POST',
          '/v1/classify_runs',
          `{"classifier":{"id":"${c.classifierId}"},"file":{"id":"${c.fileId}"},"metadata":{"x":${deepJson(kind === 'array' ? 100_000 : 5_000, kind)}}}`,
          { 'content-type': 'application/json' },
        ),
    }),
  ),
  {
    name: 'metadata nested 100,000 arrays deep (multipart field)',
    status: 400,
    code: 'invalid_request',
    send: (c) =>
      send(
        c.target,
        'POST',
        '/v1/classify_runs',
        multipart([
          { name: 'classifier', value: JSON.stringify({ id: c.classifierId }) },
          { name: 'file', value: JSON.stringify({ id: c.fileId }) },
          { name: 'metadata', value: `{"x":${deepJson(100_000, 'array')}}` },
        ]),
        multipartType(),
      ),
  },
  {
    name: 'classifier config nested 5,000 objects deep',
    status: 400,
    code: 'invalid_request',
    send: (c) =>
      send(c.target, 'POST', '/v1/classifiers', `{"classes":[{"name":"a"}],"settings":${deepJson(5_000, 'object')}}`, {
        'content-type': 'application/json',
      }),
  },
  {
    name: 'NUL in an uploaded file name',
    status: 400,
    code: 'invalid_request',
    send: (c) =>
      send(c.target, 'POST', '/v1/files', multipart([{ name: 'file', value: pdfBytes(), fileName: 'in\u0000voice.pdf' }]), multipartType()),
  },
  {
    name: 'NUL in a webhook description',
    status: 400,
    code: 'invalid_request',
    send: (c) => sendJson(c, 'POST', '/v1/webhooks', { url: 'https://example.com/hook', events: [], description: 'a\u0000b' }),
  },
  {
    name: 'NUL in a key name',
    status: 400,
    code: 'invalid_request',
    send: (c) => sendJson(c, 'POST', '/v1/keys', { name: 'key\u0000name' }),
  },
  {
    name: 'NUL in a metadata value',
    status: 400,
    code: 'invalid_request',
    send: (c) =>
      sendJson(c, 'POST', '/v1/classify_runs', {
        classifier: { id: c.classifierId },
        file: { id: c.fileId },
        metadata: { note: 'a\u0000' },
      }),
  },
  {
    name: 'NUL in a query parameter',
    status: 400,
    code: 'invalid_request',
    send: (c) => send(c.target, 'GET', '/v1/classify_runs?class=in%00voice'),
  },
  {
    name: 'NUL in an id in the path',
    status: 400,
    code: 'invalid_request',
    send: (c) => send(c.target, 'GET', '/v1/files/file_%00'),
  },
  // Page ranges, wherever one is written.
  ...BAD_PAGE_RANGES.flatMap((range): AbuseCase[] => [
    {
      name: `classifier settings.page_range ${JSON.stringify(range)}`,
      status: 400,
      code: 'invalid_page_range',
      send: (c) => sendJson(c, 'POST', '/v1/classifiers', classifierWith({ page_range: range })),
    },
    {
      name: `run page_range ${JSON.stringify(range)}`,
      status: 400,
      code: 'invalid_page_range',
      send: (c) =>
        sendJson(c, 'POST', '/v1/classify_runs', { classifier: { id: c.classifierId }, file: { id: c.fileId }, page_range: range }),
    },
    {
      name: `batch page_range ${JSON.stringify(range)} (multipart)`,
      status: 400,
      code: 'invalid_page_range',
      send: (c) =>
        send(
          c.target,
          'POST',
          `/v1/classifiers/${c.classifierId}/batches`,
          multipart([
            { name: 'page_range', value: range },
            { name: 'files', value: pdfBytes(), fileName: 'a.pdf' },
          ]),
          multipartType(),
        ),
    },
  ]),
  {
    name: 'classifier settings.page_range "2-" (documented) is taken',
    status: 201,
    code: '',
    send: (c) => sendJson(c, 'POST', '/v1/classifiers', classifierWith({ page_range: '2-' })),
  },
  {
    name: 'run page_range "2-" (documented) is taken',
    status: 202,
    code: '',
    send: (c) => sendJson(c, 'POST', '/v1/classify_runs', { classifier: { id: c.classifierId }, file: { id: c.fileId }, page_range: '2-' }),
  },
  // Classifier definitions.
  {
    name: 'unknown engine',
    status: 422,
    code: 'invalid_configuration',
    send: (c) => sendJson(c, 'POST', '/v1/classifiers', classifierWith({ engine: 'gpt-9' })),
  },
  {
    name: 'unknown engine in a classifier change',
    status: 422,
    code: 'invalid_configuration',
    send: (c) => sendJson(c, 'PATCH', `/v1/classifiers/${c.classifierId}`, { settings: { engine: 'gpt-9' } }),
  },
  {
    name: 'unknown engine in an inline run config',
    status: 422,
    code: 'invalid_configuration',
    send: (c) => sendJson(c, 'POST', '/v1/classify_runs', { config: classifierWith({ engine: 'gpt-9' }), file: { id: c.fileId } }),
  },
  ...[
    ['invoice', 'inv\u200boice'],
    ['invoice', 'ｉｎｖｏｉｃｅ'],
    ['café', 'cafe\u0301'],
    ['invoice', '\ufeffinvoice'],
  ].map(
    ([a, b]): AbuseCase => ({
      name: `class names ${JSON.stringify(a)} and ${JSON.stringify(b)} are one name`,
      status: 422,
      code: 'invalid_configuration',
      send: (c) => sendJson(c, 'POST', '/v1/classifiers', classifierWith({}, [a, b])),
    }),
  ),
  {
    name: 'a class name of zero-width characters only',
    status: 422,
    code: 'invalid_configuration',
    send: (c) => sendJson(c, 'POST', '/v1/classifiers', classifierWith({}, ['invoice', '\u200b\u200d'])),
  },
  {
    name: 'a class route to a loopback address',
    status: 400,
    code: 'url_not_allowed',
    send: (c) =>
      sendJson(c, 'POST', '/v1/classifiers', {
        name: 'routes',
        classes: [{ name: 'invoice', route: 'http://127.0.0.1:9/hook' }, { name: 'receipt' }],
      }),
  },
  {
    name: 'a class route to a cloud metadata address, in a change',
    status: 400,
    code: 'url_not_allowed',
    send: (c) =>
      sendJson(c, 'PATCH', `/v1/classifiers/${c.classifierId}`, { classes: [{ name: 'invoice', route: 'http://169.254.169.254/latest' }] }),
  },
  // Multipart fields the JSON form would refuse.
  {
    name: 'unknown multipart field on a run',
    status: 400,
    code: 'invalid_request',
    send: (c) =>
      send(
        c.target,
        'POST',
        '/v1/classify_runs',
        multipart([
          { name: 'classifier', value: JSON.stringify({ id: c.classifierId }) },
          { name: 'colour', value: 'blue' },
          { name: 'file', value: pdfBytes(), fileName: 'a.pdf' },
        ]),
        multipartType(),
      ),
  },
  {
    name: 'unknown multipart field on a batch',
    status: 400,
    code: 'invalid_request',
    send: (c) =>
      send(
        c.target,
        'POST',
        `/v1/classifiers/${c.classifierId}/batches`,
        multipart([
          { name: 'pagerange', value: '1' },
          { name: 'files', value: pdfBytes(), fileName: 'a.pdf' },
        ]),
        multipartType(),
      ),
  },
  {
    name: 'unknown multipart field on an upload',
    status: 400,
    code: 'invalid_request',
    send: (c) =>
      send(
        c.target,
        'POST',
        '/v1/files',
        multipart([
          { name: 'name', value: 'x' },
          { name: 'file', value: pdfBytes(), fileName: 'a.pdf' },
        ]),
        multipartType(),
      ),
  },
  // Oversize files.
  {
    name: 'one oversize file in a batch lands in rejected_files',
    status: 202,
    code: '',
    skip: (c) => !c.target.maxFileMb,
    check: expectRejectedFile('file_too_large'),
    send: (c) =>
      send(
        c.target,
        'POST',
        `/v1/classifiers/${c.classifierId}/batches`,
        multipart([
          { name: 'files', value: pdfBytes(), fileName: 'small.pdf' },
          { name: 'files', value: Buffer.concat([pdfBytes(), Buffer.alloc((c.target.maxFileMb ?? 0) * 1024 * 1024)]), fileName: 'big.pdf' },
        ]),
        multipartType(),
      ),
  },
  {
    name: 'an oversize upload',
    status: 413,
    code: 'file_too_large',
    skip: (c) => !c.target.maxFileMb,
    send: (c) =>
      send(
        c.target,
        'POST',
        '/v1/files',
        multipart([{ name: 'file', value: Buffer.alloc((c.target.maxFileMb ?? 0) * 1024 * 1024 + 1, 0x25), fileName: 'big.pdf' }]),
        multipartType(),
      ),
  },
  // SSRF.
  ...[
    'http://[::ffff:0:7f00:1]/a.pdf',
    'http://[::ffff:0:a9fe:a9fe]/a.pdf',
    'http://[2001::7f00:1]/a.pdf',
    'http://[::ffff:127.0.0.1]/a.pdf',
    'http://0x7f000001/a.pdf',
  ].map(
    (url): AbuseCase => ({
      name: `file URL ${url}`,
      status: 400,
      code: 'url_not_allowed',
      send: (c) => sendJson(c, 'POST', '/v1/files', { url }),
    }),
  ),
  // Damaged files.
  {
    name: 'a PDF cut to its first 3,000 bytes reads as unreadable, not as empty pages',
    status: 422,
    code: 'unreadable_document',
    async send(c) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(pdfBytes().subarray(0, 3000))]), 'cut.pdf');
      const uploaded = await send(c.target, 'POST', '/v1/files', form);
      if (uploaded.status !== 201) return uploaded;
      return send(c.target, 'GET', `/v1/files/${(uploaded.body as { id: string }).id}/pages/1`);
    },
  },
];

async function prepare(target: AbuseTarget): Promise<Context> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(pdfBytes())]), 'invoice.pdf');
  const file = await send(target, 'POST', '/v1/files', form);
  if (file.status !== 201) throw new Error(`could not upload the sample file: ${file.status} ${JSON.stringify(file.body)}`);
  const classifier = await send(target, 'POST', '/v1/classifiers', JSON.stringify(classifierWith({})), {
    'content-type': 'application/json',
  });
  if (classifier.status !== 201) throw new Error(`could not create a classifier: ${classifier.status} ${JSON.stringify(classifier.body)}`);
  return { target, fileId: (file.body as { id: string }).id, classifierId: (classifier.body as { id: string }).id };
}

function describeAnswer(sent: Sent): string {
  const code = (sent.body as { error?: unknown } | null)?.error;
  return typeof code === 'string' ? `${sent.status} ${code}` : String(sent.status);
}

/** Sends every case one after another and says for each whether the server answered as it must. */
export async function runAbuse(target: AbuseTarget): Promise<AbuseResult[]> {
  const context = await prepare(target);
  const results: AbuseResult[] = [];
  for (const item of CASES) {
    const expected = item.code ? `${item.status} ${item.code}` : String(item.status);
    if (item.skip?.(context)) {
      results.push({ name: item.name, expected, got: '-', ok: true, skipped: true, note: null });
      continue;
    }
    let got: string;
    let note: string | null = null;
    try {
      const sent = await item.send(context);
      got = describeAnswer(sent);
      if (got === expected && item.check) note = item.check(sent.body);
      else if (got !== expected) note = JSON.stringify(sent.body)?.slice(0, 200) ?? null;
    } catch (error) {
      got = `no answer (${(error as Error).message})`;
    }
    results.push({ name: item.name, expected, got, ok: got === expected && note === null, skipped: false, note });
  }
  return results;
}

function readOption(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const url = readOption(args, 'url');
  if (!url) {
    process.stderr.write('usage: node dist/eval/abuse.js --url http://127.0.0.1:8080 [--key KEY] [--max-file-mb N]\n');
    process.exit(2);
  }
  const maxFileMb = readOption(args, 'max-file-mb');
  const results = await runAbuse({
    url: url.replace(/\/$/, ''),
    key: readOption(args, 'key') ?? null,
    maxFileMb: maxFileMb ? Number(maxFileMb) : null,
  });
  for (const result of results) {
    const mark = result.skipped ? 'skip' : result.ok ? 'ok  ' : 'FAIL';
    process.stdout.write(
      `${mark}  ${result.name}: expected ${result.expected}, got ${result.got}${result.note ? ` — ${result.note}` : ''}\n`,
    );
  }
  const failed = results.filter((result) => !result.ok);
  const serverErrors = results.filter((result) => /^5\d\d/.test(result.got));
  process.stdout.write(
    `\n${results.length} cases, ${results.filter((r) => r.skipped).length} skipped, ${failed.length} wrong, ${serverErrors.length} answered 5xx\n`,
  );
  process.exit(failed.length > 0 ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
