/**
 * Mutated corpus files through extraction and through the HTTP API: bit flips, truncation, chunk
 * copies, swapped headers and inflated streams, chosen by a seed, so a finding can be replayed.
 *
 *   node dist/eval/fuzz.js --seed 1 --count 5000 [--http-every 1] [--save-dir DIR]
 *
 * A crash is an `internal_error` (or a non-AppError) from the extractor, or a 5xx / run failed
 * with INTERNAL_ERROR over HTTP; a hang is an answer later than the deadline plus a margin; an
 * undocumented code is one outside `ERROR_CODES`. Prints counts, every finding and the slowest
 * mutants. CI runs 200 mutants (`eval/fuzz.test.ts`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { ERROR_CODES, isAppError } from '../src/core/errors.js';
import type { Extractor } from '../src/core/ports.js';
import { createExtractor } from '../src/extract/index.js';
import { buildBombPdf } from './bomb-pdf.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORPUS = path.resolve(repoRoot, '..', 'shared', 'corpus');
/** Small sources keep a mutant's cost near a second; the mutations, not the size, find the bugs. */
const MAX_SOURCE_BYTES = 200 * 1024;
/** The margin past a mutant's deadline after which no answer counts as a hang. */
const HANG_MARGIN_MS = 15_000;
const DOCUMENTED = new Set<string>(ERROR_CODES.filter((code) => code !== 'internal_error'));

export const MUTATIONS = ['flip', 'truncate', 'copy_chunk', 'swap_header', 'inflate_stream'] as const;
export type Mutation = (typeof MUTATIONS)[number];

export interface FuzzOptions {
  seed: number;
  count: number;
  /** Send every n-th mutant through the HTTP API as well (1: all). */
  httpEvery?: number;
  /** The extraction deadline of one mutant (and of the server's reads); `timeout` is a documented outcome. */
  deadlineMs?: number;
  /** Keep the mutants that found something here, named by seed and index. */
  saveDir?: string | null;
  onProgress?: (done: number) => void;
}

export interface Finding {
  index: number;
  source: string;
  mutation: Mutation;
  where: 'extract' | 'http';
  kind: 'crash' | 'hang' | 'undocumented_code';
  detail: string;
}

export interface FuzzSummary {
  seed: number;
  mutants: number;
  httpRequests: number;
  byMutation: Record<string, number>;
  /** How extraction ended: `ok` or the error code. */
  outcomes: Record<string, number>;
  findings: Finding[];
  slowest: Array<{ index: number; source: string; mutation: Mutation; ms: number; outcome: string }>;
  durationMs: number;
}

/** mulberry32: small, fast and the same on every machine. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function listSources(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(pdf|png|jpe?g|gif|tiff?|bmp|webp)$/i.test(entry.name) && fs.statSync(full).size <= MAX_SOURCE_BYTES) files.push(full);
    }
  };
  for (const dir of ['pdf', 'img']) walk(path.join(CORPUS, dir));
  return files;
}

const HEADERS: Buffer[] = [
  Buffer.from('%PDF-1.7\n'),
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  Buffer.from('GIF89a'),
  Buffer.from([0x49, 0x49, 0x2a, 0x00]),
  Buffer.from('BM'),
  Buffer.from('RIFF\0\0\0\0WEBP'),
];

const int = (random: () => number, below: number) => Math.floor(random() * below);

/** One mutant of `bytes`; `bombs` holds small bomb pages to splice in. */
function mutate(bytes: Buffer, mutation: Mutation, random: () => number, bombs: Buffer[]): Buffer {
  const copy = Buffer.from(bytes);
  switch (mutation) {
    case 'flip': {
      const flips = 1 + int(random, 64);
      for (let i = 0; i < flips; i++) copy[int(random, copy.length)] ^= 1 << int(random, 8);
      return copy;
    }
    case 'truncate':
      return copy.subarray(0, Math.max(1, int(random, copy.length)));
    case 'copy_chunk': {
      const length = 1 + int(random, Math.min(8192, copy.length));
      const from = int(random, Math.max(1, copy.length - length));
      const to = int(random, copy.length);
      return Buffer.concat([copy.subarray(0, to), copy.subarray(from, from + length), copy.subarray(to)]);
    }
    case 'swap_header': {
      const header = HEADERS[int(random, HEADERS.length)];
      return Buffer.concat([header, copy.subarray(Math.min(copy.length, header.length))]);
    }
    case 'inflate_stream': {
      // Either a bomb page on its own, or a bomb's page object spliced over part of the source.
      const bomb = bombs[int(random, bombs.length)];
      if (random() < 0.5) return bomb;
      const at = int(random, copy.length);
      return Buffer.concat([copy.subarray(0, at), bomb.subarray(int(random, bomb.length / 2)), copy.subarray(at)]);
    }
  }
}

