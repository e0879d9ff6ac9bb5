/**
 * Extraction benchmark: born-digital PDF pages per second, seconds per OCR page, peak memory.
 *
 *   npm run bench:extract -- [--limit N] [--threads N] [--corpus DIR] [--cli-rss]
 *
 * --limit N   OCR at most N pages (images first, then scanned PDF pages); default 40
 * --cli-rss   also run `docsort extract --json` over every file in corpus/pdf and corpus/img
 *             and report the CLI's peak RSS (this OCRs the whole corpus: minutes)
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ExtractedDocument } from '../src/core/document.js';
import type { Extractor } from '../src/core/ports.js';
import { createExtractor } from '../src/extract/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)]))
    .sort();
}

/** Runs `fn` over items with at most `concurrency` in flight, like the CLI does with files. */
async function runAll<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

let peakRss = 0;
function sampleRss(): void {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}

function mb(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

async function benchTextLayer(extractor: Extractor, pdfs: string[], concurrency: number): Promise<void> {
  // A first pass finds the born-digital files (every page read from its text layer) and warms up
  // the pool threads; the timed passes then read only those.
  const bornDigital: string[] = [];
  await runAll(pdfs, concurrency, async (file) => {
    try {
      const document = await extractor.extractFile(file);
      if (document.pages.every((page) => page.source === 'text' && !page.error)) bornDigital.push(file);
    } catch {
      // unreadable files are not part of this measurement
    }
  });
  let best = Infinity;
  let pages = 0;
  let chars = 0;
  for (let round = 0; round < 3; round++) {
    pages = 0;
    chars = 0;
    const started = performance.now();
    await runAll(bornDigital, concurrency, async (file) => {
      const document = await extractor.extractFile(file);
      pages += document.pages.length;
      chars += document.pages.reduce((sum, page) => sum + page.text.length, 0);
      sampleRss();
    });
    best = Math.min(best, performance.now() - started);
  }
  console.log(`born-digital PDFs: ${bornDigital.length} files, ${pages} pages, ${chars} characters`);
  console.log(
    `  best of 3 rounds: ${Math.round(best)} ms → ${Math.round((pages / best) * 1000)} pages/s (${(best / pages).toFixed(2)} ms/page wall)`,
  );
}

async function benchOcr(extractor: Extractor, images: string[], pdfs: string[], limit: number, workers: number): Promise<void> {
  // Pages to OCR: images one page each, then pages of PDFs that have no text layer.
  const jobs: Array<{ file: string; pageRange?: string }> = images.slice(0, limit).map((file) => ({ file }));
  for (const file of pdfs) {
    if (jobs.length >= limit) break;
    try {
      const probe = await extractor.extractFile(file, { maxPages: 1 });
      if (probe.pages[0]?.source === 'ocr') jobs.push({ file, pageRange: '1' });
    } catch {
      // skip unreadable files
    }
  }
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let pages = 0;
  let failed = 0;
  let confidenceSum = 0;
  let rotated = 0;
  await runAll(jobs, workers + 1, async (job) => {
    try {
      const document: ExtractedDocument = await extractor.extractFile(job.file, { pageRange: job.pageRange, maxPages: 1 });
      for (const page of document.pages) {
        pages++;
        confidenceSum += page.ocr_confidence ?? 0;
        if (page.rotation !== 0) rotated++;
      }
    } catch {
      failed++;
    }
    sampleRss();
  });
  const wall = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `OCR: ${pages} pages (${failed} files failed), ${workers} OCR workers, mean confidence ${(confidenceSum / Math.max(pages, 1)).toFixed(3)}, ${rotated} turned upright`,
  );
  console.log(
    `  wall ${wall.toFixed(1)} s → ${(wall / pages).toFixed(2)} s/page overall, ${((wall * workers) / pages).toFixed(2)} s/page per core`,
  );
  console.log(
    `  CPU ${cpuSeconds.toFixed(1)} s → ${(cpuSeconds / pages).toFixed(2)} CPU s/page (first OCR page includes starting the workers)`,
  );
}

