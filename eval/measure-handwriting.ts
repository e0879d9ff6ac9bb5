/**
 * How well the image evidence for handwriting (src/extract/ink-features.ts) separates handwritten
 * pages from the rest, without OCR: every image of the given manifests is decoded and every PDF
 * page without a usable text layer rendered, as extraction would OCR them.
 *
 *   node dist/eval/measure-handwriting.js ../shared/corpus/img-labels.csv … [--tsv out.tsv] [--max-pages 4]
 *
 * Prints per manifest the AUC of the document score (mean over its OCR pages) for gold
 * `handwritten` against everything else, precision and recall at the threshold, and the
 * best-scoring documents that are not handwritten.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_EXTRACT_LIMITS, type FileType } from '../src/core/document.js';
import { countImagePages, loadImagePage } from '../src/extract/image-file.js';
import { HANDWRITING_THRESHOLD, measureInk, scoreHandwriting, type InkFeatures } from '../src/extract/ink-features.js';
import type { GreyPixels } from '../src/extract/ocr-page.js';
import { openPdf } from '../src/extract/pdf-document.js';
import { readPdfPageText } from '../src/extract/pdf-page-text.js';
import { renderPdfPageForOcr } from '../src/extract/pdf-render.js';
import { sniffFile } from '../src/extract/sniff-type.js';
import { WorkerPool } from '../src/extract/worker-pool.js';
import { parseCsv } from '../src/evaluate/read-manifest.js';

interface MeasuredPage {
  manifest: string;
  file: string;
  label: string;
  repo: string;
  page: number;
  features: InkFeatures;
  score: number;
  ms: number;
}

/** Area under the ROC curve: the chance a random positive outscores a random negative (ties count half). */
export function measureAuc(positives: number[], negatives: number[]): number {
  if (positives.length === 0 || negatives.length === 0) return NaN;
  let wins = 0;
  for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}

async function* readPages(
  filePath: string,
  type: FileType,
  maxPages: number,
  pool: WorkerPool,
): AsyncGenerator<{ page: number; image: GreyPixels }> {
  if (type === 'pdf') {
    const { document, numPages } = openPdf(filePath, undefined);
    for (let index = 0; index < Math.min(numPages, maxPages); index++) {
      if (readPdfPageText(document, index, false).usable) continue;
      yield { page: index, image: renderPdfPageForOcr(document, index, DEFAULT_EXTRACT_LIMITS.maxImagePixels) };
    }
    return;
  }
  const numPages = await countImagePages(filePath, type, DEFAULT_EXTRACT_LIMITS);
  for (let index = 0; index < Math.min(numPages, maxPages); index++) {
    yield { page: index, image: (await loadImagePage(filePath, type, index, DEFAULT_EXTRACT_LIMITS, pool)).image };
  }
}

