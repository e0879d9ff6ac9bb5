/**
 * Fits the weights of the bundle boundary model (src/classify/boundary-weights.json) on bundles
 * built from labelled single documents, and scores them with source-grouped folds: the bundles of
 * a fold's test side are built only from documents of sources the fit never saw.
 *
 * A synthetic bundle is a few documents of the manifests put end to end, often two or three of
 * one class back to back (pay stubs, statements), each cut to its first pages; every gap between
 * two pages is a row: its boundary cues (boundary-cues.ts, measured against the gold running
 * document, as the splitter measures against the one it has read so far) and whether a document
 * starts there. The fit is a logistic regression pulled towards the hand-written weights
 * (`boundary-prior.json`; an L2 penalty on the distance from them), so a cue the data says little about keeps its prior,
 * and every weight is kept on the side of 0 its cue's meaning puts it (CUE_DIRECTION).
 *
 *   node dist/eval/fit-boundaries.js M1.csv[ M2.csv…] --classifier DEF.json [--cache DIR] [--folds K]
 *     [--bundles N] [--seeds 1,2,3] [--lambda L[,L…]] [--write [--fit-lambda L]]
 *
 * Prints, per penalty, the held-out log loss and boundary F1 (the splitter run end to end on the
 * held-out bundles) for the hand-written prior, the shipped weights and the fitted ones; `--write` fits on every document
 * with the best penalty (or the one `--fit-lambda` gives, skipping the folds) and writes the
 * weights file.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ClassifierDefinition } from '../src/core/classifier.js';
import type { Page } from '../src/core/document.js';
import { scorePages } from '../src/classify/classify-pages.js';
import {
  BOUNDARY_CUES,
  BOUNDARY_WEIGHTS,
  type BoundaryWeights,
  CUE_DIRECTION,
  measureBoundaryCues,
} from '../src/classify/boundary-cues.js';
import type { PageScores } from '../src/classify/engine.js';
import { readPageMarks } from '../src/classify/page-marks.js';
import { readRun, splitPageRuns } from '../src/classify/split-segments.js';
import { loadClassifierFile } from '../src/cli/load-classifier.js';
import { createExtractor } from '../src/extract/index.js';
import { PageCache } from '../src/evaluate/page-cache.js';
import { readManifest, type ManifestRow } from '../src/evaluate/read-manifest.js';
import { extractAll } from '../src/evaluate/run-eval.js';
import handWrittenPrior from './boundary-prior.json' with { type: 'json' };
import { groupedFolds } from './grouped-folds.js';

/**
 * The weights the splitter had before any fit, set by hand from what each cue means. Every fit
 * is pulled towards these, never towards what a previous fit shipped, so running the script
 * again reproduces the shipped file instead of drifting from it.
 */
const PRIOR = handWrittenPrior as BoundaryWeights;

/** The most pages of one document in a synthetic bundle; longer documents are cut. */
const MAX_PAGES_PER_DOCUMENT = 8;

interface SourceDocument extends ManifestRow {
  pages: Page[];
}

interface SyntheticBundle {
  pages: Page[];
  /** The pages' scores, read once: the gaps and the end-to-end split both use them. */
  scores: PageScores[];
  /** Index of the first page of every document but the first. */
  starts: Set<number>;
  /** Per page, the index of its document's first page. */
  firstOf: number[];
}

interface GapRow {
  values: number[];
  boundary: number;
}

/** A seeded generator (mulberry32): the same bundles on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Bundles of 3–6 documents. Half the time a class is repeated 2–3 times in a row: that is where
 * bundles are hard (two pay stubs of one template back to back), and loan packets are made so.
 */
export function buildBundles(
  documents: SourceDocument[],
  count: number,
  seed: number,
  classifier: ClassifierDefinition,
): SyntheticBundle[] {
  const next = random(seed);
  const byClass = new Map<string, SourceDocument[]>();
  for (const document of documents) {
    const same = byClass.get(document.label) ?? [];
    same.push(document);
    byClass.set(document.label, same);
  }
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)];
  const bundles: SyntheticBundle[] = [];
  for (let b = 0; b < count; b++) {
    const size = 3 + Math.floor(next() * 4);
    const chosen: SourceDocument[] = [];
    while (chosen.length < size) {
      const first = pick(documents);
      const same = (byClass.get(first.label) ?? []).filter((document) => document !== first && !chosen.includes(document));
      chosen.push(first);
      if (next() < 0.5 && same.length > 0) {
        const repeats = 1 + Math.floor(next() * 2);
        for (let r = 0; r < repeats && same.length > 0 && chosen.length < size; r++)
          chosen.push(same.splice(Math.floor(next() * same.length), 1)[0]);
      }
    }
    // Half the bundles are scanned as one stack, every page one size, as a loan packet from a
    // scanner is: then the page size says nothing and the other cues must carry the split.
    const oneSize = next() < 0.5 ? { width: 612, height: 792 } : null;
    const pages: Page[] = [];
    const starts = new Set<number>();
    const firstOf: number[] = [];
    for (const document of chosen) {
      const first = pages.length;
      if (first > 0) starts.add(first);
      for (const page of document.pages.slice(0, MAX_PAGES_PER_DOCUMENT)) {
        firstOf.push(first);
        pages.push({ ...page, ...oneSize, page: pages.length });
      }
    }
    bundles.push({ pages, scores: scorePages(pages, classifier, null).scores, starts, firstOf });
  }
  return bundles;
}