/** The process and its descendants (the `docsort` bin runs its command in a child, see relaunch.ts). */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    const listed = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    children = listed ? listed.split(/\s+/).map(Number) : [];
  } catch {
    // the process has just exited
  }
  return [pid, ...children.flatMap(processTree)];
}

/** A process's resident memory, and its proportional share (PSS: pages shared with others split between them). */
function measureMemory(pid: number): { rss: number; pss: number; hwm: number } {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (text: string, name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    // VmHWM is the kernel's own high-water mark: exact, where sampling can miss a short peak.
    return { rss: field(rollup, 'Rss'), pss: field(rollup, 'Pss'), hwm: field(status, 'VmHWM') };
  } catch {
    return { rss: 0, pss: 0, hwm: 0 };
  }
}

/** Peak RSS of a CLI run: the sum over its process tree, sampled from /proc while it runs. */
async function runCliForRss(files: string[]): Promise<void> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/docsort.js'), 'extract', '--json', ...files], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The bin's supervisor and its child share the node binary's pages: a sum of RSS counts them
  // twice, a sum of PSS once. Both are reported (sampled, so lower bounds), with the largest single
  // process's exact peak.
  const peak = { rss: 0, pss: 0, largest: 0 };
  let processes = 0;
  const poll = setInterval(() => {
    const tree = processTree(child.pid!).map(measureMemory);
    processes = Math.max(processes, tree.length);
    peak.rss = Math.max(
      peak.rss,
      tree.reduce((sum, memory) => sum + memory.rss, 0),
    );
    peak.pss = Math.max(
      peak.pss,
      tree.reduce((sum, memory) => sum + memory.pss, 0),
    );
    peak.largest = Math.max(peak.largest, ...tree.map((memory) => memory.hwm));
  }, 100);
  let read = 0;
  let failedLines = '';
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() && !('error' in (JSON.parse(line) as Record<string, unknown>))) read++;
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (failedLines += chunk.toString('utf8')));
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(poll);
  console.log(
    `CLI over ${files.length} files: ${read} read, exit ${code}, ${Math.round((performance.now() - started) / 1000)} s, peak memory over its ${processes} processes: PSS ${mb(peak.pss)}, RSS ${mb(peak.rss)}; largest process peak RSS (VmHWM) ${mb(peak.largest)}; sums sampled every 0.1 s`,
  );
  if (failedLines.trim()) console.log(`  failed files:\n${failedLines.trim().replace(/^/gm, '    ')}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      help: { type: 'boolean', default: false },
      limit: { type: 'string', default: '40' },
      threads: { type: 'string' },
      corpus: { type: 'string', default: path.resolve(repoRoot, '../shared/corpus') },
      'cli-rss': { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('Usage: npm run bench:extract -- [--limit N] [--threads N] [--corpus DIR] [--cli-rss]');
    return;
  }
  const threads = values.threads ? Number(values.threads) : availableParallelism();
  const limit = Number(values.limit);
  const corpus = values.corpus;
  const pdfs = listFiles(path.join(corpus, 'pdf')).filter((file) => statSync(file).size > 0);
  const images = listFiles(path.join(corpus, 'img'));
  console.log(`docsort extraction benchmark — ${availableParallelism()} cores, ${threads} threads, node ${process.version}`);

  const extractor = createExtractor({ threads });
  const timer = setInterval(sampleRss, 250);
  try {
    await benchTextLayer(extractor, pdfs, threads);
    await benchOcr(extractor, images, pdfs, limit, threads);
  } finally {
    clearInterval(timer);
    await extractor.close();
  }
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(`peak RSS of this benchmark process: ${mb(Math.max(peakRss, maxRss))}`);
  if (values['cli-rss']) await runCliForRss([...pdfs, ...images]);
}

await main();
