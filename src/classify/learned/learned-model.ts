/**
 * The learned layer: a per-classifier model trained from labelled example documents in
 * milliseconds. Features are TF-IDF weighted words, word pairs and character 4-grams (which
 * survive OCR errors); each class keeps a centroid and its examples' vectors for "close to 3
 * reviewed invoices". The model is plain JSON, so it can be stored with a classifier version.
 */
import type { TrainingExample } from '../../core/classifier.js';
import { STOPWORDS, charNgrams, normalizeText } from '../text/normalize-text.js';
import { compareFingerprints, fingerprintText } from './fingerprint.js';
import { SIGNATURE_LENGTH, compareSignatures, measureSpread } from './layout-signature.js';

export const LEARNED_MODEL_VERSION = 1;

export type SparseVector = Record<string, number>;

export interface LearnedModel {
  version: typeof LEARNED_MODEL_VERSION;
  classes: string[];
  idf: Record<string, number>;
  /** Unit-length centroid per class. */
  centroids: Record<string, SparseVector>;
  /** Unit-length vectors of the examples, per class, for neighbour counts in reasons. */
  examples: {
    class: string;
    source: 'example' | 'review';
    vector: SparseVector;
    layout?: number[];
    /** MinHash of the text's word triples (`fingerprint.ts`), to tell a repeat of the example from a page that merely contains it. */
    fingerprint?: number[];
    /** File name and reviewed run, so that reasons can name the example. */
    name?: string;
    runId?: string;
  }[];
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
  /** Per-dimension spread of the examples' layout signatures (empty without layouts). */
  layoutSpread?: number[];
  /**
   * Weight of layout similarity next to text similarity, chosen by how well it tells the
   * examples apart, left out one at a time (0: layout did not help on these examples).
   */
  layoutWeight?: number;
  /**
   * Per class, 0..1: the zero-shot probability of the class on its own examples, averaged. Low
   * when the engine cannot read the class (a name and description that say nothing to it), which
   * is when the examples have to speak for it, against `unknown` too.
   */
  readability?: Record<string, number>;
  /**
   * How alike examples are by their words: per class, the median similarity of an example to
   * its nearest other example of the class; `unrelated`, the median similarity of an example to
   * its nearest example of another class (what two documents of different kinds share by chance).
   */
  resemblance?: { typical: Record<string, number>; unrelated: number };
}

/** Candidate weights of layout similarity; the smallest of the best on the examples wins. */
export const LAYOUT_WEIGHTS = [0, 0.1, 0.2, 0.35, 0.5, 0.8];

/** The zero-shot distribution of a document given as page texts, in a fixed label order. */
export type ProfileFunction = (pages: string[]) => number[];

const MAX_CHARS = 20_000;
const MAX_FEATURES_PER_VECTOR = 400;

