/**
 * Blends the learned layer into zero-shot page scores, in log space. The learned distribution
 * comes from word and character-gram similarity to the examples and from how close the page's
 * zero-shot distribution is to the examples' (which corrects the engine's systematic mistakes).
 * Its weight grows with the examples per class (1: 0.2, 5: 0.56, 20: 0.83, before reliability)
 * and with how much better than zero-shot it did on its own examples, left out one at a time,
 * and on each page with how closely the page resembles its nearest example: word similarity
 * gates the profile-affinity correction too, so on scans that share few words with any example
 * zero-shot keeps its say (measured: the correction alone cost more than it fixed there).
 * Classes the engine cannot read at all are decided by their examples (`claimByExamples`).
 */
import { UNKNOWN } from '../core/classifier.js';
import type { Page } from '../core/document.js';
import { softmax } from './calibrate.js';
import type { PageScores } from './engine.js';
import { explainResemblance, identifyExample } from './explain-label.js';
import { signPage } from './learned/layout-signature.js';
import {
  findRepeatedExamples,
  measureProfileAffinity,
  scoreWithLearnedModel,
  type LearnedModel,
  type RepeatedExample,
} from './learned/learned-model.js';

export const LEARNED_BLEND = {
  /** Sharpness of the learned softmax over similarities. */
  beta: 25,
  /** Examples per class at which the learned layer gets half the say. */
  halfWeightExamples: 4,
  /** Share of the nearest example in a class's similarity (the rest is the centroid). */
  nearestShare: 0.5,
  /** Text similarity to the nearest example above which a page is taken to resemble it. */
  resemblance: 0.25,
  /** How much the learned weight grows on pages zero-shot is unsure about (0: not at all). */
  uncertaintyBoost: 1,
  /** Weight of the affinity between zero-shot distributions (page vs. examples). */
  profileWeight: 0.6,
  /** How much the model's leave-one-out reliability scales its say (0: not at all, 1: fully). */
  reliabilityInfluence: 1,
  /**
   * Text similarity to the nearest example at which the learned layer gets its full say; below
   * it the say shrinks in proportion, to nothing on a page that resembles no example.
   */
  fullResemblance: 0.3,
  /** Readability (mean zero-shot probability of the examples' own classes) from which zero-shot is trusted as usual. */
  readableAt: 0.5,
  /**
   * A page is claimed fully once its lead (see `claimByExamples`) is as large as the class's
   * examples stand out among themselves, and at least this many times the chance level (for
   * classes whose examples are only loosely alike).
   */
  minimumStandOut: 1,
  /**
   * Share of word triples in common with an example (estimated Jaccard, symmetric) above which a
   * page counts as repeating it (the same document again), and at which the repeat decides: a
   * correction sticks to the document it was made on, however few examples there are.
   */
  repeatFrom: 0.8,
  repeatAt: 0.95,
  /** The most of a page's probability a repeat moves to the repeated example's class. */
  repeatShare: 0.95,
};

export function learnedWeight(model: LearnedModel): number {
  const counts = Object.values(model.counts);
  if (counts.length === 0) return 0;
  const mean = counts.reduce((sum, count) => sum + count, 0) / counts.length;
  const reliability = 1 - LEARNED_BLEND.reliabilityInfluence * (1 - model.reliability);
  return Math.min(0.85, (mean / (mean + LEARNED_BLEND.halfWeightExamples)) * reliability);
}

/**
 * 0..1: how far the examples alone claim a page for a class the engine cannot read (it gave the
 * class's own examples little probability). What counts is the page's lead: its similarity to
 * the class's nearest example above both what documents of different classes share by chance
 * and its similarity to any other class's examples. The lead is measured against how alike the
 * class's own examples are (never less than `minimumStandOut` times the chance level) and scaled
 * by how well the examples told each other apart. A page no more like one class's examples than
 * like unrelated documents or another class's stays `unknown`.
 */
