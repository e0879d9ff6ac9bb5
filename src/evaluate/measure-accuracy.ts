/** Evaluation metrics over documents and bundles. Pure functions of predictions and gold labels. */
import { UNKNOWN } from '../core/classifier.js';
import { measureCalibrationError } from '../classify/calibrate.js';
import type { GoldSegment } from './read-manifest.js';

export interface DocumentPrediction {
  file: string;
  gold: string;
  predicted: string;
  confidence: number;
  reason: string;
  suggested_class: string | null;
}

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface DocumentMetrics {
  documents: number;
  accuracy: number;
  macro_f1: number;
  per_class: Record<string, ClassMetrics>;
  /** confusion[gold][predicted] = count */
  confusion: Record<string, Record<string, number>>;
  ece: number;
  unknown_precision: number;
  unknown_recall: number;
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

/**
 * Accuracy counts a gold `unknown` right only when the answer is `unknown`. Macro-F1 averages
 * the classes that occur in gold (the `unknown` rows are scored by unknown precision/recall).
 */
export function measureDocuments(predictions: DocumentPrediction[]): DocumentMetrics {
  const labels = new Set<string>();
  const confusion: Record<string, Record<string, number>> = {};
  for (const prediction of predictions) {
    labels.add(prediction.gold);
    labels.add(prediction.predicted);
    confusion[prediction.gold] ??= {};
    const row = confusion[prediction.gold];
    row[prediction.predicted] = (row[prediction.predicted] ?? 0) + 1;
  }
  const per_class: Record<string, ClassMetrics> = {};
  const f1s: number[] = [];
  for (const label of [...labels].sort()) {
    const truePositive = predictions.filter((p) => p.gold === label && p.predicted === label).length;
    const predicted = predictions.filter((p) => p.predicted === label).length;
    const support = predictions.filter((p) => p.gold === label).length;
    const precision = ratio(truePositive, predicted);
    const recall = ratio(truePositive, support);
    const f1 = ratio(2 * precision * recall, precision + recall);
    per_class[label] = { precision: round(precision), recall: round(recall), f1: round(f1), support };
    if (label !== UNKNOWN && support > 0) f1s.push(f1);
  }
  const correct = predictions.filter((p) => p.gold === p.predicted).length;
  const unknownTruePositive = predictions.filter((p) => p.gold === UNKNOWN && p.predicted === UNKNOWN).length;
  return {
    documents: predictions.length,
    accuracy: round(ratio(correct, predictions.length)),
    macro_f1: round(f1s.length ? f1s.reduce((sum, value) => sum + value, 0) / f1s.length : 0),
    per_class,
    confusion,
    ece: round(measureCalibrationError(predictions.map((p) => ({ confidence: p.confidence, correct: p.gold === p.predicted })))),
    unknown_precision: round(ratio(unknownTruePositive, predictions.filter((p) => p.predicted === UNKNOWN).length)),
    unknown_recall: round(ratio(unknownTruePositive, predictions.filter((p) => p.gold === UNKNOWN).length)),
  };
}

export interface PredictedSegment {
  class: string;
  first_page: number;
  last_page: number;
}

export interface BundleScore {
  pages: number;
  correctPages: number;
  goldBoundaries: number;
  predictedBoundaries: number;
  matchedBoundaries: number;
  goldSegments: number;
  exactSegments: number;
}

/** Per-page labels from segments; boundaries are the first pages of every segment but the first. */
export function scoreBundle(gold: GoldSegment[], predicted: PredictedSegment[], pageLabels: string[]): BundleScore {
  const goldLabels: string[] = [];
  for (const segment of gold) for (let page = segment.first_page; page <= segment.last_page; page++) goldLabels[page] = segment.class;
  let correctPages = 0;
  goldLabels.forEach((label, page) => {
    if (pageLabels[page] === label) correctPages++;
  });
  const goldStarts = new Set(gold.slice(1).map((segment) => segment.first_page));
  const predictedStarts = new Set(predicted.slice(1).map((segment) => segment.first_page));
  let matched = 0;
  for (const start of predictedStarts) if (goldStarts.has(start)) matched++;
  const exact = gold.filter((segment) =>
    predicted.some((p) => p.first_page === segment.first_page && p.last_page === segment.last_page && p.class === segment.class),
  ).length;
  return {
    pages: goldLabels.filter((label) => label !== undefined).length,
    correctPages,
    goldBoundaries: goldStarts.size,
    predictedBoundaries: predictedStarts.size,
    matchedBoundaries: matched,
    goldSegments: gold.length,
    exactSegments: exact,
  };
}

export interface BundleMetrics {
  page_accuracy: number;
  boundary_f1: number;
  segment_exact: number;
}

export function measureBundles(scores: BundleScore[]): BundleMetrics {
  const sum = (pick: (score: BundleScore) => number) => scores.reduce((total, score) => total + pick(score), 0);
  const precision = ratio(
    sum((s) => s.matchedBoundaries),
    sum((s) => s.predictedBoundaries),
  );
  const recall = ratio(
    sum((s) => s.matchedBoundaries),
    sum((s) => s.goldBoundaries),
  );
  return {
    page_accuracy: round(
      ratio(
        sum((s) => s.correctPages),
        sum((s) => s.pages),
      ),
    ),
    boundary_f1: round(ratio(2 * precision * recall, precision + recall)),
    segment_exact: round(
      ratio(
        sum((s) => s.exactSegments),
        sum((s) => s.goldSegments),
      ),
    ),
  };
}