async function measureManifest(manifestPath: string, maxPages: number, pool: WorkerPool): Promise<MeasuredPage[]> {
  const [header, ...records] = parseCsv(await readFile(manifestPath, 'utf8'));
  const column = (name: string) => header.map((value) => value.trim().toLowerCase()).indexOf(name);
  const [fileColumn, labelColumn, repoColumn] = [column('file'), column('label'), column('repo')];
  const measured: MeasuredPage[] = [];
  for (const record of records) {
    const file = record[fileColumn]?.trim();
    if (!file) continue;
    const filePath = path.resolve(path.dirname(manifestPath), file);
    try {
      const type = await sniffFile(filePath);
      for await (const { page, image } of readPages(filePath, type, maxPages, pool)) {
        const started = performance.now();
        const features = measureInk(image);
        const score = scoreHandwriting(features);
        const ms = performance.now() - started;
        measured.push({
          manifest: path.basename(manifestPath),
          file,
          label: record[labelColumn].trim(),
          repo: record[repoColumn]?.trim() ?? '?',
          page,
          features,
          score,
          ms,
        });
      }
    } catch (error) {
      process.stderr.write(`${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  return measured;
}

function round(value: number, digits = 3): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

function summarise(manifest: string, pages: MeasuredPage[]): void {
  const documents = new Map<string, { label: string; repo: string; scores: number[] }>();
  for (const page of pages) {
    const entry = documents.get(page.file) ?? { label: page.label, repo: page.repo, scores: [] };
    entry.scores.push(page.score);
    documents.set(page.file, entry);
  }
  const scored = [...documents.entries()].map(([file, entry]) => ({
    file,
    ...entry,
    score: entry.scores.reduce((a, b) => a + b, 0) / entry.scores.length,
  }));
  const positives = scored.filter((doc) => doc.label === 'handwritten');
  const negatives = scored.filter((doc) => doc.label !== 'handwritten');
  const flagged = scored.filter((doc) => doc.score >= HANDWRITING_THRESHOLD);
  const truePositives = flagged.filter((doc) => doc.label === 'handwritten').length;
  const ms = pages.map((page) => page.ms).sort((a, b) => a - b);
  console.log(
    `${manifest}: ${scored.length} documents with OCR pages (${positives.length} handwritten), AUC ${round(
      measureAuc(
        positives.map((d) => d.score),
        negatives.map((d) => d.score),
      ),
    )}, ` +
      `at ${HANDWRITING_THRESHOLD}: precision ${flagged.length ? round(truePositives / flagged.length) : 'n/a'}, recall ${positives.length ? round(truePositives / positives.length) : 'n/a'} ` +
      `(${flagged.length} flagged); median ${round(ms[Math.floor(ms.length / 2)] ?? 0, 1)} ms/page, max ${round(ms[ms.length - 1] ?? 0, 1)} ms`,
  );
  for (const doc of positives.sort((a, b) => a.score - b.score)) console.log(`   handwritten ${round(doc.score)}  ${doc.file}`);
  for (const doc of negatives.sort((a, b) => b.score - a.score).slice(0, 8))
    console.log(`   ${doc.label.padEnd(11)} ${round(doc.score)}  ${doc.file}`);
}

interface ScoredDocument {
  file: string;
  label: string;
  repo: string;
  score: number;
}

function scoreDocuments(pages: MeasuredPage[]): ScoredDocument[] {
  const documents = new Map<string, { label: string; repo: string; scores: number[] }>();
  for (const page of pages) {
    const key = `${page.manifest}\n${page.file}`;
    const entry = documents.get(key) ?? { label: page.label, repo: page.repo, scores: [] };
    entry.scores.push(page.score);
    documents.set(key, entry);
  }
  return [...documents.entries()].map(([key, entry]) => ({
    file: key.split('\n')[1],
    label: entry.label,
    repo: entry.repo,
    score: entry.scores.reduce((a, b) => a + b, 0) / entry.scores.length,
  }));
}

function measureF1(documents: ScoredDocument[], threshold: number): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const doc of documents) {
    const flagged = doc.score >= threshold;
    const positive = doc.label === 'handwritten';
    if (flagged && positive) tp++;
    else if (flagged) fp++;
    else if (positive) fn++;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/**
 * The threshold as a fitted constant, checked leave-one-repository-out: for each source, the
 * threshold with the best F1 on all other sources is applied to its documents.
 */
export function crossValidateThreshold(documents: ScoredDocument[]): { precision: number; recall: number; thresholds: number[] } {
  const candidates = Array.from({ length: 19 }, (_, i) => 0.05 * (i + 1));
  let tp = 0;
  let flaggedCount = 0;
  let positives = 0;
  const thresholds: number[] = [];
  for (const repo of new Set(documents.map((doc) => doc.repo))) {
    const train = documents.filter((doc) => doc.repo !== repo);
    let best = candidates[0];
    for (const candidate of candidates) if (measureF1(train, candidate) > measureF1(train, best)) best = candidate;
    thresholds.push(best);
    for (const doc of documents.filter((d) => d.repo === repo)) {
      const flagged = doc.score >= best;
      if (flagged) flaggedCount++;
      if (doc.label === 'handwritten') positives++;
      if (flagged && doc.label === 'handwritten') tp++;
    }
  }
  return { precision: flaggedCount ? tp / flaggedCount : NaN, recall: positives ? tp / positives : NaN, thresholds };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { tsv: { type: 'string' }, 'max-pages': { type: 'string', default: '4' } },
  });
  const maxPages = Number(values['max-pages']);
  const pool = new WorkerPool(1);
  const all: MeasuredPage[] = [];
  try {
    for (const manifest of positionals) {
      const pages = await measureManifest(manifest, maxPages, pool);
      summarise(path.basename(manifest), pages);
      all.push(...pages);
    }
  } finally {
    await pool.close();
  }
  const cv = crossValidateThreshold(scoreDocuments(all));
  const range = `${Math.min(...cv.thresholds)}–${Math.max(...cv.thresholds)}`;
  console.log(
    `threshold fitted leave-one-repository-out over all manifests given: held-out precision ${round(cv.precision)}, recall ${round(cv.recall)} (thresholds chosen ${range})`,
  );
  if (values.tsv) {
    const keys = Object.keys(all[0]?.features ?? {}) as (keyof InkFeatures)[];
    const lines = [['manifest', 'file', 'label', 'repo', 'page', ...keys, 'score', 'ms'].join('\t')];
    for (const page of all)
      lines.push(
        [
          page.manifest,
          page.file,
          page.label,
          page.repo,
          page.page,
          ...keys.map((key) => round(page.features[key], 4)),
          round(page.score),
          round(page.ms, 1),
        ].join('\t'),
      );
    await writeFile(values.tsv, `${lines.join('\n')}\n`);
  }
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