/** Raw term counts of a text: words, adjacent word pairs, character 4-grams of longer words. */
export function countFeatures(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (feature: string, amount = 1) => counts.set(feature, (counts.get(feature) ?? 0) + amount);
  const words = normalizeText(text.slice(0, MAX_CHARS))
    .split(' ')
    .filter((word) => word.length > 1 && !/^\d+$/.test(word));
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

/** The `keep` largest entries; among equal values the earlier ones, as a stable sort would keep them. */
function pruneVector(vector: SparseVector, keep: number): SparseVector {
  const entries = Object.entries(vector);
  if (entries.length <= keep) return vector;
  // Sorting bare numbers finds the cut-off far faster than sorting the entries themselves.
  const values = Float64Array.from(entries, (entry) => entry[1]).sort();
  const cutoff = values[values.length - keep];
  let above = 0;
  for (const [, value] of entries) if (value > cutoff) above++;
  let tiesLeft = keep - above;
  const kept: SparseVector = {};
  for (const [key, value] of entries) {
    if (value > cutoff) kept[key] = value;
    else if (value === cutoff && tiesLeft > 0) {
      kept[key] = value;
      tiesLeft--;
    }
  }
  return kept;
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
  for (const key in a) {
    const other = b[key];
    if (other !== undefined) sum += a[key] * other;
  }
  return sum;
}

/** Trains on examples; examples of classes the classifier does not have are skipped. */
export function trainLearnedModel(
  examples: TrainingExample[],
  classNames: string[],
  profile?: { labels: string[]; of: ProfileFunction; knownToEngine?: Set<string> },
): LearnedModel | null {
  const known = new Set(classNames);
  const usable = examples.filter((example) => known.has(example.class) && example.pages.some((page) => page.trim().length > 0));
  if (usable.length === 0) return null;
  const documents = usable.map((example) => countFeatures(example.pages.join('\n')));
  const documentFrequency = new Map<string, number>();
  for (const counts of documents)
    for (const feature of counts.keys()) documentFrequency.set(feature, (documentFrequency.get(feature) ?? 0) + 1);
  const idf: Record<string, number> = {};
  const total = documents.length;
  for (const [feature, frequency] of documentFrequency) idf[feature] = Math.log((1 + total) / (1 + frequency)) + 1;

  const sums: Record<string, SparseVector> = {};
  const counts: Record<string, number> = {};
  const exampleVectors: LearnedModel['examples'] = [];
  const layouts = usable.map((example) => (example.layout?.length === SIGNATURE_LENGTH ? example.layout : undefined));
  usable.forEach((example, index) => {
    const vector = vectorize(documents[index], idf);
    const entry: LearnedModel['examples'][number] = {
      class: example.class,
      source: example.source ?? 'example',
      vector: pruneVector(vector, MAX_FEATURES_PER_VECTOR),
    };
    if (example.name) entry.name = example.name;
    if (example.runId) entry.runId = example.runId;
    const fingerprint = fingerprintText(example.pages.join('\n').slice(0, MAX_CHARS));
    if (fingerprint) entry.fingerprint = fingerprint;
    if (layouts[index]) entry.layout = layouts[index];
    exampleVectors.push(entry);
    sums[example.class] ??= {};
    const sum = sums[example.class];
    for (const [key, value] of Object.entries(vector)) sum[key] = (sum[key] ?? 0) + value;
    counts[example.class] = (counts[example.class] ?? 0) + 1;
  });
  const centroids: Record<string, SparseVector> = {};
  for (const [name, sum] of Object.entries(sums)) centroids[name] = normalizeVector(pruneVector(sum, MAX_FEATURES_PER_VECTOR * 2));
  // Keep only features some centroid or example still uses, so the JSON stays small.
  const used = new Set<string>();
  for (const vector of [...Object.values(centroids), ...exampleVectors.map((entry) => entry.vector)])
    for (const key of Object.keys(vector)) used.add(key);
  const keptIdf: Record<string, number> = {};
  for (const key of used) keptIdf[key] = idf[key];
  const profiles = profile
    ? usable.map((example) => ({
        class: example.class,
        vector: profile.of(example.pages).map((value) => Math.round(Math.sqrt(value) * 1e4) / 1e4),
      }))
    : [];
  const signed = layouts.filter((layout): layout is number[] => layout !== undefined);
  // Layout is compared only when nearly every example has one: classes whose examples lack it
  // (saved before layouts were kept) would otherwise lose the layout term.
  const layoutSpread = signed.length >= 4 && signed.length >= 0.9 * usable.length ? measureSpread(signed) : [];
  const similarity = buildSimilarity(exampleVectors, profiles, layoutSpread);
  const layoutWeight = layoutSpread.length > 0 ? chooseLayoutWeight(exampleVectors, counts, similarity) : 0;
  const reliability = profile
    ? measureGain(exampleVectors, profiles, counts, profile.labels, similarity, layoutWeight)
    : measureReliability(exampleVectors, counts, similarity, layoutWeight);
  return {
    version: LEARNED_MODEL_VERSION,
    readability: profile ? measureReadability(profiles, profile.labels, profile.knownToEngine) : undefined,
    resemblance: measureResemblance(exampleVectors, similarity),
    classes: Object.keys(centroids),
    idf: keptIdf,
    centroids,
    examples: exampleVectors,
    counts,
    reliability,
    profileLabels: profile?.labels ?? [],
    profiles,
    layoutSpread,
    layoutWeight,
  };
}

/**
 * Per class, the mean zero-shot probability of the class on its own examples (profiles hold
 * square roots). Classes the engine knows count as readable: their profiles, read from text
 * alone, miss the layout that the engine reads on real pages (handwriting, slides).
 */
function measureReadability(
  profiles: LearnedModel['profiles'],
  labels: string[],
  knownToEngine: Set<string> = new Set(),
): Record<string, number> {
  const sums: Record<string, { sum: number; count: number }> = {};
  for (const profile of profiles) {
    if (knownToEngine.has(profile.class)) continue;
    sums[profile.class] ??= { sum: 0, count: 0 };
    const entry = sums[profile.class];
    entry.sum += (profile.vector[labels.indexOf(profile.class)] ?? 0) ** 2;
    entry.count++;
  }
  const readability: Record<string, number> = {};
  for (const [name, entry] of Object.entries(sums)) readability[name] = Math.round((entry.sum / entry.count) * 1e4) / 1e4;
  return readability;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Nearest same-class and nearest other-class word similarity of every example, as medians. */
function measureResemblance(examples: LearnedModel['examples'], similarity: ExampleSimilarity): LearnedModel['resemblance'] {
  const sameClass = new Map<string, number[]>();
  const otherClass: number[] = [];
  examples.forEach((example, i) => {
    let same = -Infinity;
    let other = -Infinity;
    examples.forEach((neighbour, j) => {
      if (i === j) return;
      if (neighbour.class === example.class) same = Math.max(same, similarity.words[i][j]);
      else other = Math.max(other, similarity.words[i][j]);
    });
    if (same > -Infinity) {
      const values = sameClass.get(example.class) ?? [];
      values.push(same);
      sameClass.set(example.class, values);
    }
    if (other > -Infinity) otherClass.push(other);
  });
  if (sameClass.size === 0 || otherClass.length === 0) return undefined;
  const typical: Record<string, number> = {};
  for (const [name, values] of sameClass) typical[name] = Math.round(median(values) * 1e4) / 1e4;
  return { typical, unrelated: Math.round(median(otherClass) * 1e4) / 1e4 };
}

/** Pairwise similarities of the examples: text (plus zero-shot profile affinity) and layout. */
export interface ExampleSimilarity {
  /** Word similarity plus zero-shot profile affinity. */
  text: number[][];
  /** Word similarity alone. */
  words: number[][];
  /** null where either example has no layout. */
  layout: (number | null)[][];
}

interface PackedVector {
  ids: Int32Array;
  values: Float64Array;
}

/** Sparse vectors as sorted feature ids and values, so that all pairs are compared by a merge, not by key lookups. */
function packVectors(vectors: SparseVector[]): PackedVector[] {
  const ids = new Map<string, number>();
  return vectors.map((vector) => {
    const entries = Object.entries(vector).map(([key, value]): [number, number] => {
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size;
        ids.set(key, id);
      }
      return [id, value];
    });
    entries.sort((a, b) => a[0] - b[0]);
    return { ids: Int32Array.from(entries, (entry) => entry[0]), values: Float64Array.from(entries, (entry) => entry[1]) };
  });
}

function dotPacked(a: PackedVector, b: PackedVector): number {
  let sum = 0;
  let i = 0;
  let j = 0;
  while (i < a.ids.length && j < b.ids.length) {
    if (a.ids[i] === b.ids[j]) sum += a.values[i++] * b.values[j++];
    else if (a.ids[i] < b.ids[j]) i++;
    else j++;
  }
  return sum;
}

function buildSimilarity(
  examples: LearnedModel['examples'],
  profiles: LearnedModel['profiles'],
  layoutSpread: number[],
): ExampleSimilarity {
  const n = examples.length;
  const packed = packVectors(examples.map((example) => example.vector));
  const text = examples.map(() => new Array<number>(n).fill(0));
  const words = examples.map(() => new Array<number>(n).fill(0));
  const layout = examples.map(() => new Array<number | null>(n).fill(null));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let value = dotPacked(packed[i], packed[j]);
      words[i][j] = words[j][i] = value;
      if (profiles.length === n) {
        let affinity = 0;
        const a = profiles[i].vector;
        const b = profiles[j].vector;
        for (let k = 0; k < a.length; k++) affinity += a[k] * (b[k] ?? 0);
        value += 0.6 * affinity;
      }
      text[i][j] = text[j][i] = value;
      const [la, lb] = [examples[i].layout, examples[j].layout];
      if (layoutSpread.length > 0 && la && lb) layout[i][j] = layout[j][i] = compareSignatures(la, lb, layoutSpread);
    }
  }
  return { text, words, layout };
}

