/**
 * The confidence a reading reports, recalibrated to how often such a reading is right:
 * q = σ(bias + Σ weight · feature) over `confidence-features.ts` (the engine's own confidence as
 * log-odds first, then what says the evidence is thin). A Platt-style head over the decision,
 * fitted as a logistic regression of "the label was right" on the corpus with source-grouped
 * cross-validation (`eval/fit-confidence.ts`); its weights are data (`confidence-weights.json`),
 * checked at load. The label itself does not change; the other classes keep their proportions.
 */
import type { Page } from '../core/document.js';
import { CONFIDENCE_FEATURES, measureConfidenceFeatures, type ConfidenceFeature, type ConfidenceFeatures } from './confidence-features.js';
import type { PageScores } from './engine.js';
import confidenceWeights from './confidence-weights.json' with { type: 'json' };

export interface ConfidenceWeights {
  bias: number;
  weights: Record<ConfidenceFeature, number>;
}

function checkWeights(raw: unknown): ConfidenceWeights {
  const candidate = raw as Partial<ConfidenceWeights>;
  if (typeof candidate?.bias !== 'number' || typeof candidate.weights !== 'object' || candidate.weights === null) {
    throw new Error('confidence-weights.json: expected { "bias": number, "weights": { feature: number } }');
  }
  for (const feature of CONFIDENCE_FEATURES) {
    if (typeof (candidate.weights as Record<string, unknown>)[feature] !== 'number')
      throw new Error(`confidence-weights.json: no weight for the feature '${feature}'`);
  }
  return candidate as ConfidenceWeights;
}

export const CONFIDENCE_WEIGHTS: ConfidenceWeights = checkWeights(confidenceWeights);

/** The identity head: the engine's confidence as it is (weight 1 on its log-odds, nothing else). */
export const IDENTITY_HEAD: ConfidenceWeights = {
  bias: 0,
  weights: Object.fromEntries(CONFIDENCE_FEATURES.map((name) => [name, name === 'confidenceLogit' ? 1 : 0])) as Record<
    ConfidenceFeature,
    number
  >,
};

export function headConfidence(features: ConfidenceFeatures, weights: ConfidenceWeights = CONFIDENCE_WEIGHTS): number {
  let z = weights.bias;
  for (const feature of CONFIDENCE_FEATURES) z += weights.weights[feature] * features[feature];
  return 1 / (1 + Math.exp(-z));
}

/**
 * The distribution with `label` at `confidence`. Where the label is the most probable class the
 * distribution is tempered (each probability to one power, renormalised, found by bisection), so
 * every class keeps its rank and the label stays on top; otherwise (a rejection below the
 * threshold) the other labels are scaled by one factor. Either way the sum stays 1.
 */
export function withLabelConfidence(probabilities: Record<string, number>, label: string, confidence: number): Record<string, number> {
  const entries = Object.entries(probabilities);
  const before = probabilities[label] ?? 0;
  const isTop = entries.every(([name, p]) => name === label || p < before);
  if (isTop && before > 0 && before < 1) {
    const temper = (power: number) => {
      let total = 0;
      for (const [, p] of entries) total += p > 0 ? p ** power : 0;
      return entries.map(([name, p]) => [name, p > 0 ? p ** power / total : 0] as const);
    };
    const shareAt = (power: number) => before ** power / entries.reduce((sum, [, p]) => sum + (p > 0 ? p ** power : 0), 0);
    let low = 1e-3;
    let high = 50;
    if (shareAt(low) <= confidence && shareAt(high) >= confidence) {
      for (let step = 0; step < 60; step++) {
        const middle = Math.sqrt(low * high);
        if (shareAt(middle) < confidence) low = middle;
        else high = middle;
      }
      return Object.fromEntries(temper(Math.sqrt(low * high)));
    }
  }
  const rest = 1 - before;
  const result: Record<string, number> = {};
  for (const [name, p] of entries) {
    if (name === label) result[name] = confidence;
    else result[name] = rest > 0 ? (p * (1 - confidence)) / rest : 0;
  }
  return result;
}

export interface RecalibratedReading {
  confidence: number;
  probabilities: Record<string, number>;
}

/** A decision over some pages, its confidence recalibrated and its distribution made to agree. */
export function recalibrateReading(
  pages: readonly Page[],
  scores: readonly PageScores[],
  probabilities: Record<string, number>,
  decision: { label: string; confidence: number; rejected: boolean },
  weights: ConfidenceWeights = CONFIDENCE_WEIGHTS,
): RecalibratedReading {
  const confidence = headConfidence(measureConfidenceFeatures(pages, scores, decision), weights);
  return { confidence, probabilities: withLabelConfidence(probabilities, decision.label, confidence) };
}