interface Outcome {
  outcome: string;
  ms: number;
  crash?: string;
  hang?: boolean;
}

async function extractOnce(extractor: Extractor, file: string, deadlineMs: number): Promise<Outcome> {
  const started = performance.now();
  let guard: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    guard = setTimeout(() => resolve('hang'), deadlineMs + HANG_MARGIN_MS);
  });
  try {
    const result = await Promise.race([extractor.extractFile(file, { maxPages: 2, timeoutMs: deadlineMs }), hang]);
    const ms = performance.now() - started;
    if (result === 'hang') return { outcome: 'hang', ms, hang: true };
    const pageCrash = result.pages.find((page) => page.error?.code === 'internal_error');
    return pageCrash ? { outcome: 'internal_error', ms, crash: pageCrash.error?.message } : { outcome: 'ok', ms };
  } catch (error) {
    const ms = performance.now() - started;
    if (!isAppError(error)) return { outcome: 'exception', ms, crash: String(error) };
    if (error.code === 'internal_error') return { outcome: error.code, ms, crash: error.message };
    return { outcome: error.code, ms };
  } finally {
    clearTimeout(guard);
  }
}

async function classifyOverHttp(url: string, bytes: Buffer, name: string, deadlineMs: number): Promise<Outcome> {
  const started = performance.now();
  const form = new FormData();
  form.append('config', JSON.stringify({ classes: [{ name: 'invoice' }, { name: 'letter' }], settings: { max_pages: 2 } }));
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  try {
    const response = await fetch(`${url}/v1/classify`, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(deadlineMs * 3 + HANG_MARGIN_MS),
    });
    const body = (await response.json()) as {
      status?: string;
      error?: string;
      failure_reason?: string;
      failure_message?: string;
      message?: string;
    };
    const ms = performance.now() - started;
    if (response.status >= 500) return { outcome: `http_${response.status}`, ms, crash: `${body.error}: ${body.message}` };
    if (response.status >= 400) return { outcome: body.error ?? `http_${response.status}`, ms };
    if (body.failure_reason === 'INTERNAL_ERROR') return { outcome: 'run_internal_error', ms, crash: body.failure_message ?? '' };
    return { outcome: body.status ?? 'unknown', ms };
  } catch (error) {
    return { outcome: 'hang', ms: performance.now() - started, hang: true, crash: String(error) };
  }
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const started = performance.now();
  const random = createRandom(options.seed);
  const sources = listSources();
  const httpEvery = Math.max(1, options.httpEvery ?? 1);
  const bombs = [await buildBombPdf(24 * 1024 * 1024), await buildBombPdf(96 * 1024 * 1024)];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-fuzz-'));
  const deadlineMs = options.deadlineMs ?? 20_000;
  const extractor = createExtractor({ threads: 1 });
  const config = loadConfig({ DATA_DIR: path.join(work, 'data'), AUTH: 'off', LOG_LEVEL: 'silent', PORT: '0', JOB_POLL_MS: '100' });
  // The server reads under the same deadline, through an extractor of its own.
  const app = await createApp(config, {
    api: true,
    workers: 1,
    extractor: createExtractor({ threads: 1, limits: { timeoutMs: deadlineMs } }),
  });
  const url = await app.start();
  const summary: FuzzSummary = {
    seed: options.seed,
    mutants: 0,
    httpRequests: 0,
    byMutation: {},
    outcomes: {},
    findings: [],
    slowest: [],
    durationMs: 0,
  };
  const timings: FuzzSummary['slowest'] = [];
  try {
    for (let index = 0; index < options.count; index++) {
      const source = sources[int(random, sources.length)];
      const mutation = MUTATIONS[int(random, MUTATIONS.length)];
      const bytes = mutate(fs.readFileSync(source), mutation, random, bombs);
      const name = `${index}-${path.basename(source)}`;
      const file = path.join(work, name);
      fs.writeFileSync(file, bytes);
      const found = (where: Finding['where'], kind: Finding['kind'], detail: string) => {
        summary.findings.push({ index, source: path.relative(CORPUS, source), mutation, where, kind, detail: detail.slice(0, 300) });
        if (options.saveDir) {
          fs.mkdirSync(options.saveDir, { recursive: true });
          fs.copyFileSync(file, path.join(options.saveDir, `seed${options.seed}-${name}`));
        }
      };
      const judge = (where: Finding['where'], result: Outcome) => {
        if (result.hang) found(where, 'hang', `no answer after ${Math.round(result.ms)} ms`);
        else if (result.crash !== undefined) found(where, 'crash', `${result.outcome}: ${result.crash}`);
        else if (where === 'extract' && result.outcome !== 'ok' && !DOCUMENTED.has(result.outcome))
          found(where, 'undocumented_code', result.outcome);
      };
      const extracted = await extractOnce(extractor, file, deadlineMs);
      judge('extract', extracted);
      summary.outcomes[extracted.outcome] = (summary.outcomes[extracted.outcome] ?? 0) + 1;
      timings.push({ index, source: path.relative(CORPUS, source), mutation, ms: Math.round(extracted.ms), outcome: extracted.outcome });
      if (url && index % httpEvery === 0) {
        summary.httpRequests++;
        const answered = await classifyOverHttp(url, bytes, name, deadlineMs);
        judge('http', answered);
        if (
          !answered.hang &&
          answered.crash === undefined &&
          !['PROCESSED', 'FAILED'].includes(answered.outcome) &&
          !DOCUMENTED.has(answered.outcome)
        )
          found('http', 'undocumented_code', answered.outcome);
      }
      fs.rmSync(file, { force: true });
      summary.mutants++;
      summary.byMutation[mutation] = (summary.byMutation[mutation] ?? 0) + 1;
      options.onProgress?.(index + 1);
    }
  } finally {
    await app.close(2000);
    await extractor.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
  summary.slowest = timings.sort((a, b) => b.ms - a.ms).slice(0, 10);
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

async function main(): Promise<void> {
  const seed = Number(option('seed', '1'));
  const count = Number(option('count', '200'));
  const summary = await runFuzz({
    seed,
    count,
    httpEvery: Number(option('http-every', '1')),
    deadlineMs: Number(option('deadline-s', '20')) * 1000,
    saveDir: option('save-dir', '') || null,
    onProgress: (done) => {
      if (done % 100 === 0) process.stderr.write(`${done}/${count}\n`);
    },
  });
  const kinds = (kind: Finding['kind']) => summary.findings.filter((finding) => finding.kind === kind).length;
  process.stdout.write(
    `seed ${seed}: ${summary.mutants} mutants (${Object.entries(summary.byMutation)
      .map(([mutation, n]) => `${mutation} ${n}`)
      .join(', ')}), ${summary.httpRequests} through HTTP, ${(summary.durationMs / 1000).toFixed(0)} s\n`,
  );
  process.stdout.write(`crashes ${kinds('crash')}, hangs ${kinds('hang')}, undocumented codes ${kinds('undocumented_code')}\n`);
  process.stdout.write(
    `extraction outcomes: ${Object.entries(summary.outcomes)
      .sort((a, b) => b[1] - a[1])
      .map(([outcome, n]) => `${outcome} ${n}`)
      .join(', ')}\n`,
  );
  for (const finding of summary.findings)
    process.stdout.write(
      `FINDING #${finding.index} ${finding.where} ${finding.kind} ${finding.mutation} of ${finding.source}: ${finding.detail}\n`,
    );
  process.stdout.write('slowest:\n');
  for (const slow of summary.slowest)
    process.stdout.write(`  #${slow.index} ${slow.ms} ms ${slow.mutation} of ${slow.source} → ${slow.outcome}\n`);
  process.exit(summary.findings.length > 0 ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