function claimByExamples(model: LearnedModel, label: string, nearest: number, rival: number): number {
  const unreadable = Math.min(1, Math.max(0, 1 - (model.readability?.[label] ?? 1) / LEARNED_BLEND.readableAt));
  const typical = model.resemblance?.typical[label];
  if (unreadable === 0 || typical === undefined) return 0;
  const unrelated = model.resemblance!.unrelated;
  const standsOut = Math.max(typical - unrelated, unrelated * LEARNED_BLEND.minimumStandOut);
  // What the page shares with this class's examples beyond chance and beyond its best rival class.
  const lead = nearest - Math.max(unrelated, rival);
  if (lead <= 0) return 0;
  return unreadable * model.reliability * Math.min(1, lead / Math.max(standsOut, 1e-6));
}

/**
 * A page that repeats an example (more than `repeatFrom` of its word triples in common) is that example's class,
 * whatever the other evidence says: the mass moves towards the repeated examples' classes, all of
 * it but `repeatShare`'s rest at `repeatAt`. Several repeated classes share by their similarity.
 */
function moveToRepeatedClasses(probabilities: Record<string, number>, repeated: Record<string, RepeatedExample>): void {
  const { repeatFrom, repeatAt, repeatShare } = LEARNED_BLEND;
  const strength: Record<string, number> = {};
  let strongest = 0;
  let total = 0;
  for (const [label, { similarity }] of Object.entries(repeated)) {
    if (probabilities[label] === undefined || similarity <= repeatFrom) continue;
    strength[label] = Math.min(1, (similarity - repeatFrom) / (repeatAt - repeatFrom));
    strongest = Math.max(strongest, strength[label]);
    total += strength[label];
  }
  if (strongest === 0) return;
  const moved = repeatShare * strongest;
  for (const label of Object.keys(probabilities)) {
    probabilities[label] = (1 - moved) * probabilities[label] + moved * ((strength[label] ?? 0) / total);
  }
}

function plural(name: string, count: number): string {
  const readable = name.replace(/_/g, ' ');
  return count === 1 ? readable : readable.endsWith('s') ? readable : `${readable}s`;
}

export interface BlendOptions {
  /** Zero-shot distributions of the pages' plain text, for the profile affinity. */
  profiles?: number[][] | null;
  /**
   * Whether the pages are one document (document mode): it may then repeat an example as a
   * whole. In page and split modes only a page itself can repeat a (one-page) example, so a
   * bundle's other documents are not taken for a reviewed one among them.
   */
  asOneDocument?: boolean;
}

