/**
 * The review loop as users meet it: documents arrive one at a time; each wrong answer is reviewed
 * with the gold label before the next document arrives. A review with a class becomes a training
 * example the way `PATCH /v1/classify_runs/:id` makes one (`Classifier.describeExample`: the pages'
 * texts and layout signature, source `review`), and the learned layer is trained again, as the
 * product does when a classifier's examples change. A review as `unknown` ("fits no class") teaches
 * nothing, as in the product, which keeps no example for it.
 *
 * Pure over an injected engine, so the counting can be tested without the real one.
 */
import { UNKNOWN, type TrainingExample } from '../core/classifier.js';
import type { Page } from '../core/document.js';

export interface LoopDocument {
  file: string;
  /** A class of the classifier, or `unknown` when none fits. */
  gold: string;
  /** Null when the file could not be read: answered `unknown`, and not reviewable (its run failed). */
  pages: Page[] | null;
}

export interface ReviewLoopEngine<Model> {
  classify(pages: Page[], model: Model | null): string;
  train(examples: TrainingExample[]): Model | null;
  describeExample(pages: Page[]): { pages: string[]; layout: number[] | null };
}

export interface LoopStep {
  position: number;
  file: string;
  gold: string;
  zero_shot: string;
  predicted: string;
  /** Reviewed after a wrong answer; with a class it became an example. */
  reviewed: boolean;
  /** A wrong answer whose (gold, predicted) pair had been reviewed before. */
  repeated: boolean;
}

export interface LoopOutcome {
  documents: number;
  zero_shot_accuracy: number;
  online_accuracy: number;
  /** The later half of the order (from position ⌊n/2⌋), where earlier reviews have had time to teach. */
  online_second_half_accuracy: number;
  zero_shot_second_half_accuracy: number;
  repeated_mistakes: number;
  /** Wrong answers reviewed (unreadable files are not). */
  reviews: number;
  /** Reviews that became examples (those with a class). */
  examples: number;
  training_seconds: number;
  steps: LoopStep[];
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

function accuracyOf(steps: LoopStep[], answer: (step: LoopStep) => string): number {
  return steps.length === 0 ? 0 : round(steps.filter((step) => answer(step) === step.gold).length / steps.length);
}

/** Plays the documents in the given order through the engine, reviewing every wrong answer. */
export function replayReviews<Model>(documents: LoopDocument[], engine: ReviewLoopEngine<Model>): LoopOutcome {
  const examples: TrainingExample[] = [];
  const reviewedPairs = new Set<string>();
  const steps: LoopStep[] = [];
  let model: Model | null = null;
  let trainingSeconds = 0;
  let repeated = 0;
  let reviews = 0;
  documents.forEach((document, position) => {
    if (document.pages === null) {
      steps.push({
        position,
        file: document.file,
        gold: document.gold,
        zero_shot: UNKNOWN,
        predicted: UNKNOWN,
        reviewed: false,
        repeated: false,
      });
      return;
    }
    const zeroShot = engine.classify(document.pages, null);
    // Until the first example the learned layer is absent, so the online answer is the zero-shot one.
    const predicted = model === null ? zeroShot : engine.classify(document.pages, model);
    const step: LoopStep = {
      position,
      file: document.file,
      gold: document.gold,
      zero_shot: zeroShot,
      predicted,
      reviewed: false,
      repeated: false,
    };
    steps.push(step);
    if (predicted === document.gold) return;
    const pair = `${document.gold}\u0000${predicted}`;
    if (reviewedPairs.has(pair)) {
      step.repeated = true;
      repeated++;
    }
    reviewedPairs.add(pair);
    step.reviewed = true;
    reviews++;
    if (document.gold === UNKNOWN) return;
    const described = engine.describeExample(document.pages);
    examples.push({
      class: document.gold,
      pages: described.pages,
      source: 'review',
      ...(described.layout ? { layout: described.layout } : {}),
    });
    const started = performance.now();
    model = engine.train(examples);
    trainingSeconds += (performance.now() - started) / 1000;
  });
  const secondHalf = steps.slice(Math.floor(steps.length / 2));
  return {
    documents: steps.length,
    zero_shot_accuracy: accuracyOf(steps, (step) => step.zero_shot),
    online_accuracy: accuracyOf(steps, (step) => step.predicted),
    online_second_half_accuracy: accuracyOf(secondHalf, (step) => step.predicted),
    zero_shot_second_half_accuracy: accuracyOf(secondHalf, (step) => step.zero_shot),
    repeated_mistakes: repeated,
    reviews,
    examples: examples.length,
    training_seconds: Math.round(trainingSeconds * 1000) / 1000,
    steps,
  };
}
