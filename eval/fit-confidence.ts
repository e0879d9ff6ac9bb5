/**
 * Fits the confidence head (`src/classify/confidence-head.ts`): a logistic regression of "the
 * document's label was right" on the engine's own confidence (as log-odds) and the features that
 * say its evidence is thin (`confidence-features.ts`), with an L2 pull towards the identity head
 * (the engine's confidence as it is). Scored by source-grouped cross-validation over the pooled
 * manifests (both waves, PDFs and images together, as one engine serves them): each fold's head
 * is fitted on the other folds' sources and applied to its own. The table gives ECE per manifest
 * beside the engine without a head; accuracy does not move, since the head changes no label.
 *
 *   node dist/eval/fit-confidence.js M1.csv M2.csv… --classifier DEF.json [--folds 5] [--seeds 1,2,3]
 *     [--lambda 0.01,0.1] [--cache DIR] [--write] [--json]
 *
 * `--write` fits on every document with the first λ and writes src/classify/confidence-weights.json.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UNKNOWN, type ClassifierDefinition } from '../src/core/classifier.js';
import { loadClassifierFile } from '../src/cli/load-classifier.js';
import { CONFIDENCE_FEATURES, measureConfidenceFeatures, type ConfidenceFeatures } from '../src/classify/confidence-features.js';
import { headConfidence, IDENTITY_HEAD, type ConfidenceWeights } from '../src/classify/confidence-head.js';
import { decideLabel, scorePages } from '../src/classify/classify-pages.js';
import { aggregatePageScores } from '../src/classify/aggregate-pages.js';
import { measureCalibrationError } from '../src/classify/calibrate.js';
import { createExtractor } from '../src/extract/index.js';
import { PageCache } from '../src/evaluate/page-cache.js';
import { readDocumentManifests } from './read-document-manifests.js';
import { extractAll } from '../src/evaluate/run-eval.js';
import { groupedFolds } from './grouped-folds.js';
import { fitLogistic } from './fit-logistic.js';

interface FitDocument {
  file: string;
  manifest: string;
  columns?: Record<string, string>;
  /** The named features in `CONFIDENCE_FEATURES` order. */
  x: number[];
  /** The engine's label was the gold one. */
  correct: boolean;
}

async function gather(manifestPaths: string[], classifier: ClassifierDefinition, cacheDir: string): Promise<FitDocument[]> {
  const classNames = new Set(classifier.classes.map((definition) => definition.name));
  const rows = await readDocumentManifests(manifestPaths, 'the confidence fit');
  const extractor = createExtractor();
  try {
    const extracted = await extractAll(rows, new PageCache(extractor, cacheDir), {}, { seconds: 0 });
    const documents: FitDocument[] = [];
    extracted.forEach((entry, index) => {
      // An unreadable file fails its run: no confidence to calibrate.
      if (entry.error) return;
      const scored = scorePages(entry.pages, classifier, null);
      if (scored.scores.length === 0) return;
      const decision = decideLabel(aggregatePageScores(scored.scores, scored.labels), classifier);
      const features = measureConfidenceFeatures(scored.pages, scored.scores, {
        label: decision.label,
        confidence: decision.confidence,
        rejected: decision.label !== decision.best,
      });
      const row = rows[index];
      const gold = classNames.has(row.label) ? row.label : UNKNOWN;
      documents.push({
        file: row.file,
        manifest: row.manifest,
        columns: row.columns,
        x: CONFIDENCE_FEATURES.map((name) => features[name]),
        correct: decision.label === gold,
      });
    });
    return documents;
  } finally {
    await extractor.close();
  }
}

/** The head as a vector: bias first, then the features' weights. */
function toVector(head: ConfidenceWeights): number[] {
  return [head.bias, ...CONFIDENCE_FEATURES.map((name) => head.weights[name])];
}

function toHead(vector: number[]): ConfidenceWeights {
  return {
    bias: vector[0],
    weights: Object.fromEntries(CONFIDENCE_FEATURES.map((name, i) => [name, vector[i + 1]])) as ConfidenceWeights['weights'],
  };
}

export function fitHead(documents: FitDocument[], lambda: number): ConfidenceWeights {
  const rows = documents.map((document) => [1, ...document.x]);
  return toHead(
    fitLogistic(
      rows,
      documents.map((document) => (document.correct ? 1 : 0)),
      { lambda, prior: toVector(IDENTITY_HEAD) },
    ),
  );
}

