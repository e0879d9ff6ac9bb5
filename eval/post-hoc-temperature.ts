/**
 * A post-hoc temperature on the engine's final probabilities: p_i^T, renormalised (T > 1 sharpens,
 * T < 1 flattens), fitted by minimising the negative log-likelihood of the gold answers over a
 * grid. Used to check the shipped calibration (T = 1) against one fitted on other sources; the
 * label is decided again from the tempered probabilities, as the engine decides it, because the
 * `unknown` threshold can turn with them.
 */
import type { ClassifierDefinition } from '../src/core/classifier.js';
import { measureCalibrationError } from '../src/classify/calibrate.js';
import { decideLabel } from '../src/classify/classify-pages.js';

export interface ScoredDocument {
  /** The engine's `confidence_scores`: every class plus `unknown`, summing to 1. */
  scores: Record<string, number>;
  /** A class of the classifier, or `unknown`. */
  gold: string;
}

/** 0.30, 0.35, … 3.00: wide enough for both an over- and an under-confident engine. */
export const TEMPERATURE_GRID = Array.from({ length: 55 }, (_, i) => Math.round((0.3 + i * 0.05) * 100) / 100);

/** Keeps log(0) finite for answers the engine rounded to probability 0. */
const FLOOR = 1e-9;

export function temperProbabilities(scores: Record<string, number>, temperature: number): Record<string, number> {
  const powered = Object.entries(scores).map(([label, p]) => [label, Math.max(p, 0) ** temperature] as const);
  const total = powered.reduce((sum, [, value]) => sum + value, 0);
  return Object.fromEntries(powered.map(([label, value]) => [label, total > 0 ? value / total : 0]));
}

export function measureLogLoss(documents: ScoredDocument[], temperature: number): number {
  let total = 0;
  for (const document of documents)
    total -= Math.log(Math.max(temperProbabilities(document.scores, temperature)[document.gold] ?? 0, FLOOR));
  return documents.length === 0 ? 0 : total / documents.length;
}

/** The grid temperature of least log-loss; among equals the one nearest 1 (the shipped mapping). */
export function fitPostHocTemperature(documents: ScoredDocument[], grid: number[] = TEMPERATURE_GRID): number {
  let best = 1;
  let bestLoss = Infinity;
  for (const temperature of grid) {
    const loss = measureLogLoss(documents, temperature);
    if (loss < bestLoss - 1e-12 || (Math.abs(loss - bestLoss) <= 1e-12 && Math.abs(temperature - 1) < Math.abs(best - 1))) {
      best = temperature;
      bestLoss = loss;
    }
  }
  return best;
}

export interface TemperedDecision {
  label: string;
  confidence: number;
  correct: boolean;
}

export function decideTempered(document: ScoredDocument, temperature: number, classifier: ClassifierDefinition): TemperedDecision {
  const decision = decideLabel(temperProbabilities(document.scores, temperature), classifier);
  return { label: decision.label, confidence: decision.confidence, correct: decision.label === document.gold };
}

export interface CalibrationScore {
  documents: number;
  accuracy: number;
  ece: number;
}

export function scoreDecisions(decisions: TemperedDecision[]): CalibrationScore {
  const correct = decisions.filter((decision) => decision.correct).length;
  return {
    documents: decisions.length,
    accuracy: decisions.length === 0 ? 0 : correct / decisions.length,
    ece: measureCalibrationError(decisions.map((decision) => ({ confidence: decision.confidence, correct: decision.correct }))),
  };
}
