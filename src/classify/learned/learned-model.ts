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
  /**
   * 0..1: leave-one-out accuracy of the model on its own examples, rescaled so that chance
   * gives 0. A model that cannot tell its own examples apart gets little say in the blend.
   */
  reliability: number;
  /**
   * How the zero-shot engine sees each example: its class distribution (square roots, in
   * `profileLabels` order). Pages the engine systematically mistakes (a class of forms it reads
   * as reports) land near the examples of their real class in this space.
   */
  profileLabels: string[];
  profiles: { class: string; vector: number[] }[];
}

/** The zero-shot distribution of a document given as page texts, in a fixed label order. */
export type ProfileFunction = (pages: string[]) => number[];

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
export function trainLearnedModel(
  examples: TrainingExample[],
  classNames: string[],
  profile?: { labels: string[]; of: ProfileFunction },
): LearnedModel | null {
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
  const profiles = profile
    ? usable.map((example) => ({ class: example.class, vector: profile.of(example.pages).map((value) => Math.round(Math.sqrt(value) * 1e4) / 1e4) }))
    : [];
  const reliability = profile ? measureGain(exampleVectors, profiles, counts, profile.labels) : measureReliability(exampleVectors, counts);
  return {
    version: LEARNED_MODEL_VERSION,
    classes: Object.keys(centroids),
    idf: keptIdf,
    centroids,
    examples: exampleVectors,
    counts,
    reliability,
    profileLabels: profile?.labels ?? [],
    profiles,
  };
}

/**
 * How much the learned layer adds over zero-shot on the examples themselves: leave-one-out
 * nearest-neighbour accuracy against the zero-shot engine's accuracy on the same documents.
 * 0.5 when they tie, towards 1 when the examples teach what zero-shot gets wrong, towards 0
 * when zero-shot already knows better.
 */
function measureGain(
  examples: LearnedModel['examples'],
  profiles: LearnedModel['profiles'],
  counts: Record<string, number>,
  labels: string[],
): number {
  let learnedRight = 0;
  let zeroShotRight = 0;
  let tested = 0;
  examples.forEach((example, index) => {
    if (counts[example.class] < 2) return;
    tested++;
    const profile = profiles[index].vector;
    let bestLabel = 0;
    profile.forEach((value, labelIndex) => {
      if (value > profile[bestLabel]) bestLabel = labelIndex;
    });
    if (labels[bestLabel] === example.class) zeroShotRight++;
    let best = -Infinity;
    let bestClass = '';
    examples.forEach((other, otherIndex) => {
      if (otherIndex === index) return;
      let affinity = 0;
      for (let i = 0; i < profile.length; i++) affinity += profile[i] * (profiles[otherIndex].vector[i] ?? 0);
      const similarity = cosine(example.vector, other.vector) + 0.6 * affinity;
      if (similarity > best) {
        best = similarity;
        bestClass = other.class;
      }
    });
    if (bestClass === example.class) learnedRight++;
  });
  if (tested === 0) return 0.5;
  return Math.max(0.1, Math.min(1, 0.5 + (1.5 * (learnedRight - zeroShotRight)) / tested));
}

/** Leave-one-out nearest-neighbour accuracy over the examples, 0 at chance, 1 when perfect. */
function measureReliability(examples: LearnedModel['examples'], counts: Record<string, number>): number {
  const classes = Object.keys(counts);
  if (classes.length < 2 || examples.length < 3) return 0.5;
  let correct = 0;
  let tested = 0;
  examples.forEach((example, index) => {
    if (counts[example.class] < 2) return;
    let best = -1;
    let bestClass = '';
    examples.forEach((other, otherIndex) => {
      if (otherIndex === index) return;
      const similarity = cosine(example.vector, other.vector);
      if (similarity > best) {
        best = similarity;
        bestClass = other.class;
      }
    });
    tested++;
    if (bestClass === example.class) correct++;
  });
  if (tested === 0) return 0.5;
  const chance = 1 / classes.length;
  return Math.max(0, Math.min(1, (correct / tested - chance) / (1 - chance)));
}

export interface LearnedPageScore {
  /** Cosine similarity to each class centroid that has examples. */
  similarity: Record<string, number>;
  /** Similarity to the nearest example of each class. */
  nearest: Record<string, number>;
  /** Examples of each class similar to the page (cosine ≥ 0.3). */
  neighbours: Record<string, { count: number; reviewed: number }>;
}

/** Affinity (Bhattacharyya coefficient) of a zero-shot distribution to each class's nearest example. */
export function measureProfileAffinity(model: LearnedModel, distribution: number[]): Record<string, number> {
  const roots = distribution.map((value) => Math.sqrt(Math.max(0, value)));
  const affinity: Record<string, number> = {};
  for (const example of model.profiles) {
    let sum = 0;
    for (let i = 0; i < roots.length; i++) sum += roots[i] * (example.vector[i] ?? 0);
    affinity[example.class] = Math.max(affinity[example.class] ?? 0, sum);
  }
  return affinity;
}

export function scoreWithLearnedModel(model: LearnedModel, text: string): LearnedPageScore {
  const vector = vectorize(countFeatures(text), model.idf);
  const similarity: Record<string, number> = {};
  for (const [name, centroid] of Object.entries(model.centroids)) similarity[name] = cosine(vector, centroid);
  const neighbours: Record<string, { count: number; reviewed: number }> = {};
  const nearest: Record<string, number> = {};
  for (const example of model.examples) {
    const exampleSimilarity = cosine(vector, example.vector);
    nearest[example.class] = Math.max(nearest[example.class] ?? 0, exampleSimilarity);
    if (exampleSimilarity < 0.3) continue;
    const entry = (neighbours[example.class] ??= { count: 0, reviewed: 0 });
    entry.count++;
    if (example.source === 'review') entry.reviewed++;
  }
  return { similarity, nearest, neighbours };
}
