/**
 * Speed and memory of the classification engine alone, on pages already extracted into the
 * page cache by `docsort eval` (run that first). Prints engine start time (process start to the
 * first classified page, knowledge pack compiled), pages per second on one core over text-layer
 * pages, and peak RSS.
 *
 *   node dist/eval/bench-classify.js MANIFEST.csv --classifier DEF.json [--cache .cache/pages] [--rounds 5]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ClassifierDefinition } from '../src/core/classifier.js';
import type { Page } from '../src/core/document.js';
import { AppError } from '../src/core/errors.js';
import type { Extractor } from '../src/core/ports.js';
import { classifyPagesSync } from '../src/classify/classify-pages.js';
import { PageCache } from '../src/evaluate/page-cache.js';
import { readManifest } from '../src/evaluate/read-manifest.js';

const cacheOnly: Extractor = {
  extractFile: async (file) => {
    throw new AppError('not_found', `${file} is not in the page cache; run docsort eval on the manifest first.`);
  },
  sniffFile: async () => 'pdf',
  renderPage: async () => Buffer.alloc(0),
  close: async () => undefined,
};

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { classifier: { type: 'string' }, cache: { type: 'string' }, rounds: { type: 'string' } },
  });
  if (positionals.length !== 1 || !values.classifier) {
    process.stderr.write('Usage: node dist/eval/bench-classify.js MANIFEST.csv --classifier DEF.json [--cache DIR] [--rounds N]\n');
    process.exitCode = 2;
    return;
  }
  const classifier = JSON.parse(await readFile(values.classifier, 'utf8')) as ClassifierDefinition;
  const manifest = await readManifest(positionals[0]);
  const cache = new PageCache(cacheOnly, path.resolve(values.cache ?? '.cache/pages'));
  const documents: Page[][] = [];
  for (const row of manifest.rows) {
    try {
      const pages = (await cache.extract(row.path)).document.pages.filter((page) => page.source === 'text');
      if (pages.length > 0) documents.push(pages);
    } catch {
      // not cached, or unreadable: skipped
    }
  }
  if (documents.length === 0) throw new Error('No cached text pages found; run docsort eval on this manifest first.');

  const firstStarted = performance.now();
  classifyPagesSync(documents[0], { classifier });
  const startSeconds = performance.now() / 1000;
  const firstMs = performance.now() - firstStarted;

  const rounds = Number(values.rounds ?? 5);
  const pageCount = documents.reduce((sum, pages) => sum + pages.length, 0);
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    for (const pages of documents) classifyPagesSync(pages, { classifier });
    rates.push(pageCount / ((performance.now() - started) / 1000));
  }
  rates.sort((a, b) => a - b);
  const result = {
    documents: documents.length,
    text_pages: pageCount,
    engine_start_seconds: Math.round(startSeconds * 1000) / 1000,
    first_document_ms: Math.round(firstMs * 10) / 10,
    pages_per_second_median: Math.round(rates[Math.floor(rates.length / 2)]),
    pages_per_second_first_round: Math.round(rates[0]),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

await main();