function confidenceOf(document: FitDocument, head: ConfidenceWeights): number {
  return headConfidence(Object.fromEntries(CONFIDENCE_FEATURES.map((name, i) => [name, document.x[i]])) as ConfidenceFeatures, head);
}

interface Scored {
  manifest: string;
  confidence: number;
  correct: boolean;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      classifier: { type: 'string' },
      folds: { type: 'string', default: '5' },
      seeds: { type: 'string', default: '1,2,3' },
      lambda: { type: 'string', default: '0.01,0.03,0.1,0.3' },
      cache: { type: 'string', default: '.cache/pages' },
      write: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const lambdas = values.lambda.split(',').map(Number);
  const seeds = values.seeds.split(',').map(Number);
  if (positionals.length === 0 || !values.classifier || lambdas.some((l) => !(l > 0))) {
    process.stderr.write(
      'Usage: node dist/eval/fit-confidence.js M1.csv… --classifier DEF.json [--folds 5] [--seeds 1,2,3] [--lambda L,…] [--write]\n',
    );
    process.exitCode = 2;
    return;
  }
  const classifier = await loadClassifierFile(values.classifier);
  const documents = await gather(positionals, classifier, path.resolve(values.cache));
  const manifests = [...new Set(documents.map((d) => d.manifest))];
  const perManifest = (items: Scored[]) => [
    ...manifests.map((m) => measureCalibrationError(items.filter((item) => item.manifest === m))),
    measureCalibrationError(items),
  ];
  const identity = documents.map((d) => ({ manifest: d.manifest, correct: d.correct, confidence: confidenceOf(d, IDENTITY_HEAD) }));
  const results: { head: string; lambda: number | null; seed: number | null; ece: number[] }[] = [
    { head: 'none (the engine as it was)', lambda: null, seed: null, ece: perManifest(identity) },
  ];
  const fitted: Record<string, ConfidenceWeights> = {};
  for (const lambda of lambdas) {
    for (const seed of seeds) {
      const heldOut = new Map<FitDocument, Scored>();
      for (const fold of groupedFolds(documents, Number(values.folds), seed)) {
        const head = fitHead(fold.train, lambda);
        for (const d of fold.test) heldOut.set(d, { manifest: d.manifest, correct: d.correct, confidence: confidenceOf(d, head) });
      }
      results.push({ head: 'held out', lambda, seed, ece: perManifest(documents.map((d) => heldOut.get(d)!)) });
    }
    const head = fitHead(documents, lambda);
    fitted[String(lambda)] = head;
    results.push({
      head: 'in sample',
      lambda,
      seed: null,
      ece: perManifest(documents.map((d) => ({ manifest: d.manifest, correct: d.correct, confidence: confidenceOf(d, head) }))),
    });
  }
  if (values.write) {
    const head = fitted[String(lambdas[0])];
    const round = (value: number) => Math.round(value * 1e6) / 1e6;
    const file = {
      note: `Fitted by eval/fit-confidence.ts on ${documents.length} documents of ${manifests.join(', ')}, λ ${lambdas[0]}; see eval/README.md.`,
      bias: round(head.bias),
      weights: Object.fromEntries(CONFIDENCE_FEATURES.map((name) => [name, round(head.weights[name])])),
    };
    await writeFile(path.resolve('src/classify/confidence-weights.json'), `${JSON.stringify(file, null, 2)}\n`);
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ manifests, documents: documents.length, results, fitted }, null, 2)}\n`);
    return;
  }
  const lines = [
    `| head | λ | seed | ${manifests.join(' | ')} | all |`,
    `| --- | --- | --- |${manifests.map(() => ' --- |').join('')} --- |`,
    ...results.map((r) => `| ${r.head} | ${r.lambda ?? ''} | ${r.seed ?? ''} | ${r.ece.map((value) => value.toFixed(3)).join(' | ')} |`),
    '',
    ...Object.entries(fitted).map(
      ([lambda, head]) =>
        `λ ${lambda}: bias ${head.bias.toFixed(3)}, ${CONFIDENCE_FEATURES.map((name) => `${name} ${head.weights[name].toFixed(3)}`).join(', ')}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
