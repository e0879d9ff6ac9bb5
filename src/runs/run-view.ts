/**
 * The public shape of a classify run, shared by the API and by anything that sends runs out
 * (webhooks), so a run looks the same wherever a client meets it.
 */
import type { ClassifyRun } from '../core/api-types.js';
import type { ClassificationOutput, ClassifierDefinition, PageResult, Segment } from '../core/classifier.js';
import type { RunRow } from '../store/schema.js';
import { fromJsonColumn } from '../store/json-column.js';

/** A run as the API and webhooks show it: the API's `ClassifyRun` schema is its one description. */
export type RunView = ClassifyRun;

export function toRfc3339(ms: number): string {
  return new Date(ms).toISOString();
}

function spanOf(segment: Pick<Segment, 'first_page' | 'last_page'>): string {
  return segment.first_page === segment.last_page ? `Page ${segment.first_page}` : `Pages ${segment.first_page}–${segment.last_page}`;
}

/** A stored output as clients get it: outputs kept from before segments had reasons get one. */
export function readOutput(column: string | null): ClassificationOutput | null {
  const output = fromJsonColumn<ClassificationOutput>(column);
  if (!output) return output;
  if (output.segments.every((segment) => typeof segment.reason === 'string')) return output;
  return {
    ...output,
    segments: output.segments.map((segment) =>
      typeof segment.reason === 'string'
        ? segment
        : { ...segment, reason: `${spanOf(segment)} labelled '${segment.class}'; no reason was recorded.` },
    ),
  };
}

export function finalOutput(run: RunRow): ClassificationOutput | null {
  if (run.status !== 'PROCESSED') return null;
  return readOutput(run.reviewed_output ?? run.initial_output);
}

/**
 * Leaves out runs that a later run redoes (`redo_of`): each redo chain is shown by its newest
 * run, in the place of its first one (a batch keeps its files in the order they were sent).
 */
export function dropSupersededRuns<T extends { id: string; redo_of: string | null }>(runs: T[]): T[] {
  const byId = new Map(runs.map((run) => [run.id, run]));
  const position = new Map(runs.map((run, index) => [run.id, index]));
  const redone = new Set(runs.map((run) => run.redo_of).filter((id): id is string => id !== null));
  const chainStart = (run: T): number => {
    let first = run;
    for (let seen = 0; first.redo_of && byId.has(first.redo_of) && seen < runs.length; seen++) first = byId.get(first.redo_of)!;
    return position.get(first.id)!;
  };
  return runs
    .filter((run) => !redone.has(run.id))
    .map((run) => ({ run, start: chainStart(run) }))
    .sort((a, b) => a.start - b.start)
    .map((item) => item.run);
}

export interface RunViewOptions {
  /**
   * `classifier`: include the definition the run used (`config`) for a run of a saved
   * classifier too. Without it such a run names its classifier and version only, so a poll or a
   * list does not carry the whole definition again and again.
   */
  expand?: readonly 'classifier'[];
}

