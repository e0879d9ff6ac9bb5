/**
 * Section 5 of the accuracy issue: would a model trained on the corpus complement the hand-written
 * knowledge pack on documents from sources it never saw? Measured only by source-grouped
 * cross-validation: the documents of one repository are all in the test fold or all in training.
 *
 * The prior is a multinomial logistic regression over the corpus labels (and `unknown` for
 * `other`) on TF-IDF words, word pairs and character 4-grams (the learned layer's features). It is
 * blended with the engine as p ∝ p_engine · p_prior^w; w is chosen on the training sources only,
 * by an inner grouped cross-validation, so no test document ever influences it.
 *
 *   node dist/eval/learned-prior.js ../shared/corpus --classifier ../shared/corpus/classifier.json [--folds 10] [--inner-folds 4]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UNKNOWN, type ClassifierDefinition } from '../src/core/classifier.js';
import { classifyPagesSync } from '../src/classify/classify-pages.js';
import { countFeatures } from '../src/classify/learned/learned-model.js';
import { measureCalibrationError } from '../src/classify/calibrate.js';
import { createExtractor } from '../src/extract/index.js';
import { PageCache } from '../src/evaluate/page-cache.js';
import { parseCsv } from '../src/evaluate/read-manifest.js';

const MANIFESTS = ['pdf-labels.csv', 'img-labels.csv', 'pdf-labels-wave2.csv', 'img-labels-wave2.csv'];
const BLEND_WEIGHTS = [0, 0.15, 0.3, 0.5, 0.75, 1];
const HASH_BITS = 18;
const EPOCHS = 30;
const LEARNING_RATE = 0.5;
const L2 = 1e-4;

interface Item {
  manifest: string;
  repo: string;
  gold: number;
  engine: number[];
  features: Map<number, number>;
}

function hashFeature(feature: string): number {
  let hash = 2166136261;
  for (let i = 0; i < feature.length; i++) hash = Math.imul(hash ^ feature.charCodeAt(i), 16777619);
  return (hash >>> 0) & ((1 << HASH_BITS) - 1);
}

function hashedCounts(text: string): Map<number, number> {
  const hashed = new Map<number, number>();
  for (const [feature, count] of countFeatures(text)) {
    const id = hashFeature(feature);
    hashed.set(id, (hashed.get(id) ?? 0) + count);
  }
  return hashed;
}

/** Deterministic shuffle of source names into k folds (leave-one-source-out when k ≥ sources). */
function assignFolds(repos: string[], k: number, seed: number): Map<string, number> {
  const unique = [...new Set(repos)].sort();
  const keyed = unique.map((repo) => ({ repo, key: hashFeature(`${seed}:${repo}`) })).sort((a, b) => a.key - b.key);
  const folds = new Map<string, number>();
  for (const [index, entry] of keyed.entries()) folds.set(entry.repo, index % k);
  return folds;
}

interface Prior {
  weights: Float32Array;
  bias: Float64Array;
  idf: Map<number, number>;
  labels: number;
}

function vectorize(item: Item, idf: Map<number, number>): [number, number][] {
  const entries: [number, number][] = [];
  let norm = 0;
  for (const [id, count] of item.features) {
    const weight = idf.get(id);
    if (weight === undefined) continue;
    const value = (1 + Math.log(count)) * weight;
    entries.push([id, value]);
    norm += value * value;
  }
  norm = Math.sqrt(norm) || 1;
  return entries.map(([id, value]) => [id, value / norm]);
}

function trainPrior(items: Item[], labels: number): Prior {
  const frequency = new Map<number, number>();
  for (const item of items) for (const id of item.features.keys()) frequency.set(id, (frequency.get(id) ?? 0) + 1);
  const idf = new Map<number, number>();
  // Features seen in one training document only say nothing general about a type.
  for (const [id, count] of frequency) if (count >= 2) idf.set(id, Math.log((1 + items.length) / (1 + count)) + 1);
  const vectors = items.map((item) => vectorize(item, idf));
  const weights = new Float32Array((1 << HASH_BITS) * labels);
  const bias = new Float64Array(labels);
  const order = items.map((_, index) => index);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    // A fixed permutation per epoch keeps the run reproducible.
    order.sort((a, b) => hashFeature(`${epoch}:${a}`) - hashFeature(`${epoch}:${b}`));
    const rate = LEARNING_RATE / (1 + epoch * 0.2);
    for (const index of order) {
      const vector = vectors[index];
      const logits = predictLogits(vector, weights, bias, labels);
      const probabilities = softmaxRow(logits);
      for (let label = 0; label < labels; label++) {
        const gradient = probabilities[label] - (label === items[index].gold ? 1 : 0);
        bias[label] -= rate * gradient * 0.1;
        for (const [id, value] of vector) {
          const slot = id * labels + label;
          weights[slot] -= rate * (gradient * value + L2 * weights[slot]);
        }
      }
    }
  }
  return { weights, bias, idf, labels };
}

function predictLogits(vector: [number, number][], weights: Float32Array, bias: Float64Array, labels: number): number[] {
  const logits = Array.from(bias);
  for (const [id, value] of vector) for (let label = 0; label < labels; label++) logits[label] += weights[id * labels + label] * value;
  return logits;
}

function softmaxRow(logits: number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((logit) => Math.exp(logit - max));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}

function predictPrior(prior: Prior, item: Item): number[] {
  return softmaxRow(predictLogits(vectorize(item, prior.idf), prior.weights, prior.bias, prior.labels));
}

function blend(engine: number[], prior: number[], weight: number): number[] {
  const mixed = engine.map((value, index) => Math.max(value, 1e-6) * Math.max(prior[index], 1e-6) ** weight);
  const total = mixed.reduce((sum, value) => sum + value, 0);
  return mixed.map((value) => value / total);
}

