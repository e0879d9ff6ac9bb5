/**
 * The learned layer: a per-classifier model trained from labelled example documents in
 * milliseconds. Features are TF-IDF weighted words, word pairs and character 4-grams (which
 * survive OCR errors); each class keeps a centroid and its examples' vectors for "close to 3
 * reviewed invoices". The model is plain JSON, so it can be stored with a classifier version.
 */
import type { TrainingExample } from '../../core/classifier.js';
import { STOPWORDS, charNgrams, normalizeText } from '../text/normalize-text.js';

export const LEARNED_MODEL_VERSION = 1;

export type SparseVector = Record<string, number>;

export interface LearnedModel {
  version: typeof LEARNED_MODEL_VERSION;
  classes: string[];
  idf: Record<string, number>;
  /** Unit-length centroid per class. */
  centroids: Record<string, SparseVector>;
  /** Unit-length vectors of the examples, per class, for neighbour counts in reasons. */
  examples: { class: string; source: 'example' | 'review'; vector: SparseVector }[];
  /** Examples per class used in training. */
  counts: Record<string, number>;
}

const MAX_CHARS = 20_000;
const MAX_FEATURES_PER_VECTOR = 400;

/** Raw term counts of a text: words, adjacent word pairs, character 4-grams of longer words. */
export function countFeatures(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (feature: string, amount = 1) => counts.set(feature, (counts.get(feature) ?? 0) + amount);
  const words = normalizeText(text.slice(0, MAX_CHARS)).split(' ').filter((word) => word.length > 1 && !/^\d+$/.test(word));
  let previous: string | null = null;
  for (const word of words) {
    if (STOPWORDS.has(word)) {
      previous = null;
      continue;
    }
    add(`w:${word}`);
    if (previous) add(`b:${previous}_${word}`);
    previous = word;
    if (word.length >= 5) for (const gram of charNgrams(word, 4)) add(`c:${gram}`, 0.3);
  }
  return counts;
}

function normalizeVector(vector: SparseVector): SparseVector {
  let norm = 0;
  for (const value of Object.values(vector)) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  const result: SparseVector = {};
  for (const [key, value] of Object.entries(vector)) result[key] = value / norm;
  return result;
}

function pruneVector(vector: SparseVector, keep: number): SparseVector {
  const entries = Object.entries(vector);
  if (entries.length <= keep) return vector;
  entries.sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(entries.slice(0, keep));
}

export function vectorize(counts: Map<string, number>, idf: Record<string, number>): SparseVector {
  const vector: SparseVector = {};
  for (const [feature, count] of counts) {
    const weight = idf[feature];
    if (weight === undefined) continue;
    vector[feature] = (1 + Math.log(count)) * weight;
  }
  return normalizeVector(vector);
}

export function cosine(a: SparseVector, b: SparseVector): number {
  let sum = 0;
  const [small, large] = Object.keys(a).length < Object.keys(b).length ? [a, b] : [b, a];
  for (const [key, value] of Object.entries(small)) {
    const other = large[key];
    if (other !== undefined) sum += value * other;
  }
  return sum;
}

/** Trains on examples; examples of classes the classifier does not have are skipped. */
export function trainLearnedModel(examples: TrainingExample[], classNames: string[]): LearnedModel | null {
  const known = new Set(classNames);
  const usable = examples.filter((example) => known.has(example.class) && example.pages.some((page) => page.trim().length > 0));
  if (usable.length === 0) return null;
  const documents = usable.map((example) => countFeatures(example.pages.join('\n')));
  const documentFrequency = new Map<string, number>();
  for (const counts of documents) for (const feature of counts.keys()) documentFrequency.set(feature, (documentFrequency.get(feature) ?? 0) + 1);
  const idf: Record<string, number> = {};
  const total = documents.length;
  for (const [feature, frequency] of documentFrequency) idf[feature] = Math.log((1 + total) / (1 + frequency)) + 1;

  const sums: Record<string, SparseVector> = {};
  const counts: Record<string, number> = {};
  const exampleVectors: LearnedModel['examples'] = [];
  usable.forEach((example, index) => {
    const vector = vectorize(documents[index], idf);
    exampleVectors.push({ class: example.class, source: example.source ?? 'example', vector: pruneVector(vector, MAX_FEATURES_PER_VECTOR) });
    const sum = (sums[example.class] ??= {});
    for (const [key, value] of Object.entries(vector)) sum[key] = (sum[key] ?? 0) + value;
    counts[example.class] = (counts[example.class] ?? 0) + 1;
  });
  const centroids: Record<string, SparseVector> = {};
  for (const [name, sum] of Object.entries(sums)) centroids[name] = normalizeVector(pruneVector(sum, MAX_FEATURES_PER_VECTOR * 2));
  // Keep only features some centroid or example still uses, so the JSON stays small.
  const used = new Set<string>();
  for (const vector of [...Object.values(centroids), ...exampleVectors.map((entry) => entry.vector)]) for (const key of Object.keys(vector)) used.add(key);
  const keptIdf: Record<string, number> = {};
  for (const key of used) keptIdf[key] = idf[key];
  return { version: LEARNED_MODEL_VERSION, classes: Object.keys(centroids), idf: keptIdf, centroids, examples: exampleVectors, counts };
}

export interface LearnedPageScore {
  /** Cosine similarity to each class centroid that has examples. */
  similarity: Record<string, number>;
  /** Examples of each class similar to the page (cosine ≥ 0.3). */
  neighbours: Record<string, { count: number; reviewed: number }>;
}

export function scoreWithLearnedModel(model: LearnedModel, text: string): LearnedPageScore {
  const vector = vectorize(countFeatures(text), model.idf);
  const similarity: Record<string, number> = {};
  for (const [name, centroid] of Object.entries(model.centroids)) similarity[name] = cosine(vector, centroid);
  const neighbours: Record<string, { count: number; reviewed: number }> = {};
  for (const example of model.examples) {
    if (cosine(vector, example.vector) < 0.3) continue;
    const entry = (neighbours[example.class] ??= { count: 0, reviewed: 0 });
    entry.count++;
    if (example.source === 'review') entry.reviewed++;
  }
  return { similarity, neighbours };
}
