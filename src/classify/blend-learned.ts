/**
 * Blends the learned layer into zero-shot page scores. In log space: the learned distribution's
 * weight grows with the examples per class (1 example: 0.2, 5: 0.56, 20: 0.83), so a classifier
 * with no examples is pure zero-shot and one with many leans on what it was shown.
 */
import { UNKNOWN } from '../core/classifier.js';
import type { Page } from '../core/document.js';
import { softmax } from './calibrate.js';
import type { PageScores } from './engine.js';
import { scoreWithLearnedModel, type LearnedModel } from './learned/learned-model.js';

/** Sharpness of the learned softmax over cosine similarities. */
const LEARNED_BETA = 14;
/** Below this similarity to every centroid, the learned layer votes `unknown`. */
const LEARNED_UNKNOWN_SIMILARITY = 0.08;
const HALF_WEIGHT_EXAMPLES = 4;

export function learnedWeight(model: LearnedModel): number {
  const counts = Object.values(model.counts);
  if (counts.length === 0) return 0;
  const mean = counts.reduce((sum, count) => sum + count, 0) / counts.length;
  return Math.min(0.85, mean / (mean + HALF_WEIGHT_EXAMPLES));
}

function plural(name: string, count: number): string {
  const readable = name.replace(/_/g, ' ');
  return count === 1 ? readable : readable.endsWith('s') ? readable : `${readable}s`;
}

export function blendLearnedScores(pages: Page[], scores: PageScores[], model: LearnedModel): PageScores[] {
  const weight = learnedWeight(model);
  if (weight === 0) return scores;
  return scores.map((pageScores, index) => {
    const learned = scoreWithLearnedModel(model, pages[index]?.text ?? '');
    const labels = Object.keys(pageScores.probabilities);
    const taught = labels.filter((label) => learned.similarity[label] !== undefined);
    if (taught.length === 0) return pageScores;
    const logits = taught.map((label) => learned.similarity[label]);
    logits.push(LEARNED_UNKNOWN_SIMILARITY);
    const learnedProbabilities = softmax(logits, LEARNED_BETA);
    // The learned layer only knows the taught classes: share the zero-shot mass they hold.
    const taughtMass = taught.reduce((sum, label) => sum + pageScores.probabilities[label], 0) + (pageScores.probabilities[UNKNOWN] ?? 0);
    const blended: Record<string, number> = {};
    let total = 0;
    for (const label of labels) {
      const prior = Math.max(pageScores.probabilities[label], 1e-6);
      const position = label === UNKNOWN ? taught.length : taught.indexOf(label);
      let value = prior;
      if (position >= 0 && (label !== UNKNOWN || pageScores.probabilities[UNKNOWN] !== undefined)) {
        const learnedValue = Math.max(learnedProbabilities[position] * taughtMass, 1e-6);
        value = Math.exp((1 - weight) * Math.log(prior) + weight * Math.log(learnedValue));
      }
      if (pageScores.probabilities[label] === 0) value = 0;
      blended[label] = value;
      total += value;
    }
    for (const label of labels) blended[label] /= total;
    const evidence = { ...pageScores.evidence };
    for (const [label, neighbours] of Object.entries(learned.neighbours)) {
      if (!evidence[label]) continue;
      const kind = neighbours.reviewed === neighbours.count ? 'reviewed ' : '';
      evidence[label] = [
        ...evidence[label],
        { kind: 'example', text: `close to ${neighbours.count} ${kind}${plural(label, neighbours.count)}`, weight: neighbours.count },
      ];
    }
    return { ...pageScores, probabilities: blended, evidence };
  });
}
