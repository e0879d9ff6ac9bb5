/**
 * Source-grouped cross-validation of the shipped calibration. For each set of document manifests
 * (pooled, e.g. both waves of the PDFs), every document's final `confidence_scores` and gold label
 * are gathered once; a post-hoc temperature (post-hoc-temperature.ts) is fitted on the training
 * sources of each fold and applied to the held-out sources. The table gives held-out accuracy and
 * ECE for T = 1 (what ships), for the cross-validated T, and for a T fitted on every document,
 * which is what an in-sample fit would claim.
 *
 *   node dist/eval/grouped-cv.js NAME=M1.csv[,M2.csv…]… --classifier DEF.json [--folds loso|K] [--seeds 1,2,3] [--cache DIR] [--json]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UNKNOWN, type ClassifierDefinition } from '../src/core/classifier.js';
import type { Extractor } from '../src/core/ports.js';
import { classifyPagesSync } from '../src/classify/classify-pages.js';
import { loadClassifierFile } from '../src/cli/load-classifier.js';
import { createExtractor } from '../src/extract/index.js';
import { groupedFolds, groupOf } from './grouped-folds.js';
import { PageCache } from '../src/evaluate/page-cache.js';
import {
  decideTempered,
  fitPostHocTemperature,
  scoreDecisions,
  type CalibrationScore,
  type ScoredDocument,
  type TemperedDecision,
} from './post-hoc-temperature.js';
import { readDocumentManifests } from './read-document-manifests.js';
import { extractAll } from '../src/evaluate/run-eval.js';

interface CvDocument extends ScoredDocument {
  file: string;
  /** The manifest it came from (its wave). */
  manifest: string;
  columns?: Record<string, string>;
}

interface SetResult {
  set: string;
  folds: string;
  seed: number;
  documents: number;
  sources: number;
  /** Unreadable files, left out: no temperature changes an answer given without pages. */
  unreadable: number;
  shipped: CalibrationScore;
  cross_validated: CalibrationScore & { temperatures: { min: number; median: number; max: number } };
  in_sample: CalibrationScore & { temperature: number };
  /** Shipped against cross-validated ECE per manifest, on the same held-out predictions. */
  per_manifest: Record<string, { documents: number; shipped_ece: number; cross_validated_ece: number }>;
}