/**
 * The class an example is closest to with the others left out: half its nearest example of a
 * class, half the class's mean, as the blend weighs nearest example and centroid.
 */
function predictLeftOut(index: number, examples: LearnedModel['examples'], similarity: ExampleSimilarity, layoutWeight: number): string {
  const byClass = new Map<string, { sum: number; best: number; count: number }>();
  examples.forEach((other, otherIndex) => {
    if (otherIndex === index) return;
    const layout = similarity.layout[index][otherIndex];
    const value = similarity.text[index][otherIndex] + (layout === null ? 0 : layoutWeight * layout);
    const entry = byClass.get(other.class) ?? { sum: 0, best: -Infinity, count: 0 };
    entry.sum += value;
    entry.count++;
    entry.best = Math.max(entry.best, value);
    byClass.set(other.class, entry);
  });
  let bestClass = '';
  let bestScore = -Infinity;
  for (const [name, entry] of byClass) {
    const score = 0.5 * entry.best + 0.5 * (entry.sum / entry.count);
    if (score > bestScore) {
      bestScore = score;
      bestClass = name;
    }
  }
  return bestClass;
}

function countLeftOutRight(
  examples: LearnedModel['examples'],
  counts: Record<string, number>,
  similarity: ExampleSimilarity,
  layoutWeight: number,
): { right: number; tested: number } {
  let right = 0;
  let tested = 0;
  examples.forEach((example, index) => {
    if (counts[example.class] < 2) return;
    tested++;
    if (predictLeftOut(index, examples, similarity, layoutWeight) === example.class) right++;
  });
  return { right, tested };
}

