/**
 * Can a small input or a slow peer hold the service? Sync classify latency of an ordinary
 * invoice on a live server, idle and then with one of two loads running:
 *
 *   node dist/eval/bench-stall.js --url http://127.0.0.1:8080 --load bombs [--samples 10]
 *   node dist/eval/bench-stall.js --url http://127.0.0.1:8080 --load receivers [--samples 10]
 *
 * `bombs`: four clients in a loop, each uploading a fresh 1 GiB page bomb (new bytes every time,
 * so no stored result helps) and asking for its page 1, text and PNG by turns.
 * `receivers`: four webhooks for every event pointing at a local receiver that accepts the
 * connection and never answers (the server needs ALLOW_PRIVATE_URLS=true).
 * Prints p50 / p90 / max of the sync classify wall time in each phase.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBombPdf } from './bomb-pdf.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const INVOICE = path.resolve(repoRoot, '..', 'shared', 'corpus', 'pdf/invoice/dhruv-tax-invoice-uae.pdf');
const CONFIG = JSON.stringify({ classes: [{ name: 'invoice' }, { name: 'letter' }, { name: 'receipt' }] });
function option(name: string, fallback?: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

/** A sample that takes longer than this is counted at this value (and said to have timed out). */
const SAMPLE_TIMEOUT_MS = Number(option('sample-timeout-s', '180')) * 1000;

let classified = 0;

/** Classifies the invoice with a fresh trailing comment, so its bytes (and hash) are new and no saved reading answers for it. */
async function classifyOnce(url: string, invoice: Uint8Array): Promise<number> {
  const form = new FormData();
  form.append('config', CONFIG);
  const bytes = Buffer.concat([invoice, Buffer.from(`%sample-${process.pid}-${classified++}-${Date.now()}\n`)]);
  form.append('file', new Blob([new Uint8Array(bytes)]), 'invoice.pdf');
  const started = performance.now();
  try {
    const response = await fetch(`${url}/v1/classify`, { method: 'POST', body: form, signal: AbortSignal.timeout(SAMPLE_TIMEOUT_MS) });
    const body = (await response.json()) as { status?: string };
    if (body.status !== 'PROCESSED') process.stderr.write(`classify answered ${response.status} ${JSON.stringify(body).slice(0, 200)}\n`);
  } catch {
    return SAMPLE_TIMEOUT_MS;
  }
  return performance.now() - started;
}

async function sampleClassify(url: string, samples: number): Promise<number[]> {
  const invoice = fs.readFileSync(INVOICE);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) times.push(await classifyOnce(url, invoice));
  return times;
}

function summary(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const timedOut = times.filter((ms) => ms >= SAMPLE_TIMEOUT_MS).length;
  return `p50 ${s(at(0.5))}, p90 ${s(at(0.9))}, max ${s(sorted[sorted.length - 1])} (${times.length} samples${timedOut ? `, ${timedOut} over ${SAMPLE_TIMEOUT_MS / 1000} s` : ''})`;
}

/** Four loops of fresh bombs and page requests until `stop` is set. */
function startBombs(url: string, bomb: Buffer, stop: { done: boolean }): { requests: () => number; finished: Promise<void> } {
  let requests = 0;
  const loop = async (client: number) => {
    for (let round = 0; !stop.done; round++) {
      // A trailing comment after %%EOF changes the bytes (so the hash) and nothing else.
      const bytes = Buffer.concat([bomb, Buffer.from(`%${client}-${round}-${Date.now()}\n`)]);
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)]), 'bomb.pdf');
      try {
        const file = (await (await fetch(`${url}/v1/files`, { method: 'POST', body: form })).json()) as { id: string };
        const suffix = round % 2 === 0 ? '' : '?format=png';
        await (await fetch(`${url}/v1/files/${file.id}/pages/1${suffix}`, { signal: AbortSignal.timeout(700_000) })).arrayBuffer();
      } catch {
        // A refused or cut-off request is still load; go on.
      }
      requests++;
    }
  };
  const finished = Promise.all([0, 1, 2, 3].map(loop)).then(() => undefined);
  return { requests: () => requests, finished };
}

/** A TCP server that accepts every connection and never writes a byte. */
async function startSilentReceiver(): Promise<{ url: string; close(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

async function main(): Promise<void> {
  const url = option('url')?.replace(/\/$/, '');
  const load = option('load');
  const samples = Number(option('samples', '10'));
  if (!url || (load !== 'bombs' && load !== 'receivers')) {
    process.stderr.write('usage: node dist/eval/bench-stall.js --url URL --load bombs|receivers [--samples N]\n');
    process.exit(2);
  }
  await classifyOnce(url, fs.readFileSync(INVOICE)); // warm-up: threads, engines, caches
  const idle = await sampleClassify(url, samples);
  process.stdout.write(`idle: ${summary(idle)}\n`);

  if (load === 'bombs') {
    const bomb = await buildBombPdf(1024 * 1024 * 1024);
    process.stdout.write(`bomb: ${(bomb.length / 1024 / 1024).toFixed(1)} MB on disk, 1024 MB inflated\n`);
    const stop = { done: false };
    const bombs = startBombs(url, bomb, stop);
    await new Promise((resolve) => setTimeout(resolve, 3000)); // let the four requests get going
    const loaded = await sampleClassify(url, samples);
    stop.done = true;
    process.stdout.write(`with 4 bomb clients: ${summary(loaded)}; ${bombs.requests()} bomb requests finished meanwhile\n`);
    process.stdout.write(`ratio p50 loaded / idle: ${(median(loaded) / median(idle)).toFixed(2)}\n`);
    // The bomb loops end with their current request; on a server without budgets that can take minutes.
    await Promise.race([bombs.finished, new Promise((resolve) => setTimeout(resolve, 5000))]);
    process.exit(0);
  }

  const receiver = await startSilentReceiver();
  const created: string[] = [];
  for (let i = 0; i < 4; i++) {
    const response = await fetch(`${url}/v1/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${receiver.url}/hook-${i}`, events: ['classify_run.processed', 'classify_run.failed'] }),
    });
    const body = (await response.json()) as { id?: string };
    if (!body.id) throw new Error(`could not register a webhook: ${JSON.stringify(body)}`);
    created.push(body.id);
  }
  const loaded = await sampleClassify(url, samples);
  process.stdout.write(`with 4 never-answering receivers: ${summary(loaded)}\n`);
  process.stdout.write(`ratio p50 loaded / idle: ${(median(loaded) / median(idle)).toFixed(2)}\n`);
  for (const id of created) await fetch(`${url}/v1/webhooks/${id}`, { method: 'DELETE' });
  receiver.close();
  process.exit(0);
}

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

await main();