function gapRows(bundle: SyntheticBundle): GapRow[] {
  const { scores } = bundle;
  const views = bundle.pages.map((page, index) => ({ marks: readPageMarks(page), scores: scores[index] }));
  const rows: GapRow[] = [];
  for (let i = 1; i < views.length; i++) {
    const reference = readRun(scores, bundle.firstOf[i - 1], i - 1);
    const cues = measureBoundaryCues(views[i - 1], views[i], reference);
    rows.push({ values: BOUNDARY_CUES.map((cue) => cues[cue].value), boundary: bundle.starts.has(i) ? 1 : 0 });
  }
  return rows;
}

const asVector = (weights: BoundaryWeights): number[] => [weights.bias, ...BOUNDARY_CUES.map((cue) => weights.weights[cue])];
const asWeights = (vector: number[]): BoundaryWeights => ({
  bias: round(vector[0]),
  weights: Object.fromEntries(BOUNDARY_CUES.map((cue, index) => [cue, round(vector[index + 1])])) as BoundaryWeights['weights'],
});

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function probability(vector: number[], values: number[]): number {
  let logit = vector[0];
  for (let i = 0; i < values.length; i++) logit += vector[i + 1] * values[i];
  return 1 / (1 + Math.exp(-logit));
}

/**
 * Gradient descent on the mean log loss plus `lambda` times the squared distance from the prior;
 * the rows of each class weigh half, so the few boundaries count as much as the many
 * continuations (what the splitter must get right is the boundaries).
 */
export function fitWeights(rows: GapRow[], prior: BoundaryWeights, lambda: number): BoundaryWeights {
  const start = asVector(prior);
  const vector = [...start];
  const positives = rows.filter((row) => row.boundary === 1).length;
  const weightOf = (row: GapRow) => (row.boundary === 1 ? 0.5 / Math.max(1, positives) : 0.5 / Math.max(1, rows.length - positives));
  for (let step = 0; step < 3000; step++) {
    const gradient = vector.map((value, index) => 2 * lambda * (value - start[index]));
    for (const row of rows) {
      const error = (probability(vector, row.values) - row.boundary) * weightOf(row);
      gradient[0] += error;
      for (let i = 0; i < row.values.length; i++) gradient[i + 1] += error * row.values[i];
    }
    for (let i = 0; i < vector.length; i++) vector[i] -= 1.5 * gradient[i];
    // Each cue stays on the side its meaning puts it (the bias, index 0, is free).
    BOUNDARY_CUES.forEach((cue, index) => {
      vector[index + 1] = CUE_DIRECTION[cue] > 0 ? Math.max(0, vector[index + 1]) : Math.min(0, vector[index + 1]);
    });
  }
  return asWeights(vector);
}