/** The layout weight under which the examples, left out one at a time, are recognised best. */
export function chooseLayoutWeight(
  examples: LearnedModel['examples'],
  counts: Record<string, number>,
  similarity: ExampleSimilarity,
): number {
  let best = 0;
  let bestRight = -1;
  for (const weight of LAYOUT_WEIGHTS) {
    const { right } = countLeftOutRight(examples, counts, similarity, weight);
    if (right > bestRight) {
      bestRight = right;
      best = weight;
    }
  }
  return best;
}

/**
 * How much the learned layer adds over zero-shot on the examples themselves: leave-one-out
 * accuracy of the examples' similarities against the zero-shot engine's accuracy on the same
 * documents. 0.5 when they tie, towards 1 when the examples teach what zero-shot gets wrong,
 * towards 0 when zero-shot already knows better.
 */
function measureGain(
  examples: LearnedModel['examples'],
  profiles: LearnedModel['profiles'],
  counts: Record<string, number>,
  labels: string[],
  similarity: ExampleSimilarity,
  layoutWeight: number,
): number {
  let zeroShotRight = 0;
  examples.forEach((example, index) => {
    if (counts[example.class] < 2) return;
    const profile = profiles[index].vector;
    let bestLabel = 0;
    profile.forEach((value, labelIndex) => {
      if (value > profile[bestLabel]) bestLabel = labelIndex;
    });
    if (labels[bestLabel] === example.class) zeroShotRight++;
  });
  const { right, tested } = countLeftOutRight(examples, counts, similarity, layoutWeight);
  if (tested === 0) return 0.5;
  return Math.max(0.1, Math.min(1, 0.5 + (1.5 * (right - zeroShotRight)) / tested));
}

/** Leave-one-out accuracy over the examples, 0 at chance, 1 when perfect. */
function measureReliability(
  examples: LearnedModel['examples'],
  counts: Record<string, number>,
  similarity: ExampleSimilarity,
  layoutWeight: number,
): number {
  const classes = Object.keys(counts);
  if (classes.length < 2 || examples.length < 3) return 0.5;
  const { right, tested } = countLeftOutRight(examples, counts, similarity, layoutWeight);
  if (tested === 0) return 0.5;
  const chance = 1 / classes.length;
  return Math.max(0, Math.min(1, (right / tested - chance) / (1 - chance)));
}

