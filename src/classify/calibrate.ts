/**
 * From evidence scores to probabilities that mean what they say. Scores are compressed with a
 * log (ten matching phrases are not ten times one), then a softmax with a fitted temperature
 * over the classes and `unknown`. `fitTemperature` and `measureCalibrationError` are the tools
 * the evaluation uses to choose and check those constants.
 */

/** Fitted on labelled pages (see eval/README.md); a general property of the score scale, not of any file. */
export const CALIBRATION = {
  /** Sharpness of the softmax over log-scores. */
  beta: 3.5,
  /** Evidence an unclaimed page carries for `unknown` before any type is seen. */
  unknownBase: 5,
  /** The same for OCR pages, whose evidence is thinner for every class alike. */
  ocrUnknownBase: 4,
  /** Share of the strongest unclaimed pack type's score that counts for `unknown`. */
  competitorShare: 0.55,
  /**
   * Share by which the softmax is flattened on an OCR page that OCR could barely read and whose
   * image shows no handwriting: what little was read is weak evidence for any class, so no class
   * is confident and a weak one falls below the threshold to `unknown` with a suggestion.
   * (Adding evidence for `unknown` instead made confident wrong unknowns: see eval/README.md.)
   */
  unreadableSoftening: 0.3,
  /**
   * Exponent on the pooled page distribution of a document or segment: several pages agreeing
   * is stronger evidence than one page, which a plain mean of page probabilities understates.
   */
  documentSharpness: 1.6,
  /** OCR text is noisier evidence than a text layer: documents read by OCR are sharpened less. */
  ocrDocumentSharpness: 1.5,
} as const;

export function compressScore(score: number): number {
  return Math.log1p(Math.max(0, score));
}

/** Softmax over logits; -Infinity entries get probability 0. */
export function softmax(logits: number[], beta = 1): number[] {
  let max = -Infinity;
  for (const logit of logits) if (logit > max) max = logit;
  if (max === -Infinity) return logits.map(() => 1 / logits.length);
  const exps = logits.map((logit) => (logit === -Infinity ? 0 : Math.exp(beta * (logit - max))));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}

export interface CalibrationSample {
  confidence: number;
  correct: boolean;
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

/** Equal-width reliability bins, the basis of the expected calibration error and its diagram. */
export function binReliability(samples: CalibrationSample[], bins = 10): ReliabilityBin[] {
  const result: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const lower = b / bins;
    const upper = (b + 1) / bins;
    const inBin = samples.filter(
      (sample) => (sample.confidence > lower || (b === 0 && sample.confidence >= 0)) && sample.confidence <= upper,
    );
    const count = inBin.length;
    result.push({
      lower,
      upper,
      count,
      meanConfidence: count ? inBin.reduce((sum, sample) => sum + sample.confidence, 0) / count : 0,
      accuracy: count ? inBin.filter((sample) => sample.correct).length / count : 0,
    });
  }
  return result;
}

/** Expected calibration error: the count-weighted gap between confidence and accuracy per bin. */
export function measureCalibrationError(samples: CalibrationSample[], bins = 10): number {
  if (samples.length === 0) return 0;
  let error = 0;
  for (const bin of binReliability(samples, bins)) {
    error += (bin.count / samples.length) * Math.abs(bin.meanConfidence - bin.accuracy);
  }
  return error;
}

/**
 * The softmax sharpness that minimises negative log-likelihood of the gold answers, by a coarse
 * grid then a fine one. `logits[i]` are one item's logits, `gold[i]` the index of its right answer.
 */
export function fitTemperature(logits: number[][], gold: number[], grid: number[] = [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 5, 6, 8]): number {
  const loss = (beta: number): number => {
    let total = 0;
    logits.forEach((row, i) => {
      const probabilities = softmax(row, beta);
      total -= Math.log(Math.max(probabilities[gold[i]], 1e-9));
    });
    return total;
  };
  let best = grid[0];
  let bestLoss = Infinity;
  for (const beta of grid) {
    const value = loss(beta);
    if (value < bestLoss) {
      bestLoss = value;
      best = beta;
    }
  }
  for (let beta = best * 0.8; beta <= best * 1.2; beta += best * 0.05) {
    const value = loss(beta);
    if (value < bestLoss) {
      bestLoss = value;
      best = beta;
    }
  }
  return best;
}