export function toRunView(run: RunRow, options: RunViewOptions = {}): RunView {
  const processed = run.status === 'PROCESSED';
  const withConfig = run.classifier_id === null || run.classifier_version === null || options.expand?.includes('classifier');
  return {
    object: 'classify_run',
    id: run.id,
    status: run.status,
    file_id: run.file_id,
    classifier:
      run.classifier_id !== null && run.classifier_version !== null ? { id: run.classifier_id, version: run.classifier_version } : null,
    version: run.classifier_version,
    ...(withConfig ? { config: fromJsonColumn<ClassifierDefinition>(run.config) } : {}),
    page_range: run.page_range,
    query_model: run.query_model,
    output: finalOutput(run),
    initial_output: processed ? readOutput(run.initial_output) : null,
    reviewed_output: readOutput(run.reviewed_output),
    reviewed: run.reviewed === 1,
    review_status: run.review_status,
    file_name: run.file_name,
    reviewed_from: run.reviewed_from,
    failure_reason: run.failure_reason,
    failure_code: run.failure_code,
    failure_message: run.failure_message,
    metadata: fromJsonColumn<Record<string, unknown>>(run.metadata),
    usage:
      processed && run.num_pages !== null
        ? {
            pages: run.num_pages,
            credits: run.credits ?? 0,
            llm_tokens:
              run.llm_input_tokens === null && run.llm_output_tokens === null
                ? null
                : { input: run.llm_input_tokens ?? 0, output: run.llm_output_tokens ?? 0 },
          }
        : null,
    num_pages: run.num_pages,
    duration_ms: run.duration_ms,
    batch_id: run.batch_id,
    redo_of: run.redo_of,
    delete_file_after: run.delete_file_after === 1,
    created_at: toRfc3339(run.created_at),
    updated_at: toRfc3339(run.updated_at),
  };
}

export interface Review {
  class: string;
  /** Page labels to change, numbered like `output.pages[].page`. */
  pages?: Array<{ page: number; class: string }>;
  /** The file's documents as a person split it, in page order, covering every page (checked by `reviewRun`). */
  segments?: Array<{ first_page: number; last_page: number; class: string }>;
}

const REVIEW_REASON = 'Set by a reviewer.';

function segmentPages(pages: PageResult[]): Segment[] {
  const segments: Array<Segment & { reviewed: boolean }> = [];
  for (const page of pages) {
    const last = segments[segments.length - 1];
    const reviewed = page.reason === REVIEW_REASON;
    if (last && last.class === page.class && last.last_page === page.page - 1) {
      last.last_page = page.page;
      last.confidence = Math.min(last.confidence, page.confidence);
      last.reviewed &&= reviewed;
    } else {
      segments.push({ class: page.class, first_page: page.page, last_page: page.page, confidence: page.confidence, reason: '', reviewed });
    }
  }
  return segments.map(({ reviewed, ...segment }) => ({
    ...segment,
    reason: reviewed ? REVIEW_REASON : `${spanOf(segment)} labelled '${segment.class}' after a review: segments follow the page labels.`,
  }));
}

function segmentClassOf(segments: NonNullable<Review['segments']>, page: number): string | undefined {
  return segments.find((segment) => segment.first_page <= page && page <= segment.last_page)?.class;
}

/**
 * A reviewer's verdict as a full output. Without `pages` or `segments` every page takes the
 * document's class; with `pages` the listed pages change and the others keep the engine's labels
 * (or, with `segments`, take their segment's class where it differs). Without `segments`,
 * segments follow the page labels; with them, they are the reviewer's.
 */
export function buildReviewedOutput(initial: ClassificationOutput, review: Review): ClassificationOutput {
  const byPage = new Map((review.pages ?? []).map((item) => [item.page, item.class]));
  const edited = review.pages !== undefined || review.segments !== undefined;
  const pages = initial.pages.map((page): PageResult => {
    let label = edited ? byPage.get(page.page) : review.class;
    if (label === undefined && review.segments) {
      const segmentClass = segmentClassOf(review.segments, page.page);
      if (segmentClass !== page.class) label = segmentClass;
    }
    if (label === undefined) return page;
    return { page: page.page, class: label, confidence: 1, reason: REVIEW_REASON, suggested_class: null };
  });
  const confidence_scores: Record<string, number> = {};
  for (const name of Object.keys(initial.confidence_scores)) confidence_scores[name] = 0;
  confidence_scores[review.class] = 1;
  return {
    ...initial,
    classification: { class: review.class, confidence: 1, reason: REVIEW_REASON, suggested_class: null },
    confidence_scores,
    pages,
    segments: review.segments
      ? review.segments.map((segment) => ({ ...segment, confidence: 1, reason: REVIEW_REASON }))
      : segmentPages(pages),
  };
}