async function gatherScores(
  manifestPaths: string[],
  classifier: ClassifierDefinition,
  extractor: Extractor,
  cacheDir: string,
): Promise<{ documents: CvDocument[]; unreadable: number }> {
  const classNames = new Set(classifier.classes.map((definition) => definition.name));
  const rows = await readDocumentManifests(manifestPaths, 'the calibration check');
  const extracted = await extractAll(rows, new PageCache(extractor, cacheDir), {}, { seconds: 0 });
  const documents: CvDocument[] = [];
  extracted.forEach((entry, index) => {
    if (entry.error) return;
    const output = classifyPagesSync(entry.pages, { classifier }, null);
    const row = rows[index];
    documents.push({
      file: row.file,
      manifest: row.manifest,
      columns: row.columns,
      scores: output.confidence_scores,
      gold: classNames.has(row.label) ? row.label : UNKNOWN,
    });
  });
  return { documents, unreadable: extracted.length - documents.length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function crossValidate(
  set: string,
  documents: CvDocument[],
  unreadable: number,
  folds: number,
  seed: number,
  classifier: ClassifierDefinition,
): SetResult {
  const shipped = documents.map((document) => decideTempered(document, 1, classifier));
  const heldOut = new Map<CvDocument, TemperedDecision>();
  const temperatures: number[] = [];
  for (const fold of groupedFolds(documents, folds, seed)) {
    const temperature = fitPostHocTemperature(fold.train);
    temperatures.push(temperature);
    for (const document of fold.test) heldOut.set(document, decideTempered(document, temperature, classifier));
  }
  const crossValidated = documents.map((document) => heldOut.get(document)!);
  const inSampleTemperature = fitPostHocTemperature(documents);
  const inSample = documents.map((document) => decideTempered(document, inSampleTemperature, classifier));
  const per_manifest: SetResult['per_manifest'] = {};
  for (const manifest of new Set(documents.map((document) => document.manifest))) {
    const indices = documents.flatMap((document, index) => (document.manifest === manifest ? [index] : []));
    per_manifest[manifest] = {
      documents: indices.length,
      shipped_ece: scoreDecisions(indices.map((index) => shipped[index])).ece,
      cross_validated_ece: scoreDecisions(indices.map((index) => crossValidated[index])).ece,
    };
  }
  const sources = new Set(documents.map((document) => groupOf(document, 'repo'))).size;
  return {
    set,
    folds: folds >= sources ? 'leave one source out' : `${folds} grouped folds`,
    seed,
    documents: documents.length,
    sources,
    unreadable,
    shipped: scoreDecisions(shipped),
    cross_validated: {
      ...scoreDecisions(crossValidated),
      temperatures: { min: Math.min(...temperatures), median: median(temperatures), max: Math.max(...temperatures) },
    },
    in_sample: { ...scoreDecisions(inSample), temperature: inSampleTemperature },
    per_manifest,
  };
}

function formatTable(results: SetResult[]): string {
  const f = (value: number) => value.toFixed(3);
  const lines = [
    '| set | folds | seed | documents (sources) | T = 1 (shipped): accuracy / ECE | cross-validated T (min–median–max) | held out: accuracy / ECE | in-sample T | in sample: accuracy / ECE | ECE per manifest, shipped → CV |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const result of results) {
    const t = result.cross_validated.temperatures;
    const perManifest = Object.entries(result.per_manifest)
      .map(([name, m]) => `${name} ${f(m.shipped_ece)} → ${f(m.cross_validated_ece)}`)
      .join('; ');
    lines.push(
      `| ${result.set} | ${result.folds} | ${result.seed} | ${result.documents} (${result.sources}) | ${f(result.shipped.accuracy)} / ${f(result.shipped.ece)} | ` +
        `${t.min.toFixed(2)}–${t.median.toFixed(2)}–${t.max.toFixed(2)} | ${f(result.cross_validated.accuracy)} / ${f(result.cross_validated.ece)} | ` +
        `${result.in_sample.temperature.toFixed(2)} | ${f(result.in_sample.accuracy)} / ${f(result.in_sample.ece)} | ${perManifest} |`,
    );
  }
  return lines.join('\n');
}

function parseSets(positionals: string[]): { name: string; manifests: string[] }[] {
  return positionals.map((argument) => {
    const [name, list] = argument.includes('=')
      ? [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)]
      : [path.basename(argument, '.csv'), argument];
    return { name, manifests: list.split(',').filter((item) => item.length > 0) };
  });
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      classifier: { type: 'string' },
      folds: { type: 'string', default: 'loso' },
      seeds: { type: 'string', default: '1' },
      cache: { type: 'string', default: '.cache/pages' },
      json: { type: 'boolean', default: false },
    },
  });
  const folds = values.folds === 'loso' ? Number.POSITIVE_INFINITY : Number(values.folds);
  const seeds = values.seeds.split(',').map(Number);
  if (positionals.length === 0 || !values.classifier || !(folds >= 2) || seeds.some((seed) => !Number.isInteger(seed) || seed < 0)) {
    process.stderr.write(
      'Usage: node dist/eval/grouped-cv.js NAME=M1.csv[,M2.csv…]… --classifier DEF.json [--folds loso|K] [--seeds 1,2,3] [--cache DIR] [--json]\n',
    );
    process.exitCode = 2;
    return;
  }
  const classifier = await loadClassifierFile(values.classifier);
  const extractor = createExtractor();
  const results: SetResult[] = [];
  try {
    for (const set of parseSets(positionals)) {
      const { documents, unreadable } = await gatherScores(set.manifests, classifier, extractor, path.resolve(values.cache));
      // Leave-one-source-out has one fold per source whatever the seed: one run is enough.
      for (const seed of Number.isFinite(folds) ? seeds : seeds.slice(0, 1))
        results.push(crossValidate(set.name, documents, unreadable, folds, seed, classifier));
    }
  } finally {
    await extractor.close();
  }
  process.stdout.write((values.json ? JSON.stringify(results, null, 2) : formatTable(results)) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