function logLoss(rows: GapRow[], weights: BoundaryWeights): number {
  const vector = asVector(weights);
  let sum = 0;
  for (const row of rows) {
    const p = Math.min(1 - 1e-6, Math.max(1e-6, probability(vector, row.values)));
    sum -= row.boundary === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / Math.max(1, rows.length);
}

/** The splitter end to end (its running-document reference as it reads), boundary F1 over the bundles. */
function boundaryF1(bundles: SyntheticBundle[], weights: BoundaryWeights): number {
  let matched = 0;
  let predicted = 0;
  let gold = 0;
  bundles.forEach((bundle) => {
    const starts = splitPageRuns(bundle.pages, bundle.scores, weights)
      .slice(1)
      .map((run) => run.first);
    predicted += starts.length;
    gold += bundle.starts.size;
    matched += starts.filter((start) => bundle.starts.has(start)).length;
  });
  const precision = predicted === 0 ? 0 : matched / predicted;
  const recall = gold === 0 ? 0 : matched / gold;
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      classifier: { type: 'string' },
      cache: { type: 'string' },
      folds: { type: 'string', default: '5' },
      bundles: { type: 'string', default: '150' },
      seeds: { type: 'string', default: '1,2,3' },
      lambda: { type: 'string', default: '0.003,0.01,0.03,0.1' },
      write: { type: 'boolean', default: false },
      'fit-lambda': { type: 'string' },
    },
  });
  if (positionals.length === 0 || !values.classifier) {
    process.stderr.write(
      'usage: node dist/eval/fit-boundaries.js M1.csv[ M2.csv…] --classifier DEF.json [--cache DIR] [--folds K] [--bundles N] [--seeds 1,2,3] [--lambda L,…] [--write [--fit-lambda L]]\n',
    );
    process.exit(2);
  }
  const classifier = await loadClassifierFile(values.classifier);
  const cache = new PageCache(createExtractor(), values.cache ?? null);
  const documents: SourceDocument[] = [];
  for (const manifestPath of positionals) {
    const manifest = await readManifest(manifestPath);
    const extracted = await extractAll(manifest.rows, cache, { concurrency: 2 }, { seconds: 0 });
    for (const item of extracted) if (!item.error && item.pages.length > 0) documents.push({ ...item.row, pages: item.pages });
  }
  const seeds = values.seeds.split(',').map(Number);
  const lambdas = values.lambda.split(',').map(Number);
  const bundleCount = Number(values.bundles);
  const k = Number(values.folds);
  process.stdout.write(
    `${documents.length} documents from ${new Set(documents.map((d) => d.columns?.repo ?? d.file)).size} sources; ${k} source-grouped folds × seeds ${seeds.join(',')}\n\n`,
  );
  process.stdout.write('| weights | held-out log loss | held-out boundary F1 |\n| --- | --- | --- |\n');
  /** Per row of the table: its penalty (null for fixed weights) and the held-out sums over folds. */
  const results = new Map<string, { lambda: number | null; loss: number; f1: number; n: number }>();
  const record = (name: string, lambda: number | null, loss: number, f1: number) => {
    const entry = results.get(name) ?? { lambda, loss: 0, f1: 0, n: 0 };
    results.set(name, { lambda, loss: entry.loss + loss, f1: entry.f1 + f1, n: entry.n + 1 });
  };
  // With --fit-lambda the penalty is given and the folds are skipped (the table is for choosing it).
  for (const seed of values['fit-lambda'] ? [] : seeds) {
    for (const fold of groupedFolds(documents, k, seed)) {
      const train = buildBundles(fold.train, bundleCount, seed * 1000 + 1, classifier);
      const test = buildBundles(
        fold.test,
        Math.max(10, Math.round((bundleCount * fold.test.length) / Math.max(1, fold.train.length))),
        seed * 1000 + 2,
        classifier,
      );
      const trainRows = train.flatMap(gapRows);
      const testRows = test.flatMap(gapRows);
      record('hand-written prior', null, logLoss(testRows, PRIOR), boundaryF1(test, PRIOR));
      record('shipped', null, logLoss(testRows, BOUNDARY_WEIGHTS), boundaryF1(test, BOUNDARY_WEIGHTS));
      for (const lambda of lambdas) {
        const fitted = fitWeights(trainRows, PRIOR, lambda);
        record(`fitted, λ=${lambda}`, lambda, logLoss(testRows, fitted), boundaryF1(test, fitted));
      }
    }
  }
  let best = { lambda: lambdas[0], f1: -1 };
  for (const [name, entry] of results) {
    process.stdout.write(`| ${name} | ${(entry.loss / entry.n).toFixed(4)} | ${(entry.f1 / entry.n).toFixed(4)} |\n`);
    if (entry.lambda !== null && entry.f1 / entry.n > best.f1) best = { lambda: entry.lambda, f1: entry.f1 / entry.n };
  }
  if (values['fit-lambda']) best = { lambda: Number(values['fit-lambda']), f1: 0 };
  if (values.write) {
    // The bundles of every seed together: one draw of bundles is a small, lumpy sample.
    const all = seeds.flatMap((seed) => buildBundles(documents, bundleCount, seed * 1000 + 3, classifier).flatMap(gapRows));
    const fitted = fitWeights(all, PRIOR, best.lambda);
    const target = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../src/classify/boundary-weights.json');
    await writeFile(target, `${JSON.stringify(fitted, null, 2)}\n`);
    process.stdout.write(`\nwrote ${target} (λ=${best.lambda}, ${all.length} gaps)\n${JSON.stringify(fitted, null, 2)}\n`);
  }
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) await main();