export function blendLearnedScores(pages: Page[], scores: PageScores[], model: LearnedModel, options: BlendOptions = {}): PageScores[] {
  const weight = learnedWeight(model);
  if (weight === 0) return scores;
  const profiles = options.profiles ?? null;
  const documentRepeats =
    options.asOneDocument && pages.length > 1 ? findRepeatedExamples(model, pages.map((page) => page.text).join('\n')) : {};
  return scores.map((pageScores, index) => {
    const page = pages[index];
    const layoutWeight = model.layoutWeight ?? 0;
    const learned = scoreWithLearnedModel(model, page?.text ?? '', layoutWeight > 0 && page ? signPage(page) : null);
    const labels = Object.keys(pageScores.probabilities);
    const taught = labels.filter((label) => learned.similarity[label] !== undefined);
    if (taught.length === 0) return pageScores;
    const share = LEARNED_BLEND.nearestShare;
    const affinity = profiles && model.profiles.length > 0 ? measureProfileAffinity(model, profiles[index]) : null;
    const logits = taught.map(
      (label) =>
        (1 - share) * learned.similarity[label] +
        share * (learned.nearest[label] ?? 0) +
        (affinity ? LEARNED_BLEND.profileWeight * (affinity[label] ?? 0) : 0) +
        layoutWeight * ((1 - share) * (learned.layoutMean[label] ?? 0) + share * (learned.layoutNearest[label] ?? 0)),
    );
    const learnedProbabilities = softmax(logits, LEARNED_BLEND.beta);
    // The learned layer re-ranks the taught classes within the mass zero-shot gives them. It
    // takes mass from `unknown` for a page that closely resembles some example, and for a page
    // that stands out as one of a class the engine cannot read (`claimByExamples`); other pages
    // stay unknown.
    const closest = Math.max(0, ...Object.values(learned.nearest));
    const claims = taught.map((label) => {
      const rival = Math.max(0, ...taught.filter((other) => other !== label).map((other) => learned.nearest[other] ?? 0));
      return claimByExamples(model, label, learned.nearest[label] ?? 0, rival);
    });
    const release = Math.max(...claims, weight * Math.min(1, Math.max(0, (closest - LEARNED_BLEND.resemblance) / 0.3)));
    const unknownBefore = pageScores.probabilities[UNKNOWN] ?? 0;
    const taughtMass = taught.reduce((sum, label) => sum + pageScores.probabilities[label], 0) + unknownBefore * release;
    // Lean on the examples where zero-shot itself is unsure, less where it is sure, and only as
    // far as the page resembles some example: the learned softmax turns similarity differences
    // of a few hundredths, which are noise between unrelated scans, into confident votes.
    const zeroShotBest = Math.max(...taught.map((label) => pageScores.probabilities[label]));
    const resemblance = Math.min(1, closest / LEARNED_BLEND.fullResemblance);
    const pageWeight = Math.min(0.9, resemblance * weight * (1 + LEARNED_BLEND.uncertaintyBoost * (0.5 - zeroShotBest)));
    const blendedTaught = taught.map((label, position) => {
      const classWeight = Math.max(pageWeight, 0.9 * claims[position]);
      return Math.exp(
        (1 - classWeight) * Math.log(Math.max(pageScores.probabilities[label], 1e-9)) +
          classWeight * Math.log(Math.max(learnedProbabilities[position], 1e-9)),
      );
    });
    const blendedTotal = blendedTaught.reduce((sum, value) => sum + value, 0) || 1;
    const blended: Record<string, number> = { ...pageScores.probabilities };
    if (blended[UNKNOWN] !== undefined) blended[UNKNOWN] = unknownBefore * (1 - release);
    taught.forEach((label, position) => {
      blended[label] = pageScores.probabilities[label] === 0 ? 0 : (blendedTaught[position] / blendedTotal) * taughtMass;
    });
    const repeated = findRepeatedExamples(model, page?.text ?? '');
    for (const [label, found] of Object.entries(documentRepeats)) {
      if (found.similarity > (repeated[label]?.similarity ?? 0)) repeated[label] = found;
    }
    moveToRepeatedClasses(blended, repeated);
    const evidence = { ...pageScores.evidence };
    taught.forEach((label, position) => {
      const closestExample = learned.closest[label];
      const neighbours = learned.neighbours[label];
      // Named wherever the examples had a say in the class: similar examples, a claim, or a rise.
      const rose = blended[label] > 2 * pageScores.probabilities[label] && blended[label] > 0.05;
      if (!evidence[label] || !closestExample || (!neighbours && claims[position] === 0 && !rose)) return;
      const kind = neighbours && neighbours.reviewed === neighbours.count ? 'reviewed ' : '';
      const company = neighbours ? `; close to ${neighbours.count} ${kind}${plural(label, neighbours.count)}` : '';
      evidence[label] = [
        ...evidence[label],
        {
          kind: 'example',
          text: `${explainResemblance(closestExample)}${company}`,
          weight: neighbours?.count ?? closestExample.similarity,
        },
      ];
    });
    for (const [label, found] of Object.entries(repeated)) {
      if (!evidence[label] || found.similarity <= LEARNED_BLEND.repeatFrom) continue;
      const what = found.source === 'review' ? `a reviewed ${plural(label, 1)}` : `an example of '${label}'`;
      const text = `repeats ${what} (${identifyExample(found)}; ${Math.round(found.similarity * 100)}% of its wording)`;
      evidence[label] = [{ kind: 'repeat', text, weight: found.similarity * 100 }, ...evidence[label]];
    }
    return { ...pageScores, probabilities: blended, evidence };
  });
}