function argmax(values: number[]): number {
  let best = 0;
  values.forEach((value, index) => {
    if (value > values[best]) best = index;
  });
  return best;
}

/** Accuracy of blends at every candidate weight, on `test` with a prior trained on `train`. */
function scoreWeights(train: Item[], test: Item[], labels: number): { correct: number[]; predictions: number[][][] } {
  const prior = trainPrior(train, labels);
  const correct = BLEND_WEIGHTS.map(() => 0);
  const predictions = BLEND_WEIGHTS.map(() => [] as number[][]);
  for (const item of test) {
    const priorProbabilities = predictPrior(prior, item);
    BLEND_WEIGHTS.forEach((weight, index) => {
      const blended = blend(item.engine, priorProbabilities, weight);
      predictions[index].push(blended);
      if (argmax(blended) === item.gold) correct[index]++;
    });
  }
  return { correct, predictions };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      classifier: { type: 'string' },
      folds: { type: 'string', default: '10' },
      'inner-folds': { type: 'string', default: '4' },
      cache: { type: 'string', default: '.cache/pages' },
    },
  });
  const corpus = positionals[0] ?? '../shared/corpus';
  const classifier = JSON.parse(await readFile(values.classifier ?? path.join(corpus, 'classifier.json'), 'utf8')) as ClassifierDefinition;
  const labelNames = [...classifier.classes.map((definition) => definition.name), UNKNOWN];
  const extractor = createExtractor();
  const cache = new PageCache(extractor, path.resolve(values.cache!));
  const items: Item[] = [];
  try {
    for (const manifest of MANIFESTS) {
      const [header, ...rows] = parseCsv(await readFile(path.join(corpus, manifest), 'utf8'));
      const column = (name: string) => header.indexOf(name);
      for (const row of rows) {
        const file = row[column('file')];
        const label = row[column('label')];
        const { document } = await cache.extract(path.join(corpus, file));
        const output = classifyPagesSync(document.pages, { classifier });
        const gold = labelNames.indexOf(label) >= 0 ? labelNames.indexOf(label) : labelNames.length - 1;
        items.push({
          manifest,
          repo: row[column('repo')] || file,
          gold,
          engine: labelNames.map((name) => output.confidence_scores[name] ?? 0),
          features: hashedCounts(
            document.pages
              .slice(0, 3)
              .map((page) => page.text)
              .join('\n'),
          ),
        });
      }
    }
  } finally {
    await extractor.close();
  }

  const k = Number(values.folds);
  const innerK = Number(values['inner-folds']);
  const folds = assignFolds(
    items.map((item) => item.repo),
    k,
    1,
  );
  const chosen: number[] = [];
  const finalPredictions = new Map<Item, number[]>();
  const atWeight = BLEND_WEIGHTS.map(() => new Map<Item, number[]>());
  for (let fold = 0; fold < k; fold++) {
    const train = items.filter((item) => folds.get(item.repo) !== fold);
    const test = items.filter((item) => folds.get(item.repo) === fold);
    if (test.length === 0) continue;
    // Inner grouped CV on the training sources picks the blend weight.
    const innerFolds = assignFolds(
      train.map((item) => item.repo),
      innerK,
      2 + fold,
    );
    const innerCorrect = BLEND_WEIGHTS.map(() => 0);
    for (let inner = 0; inner < innerK; inner++) {
      const innerTrain = train.filter((item) => innerFolds.get(item.repo) !== inner);
      const innerTest = train.filter((item) => innerFolds.get(item.repo) === inner);
      if (innerTest.length === 0) continue;
      for (const [index, count] of scoreWeights(innerTrain, innerTest, labelNames.length).correct.entries()) innerCorrect[index] += count;
    }
    const bestIndex = innerCorrect.indexOf(Math.max(...innerCorrect));
    chosen.push(BLEND_WEIGHTS[bestIndex]);
    const outer = scoreWeights(train, test, labelNames.length);
    test.forEach((item, position) => {
      finalPredictions.set(item, outer.predictions[bestIndex][position]);
      for (const index of BLEND_WEIGHTS.keys()) atWeight[index].set(item, outer.predictions[index][position]);
    });
    process.stderr.write(`fold ${fold + 1}/${k}: ${test.length} documents, inner-CV weight ${BLEND_WEIGHTS[bestIndex]}\n`);
  }

  const report = (name: string, subset: Item[]) => {
    const measure = (predict: (item: Item) => number[]) => {
      const samples = subset.map((item) => {
        const probabilities = predict(item);
        const top = argmax(probabilities);
        return { confidence: probabilities[top], correct: top === item.gold };
      });
      const accuracy = samples.filter((sample) => sample.correct).length / Math.max(1, samples.length);
      return `${accuracy.toFixed(3)} (ECE ${measureCalibrationError(samples).toFixed(3)})`;
    };
    const fixed = BLEND_WEIGHTS.map((weight, index) => `w=${weight}: ${measure((item) => atWeight[index].get(item)!)}`);
    console.log(
      `| ${name} | ${subset.length} | ${measure((item) => item.engine)} | ${measure((item) => finalPredictions.get(item)!)} | ${fixed.slice(1).join('; ')} |`,
    );
  };
  console.log(`\nBlend weights chosen by inner CV per outer fold: ${chosen.join(', ')}\n`);
  console.log('| set | documents | engine alone | engine + prior (nested grouped CV) | fixed weights (held-out) |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const manifest of MANIFESTS)
    report(
      manifest,
      items.filter((item) => item.manifest === manifest),
    );
  report('all', items);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
