/**
 * Which runs need a person. One rule for the run list filter, the queue counts, the
 * `classify_run.needs_review` event and the console: a failed run, an `unknown` answer, or an
 * answer (or, when split, any of its documents) less confident than `settings.review_below`.
 */
import { UNKNOWN, type ClassificationOutput, type ClassifierSettings } from './classifier.js';
import type { ReviewStatus, RunStatus } from './run.js';

export interface ReviewStatusInput {
  status: RunStatus;
  reviewed: boolean;
  /** The engine's output (the initial one); a review decides on its own. */
  output: ClassificationOutput | null;
  settings: ClassifierSettings | undefined;
}

/** null while the run is open, and for a cancelled run: there is nothing to review. */
export function decideReviewStatus(input: ReviewStatusInput): ReviewStatus | null {
  if (input.reviewed && (input.status === 'PROCESSED' || input.status === 'PENDING' || input.status === 'PROCESSING')) {
    return input.status === 'PROCESSED' ? 'reviewed' : null;
  }
  if (input.status === 'FAILED') return 'needs_review';
  if (input.status !== 'PROCESSED' || !input.output) return null;
  const { classification, segments, mode } = input.output;
  if (classification.class === UNKNOWN) return 'needs_review';
  const reviewBelow = input.settings?.review_below;
  if (reviewBelow === undefined || reviewBelow === null) return 'auto_accepted';
  const confidences = [classification.confidence, ...(mode === 'split' ? segments.map((segment) => segment.confidence) : [])];
  return Math.min(...confidences) < reviewBelow ? 'needs_review' : 'auto_accepted';
}