export interface LearnedPageScore {
  /** Cosine similarity to each class centroid that has examples. */
  similarity: Record<string, number>;
  /** Similarity to the nearest example of each class. */
  nearest: Record<string, number>;
  /** Examples of each class similar to the page (cosine ≥ 0.3). */
  neighbours: Record<string, { count: number; reviewed: number }>;
  /** The nearest example of each class, to name in reasons. */
  closest: Record<string, ExampleReference>;
  /** Layout similarity to each class's examples: the nearest one and the mean (empty without layouts). */
  layoutNearest: Record<string, number>;
  layoutMean: Record<string, number>;
}

/** Which example, for a reason a person can check: its file name or run, else its place among its class's examples. */
export interface ExampleReference {
  class: string;
  source: 'example' | 'review';
  name?: string;
  runId?: string;
  /** 1-based place among the examples of its class, in training order. */
  ordinal: number;
  /** 0..1: how alike (word similarity, or share of word triples for a repeat). */
  similarity: number;
}

export interface RepeatedExample extends ExampleReference {
  /** Estimated share of word triples the text and the example have in common (Jaccard), 0..1. */
  similarity: number;
}

/** The 1-based place of each example among the examples of its class. */
function ordinalsOf(model: LearnedModel): number[] {
  const seen: Record<string, number> = {};
  return model.examples.map((example) => (seen[example.class] = (seen[example.class] ?? 0) + 1));
}

function referTo(example: LearnedModel['examples'][number], ordinal: number, similarity: number): ExampleReference {
  const reference: ExampleReference = { class: example.class, source: example.source, ordinal, similarity };
  if (example.name) reference.name = example.name;
  if (example.runId) reference.runId = example.runId;
  return reference;
}

/** Per class, the example the text comes closest to repeating (examples without fingerprints are skipped). */
export function findRepeatedExamples(model: LearnedModel, text: string): Record<string, RepeatedExample> {
  const repeated: Record<string, RepeatedExample> = {};
  if (!model.examples.some((example) => example.fingerprint)) return repeated;
  const fingerprint = fingerprintText(text.slice(0, MAX_CHARS));
  if (!fingerprint) return repeated;
  const ordinals = ordinalsOf(model);
  model.examples.forEach((example, index) => {
    if (!example.fingerprint) return;
    const similarity = compareFingerprints(fingerprint, example.fingerprint);
    if (similarity > (repeated[example.class]?.similarity ?? 0)) repeated[example.class] = referTo(example, ordinals[index], similarity);
  });
  return repeated;
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

export function scoreWithLearnedModel(model: LearnedModel, text: string, layout: number[] | null = null): LearnedPageScore {
  const vector = vectorize(countFeatures(text), model.idf);
  const similarity: Record<string, number> = {};
  for (const [name, centroid] of Object.entries(model.centroids)) similarity[name] = cosine(vector, centroid);
  const neighbours: Record<string, { count: number; reviewed: number }> = {};
  const nearest: Record<string, number> = {};
  const closest: Record<string, ExampleReference> = {};
  const ordinals = ordinalsOf(model);
  for (const [index, example] of model.examples.entries()) {
    const exampleSimilarity = cosine(vector, example.vector);
    nearest[example.class] = Math.max(nearest[example.class] ?? 0, exampleSimilarity);
    if (!closest[example.class] || exampleSimilarity > closest[example.class].similarity)
      closest[example.class] = referTo(example, ordinals[index], exampleSimilarity);
    if (exampleSimilarity < 0.3) continue;
    neighbours[example.class] ??= { count: 0, reviewed: 0 };
    const entry = neighbours[example.class];
    entry.count++;
    if (example.source === 'review') entry.reviewed++;
  }
  const layoutNearest: Record<string, number> = {};
  const layoutMean: Record<string, number> = {};
  const spread = model.layoutSpread ?? [];
  if (layout && spread.length > 0 && (model.layoutWeight ?? 0) > 0) {
    const sums: Record<string, { sum: number; count: number }> = {};
    for (const example of model.examples) {
      if (!example.layout) continue;
      const value = compareSignatures(layout, example.layout, spread);
      layoutNearest[example.class] = Math.max(layoutNearest[example.class] ?? 0, value);
      sums[example.class] ??= { sum: 0, count: 0 };
      const entry = sums[example.class];
      entry.sum += value;
      entry.count++;
    }
    for (const [name, entry] of Object.entries(sums)) layoutMean[name] = entry.sum / entry.count;
  }
  return { similarity, nearest, neighbours, closest, layoutNearest, layoutMean };
}
