/** A classifier definition (one immutable version of it) and the results of classifying with it. */

export const CLASSIFY_MODES = ['document', 'page', 'split'] as const;
export type ClassifyMode = (typeof CLASSIFY_MODES)[number];

/** The label given when no class is supported well enough. */
export const UNKNOWN = 'unknown';

export interface ClassDefinition {
  name: string;
  description?: string;
  keywords?: string[];
  /** Where `file.routed` goes when a file lands in this class: a webhook URL or a named destination. */
  route?: string;
}

export interface ClassifierSettings {
  /** 1-based page ranges to read, e.g. "1-3". */
  page_range?: string;
  max_pages?: number;
  /** Minimum confidence for a label; below it the answer is `unknown`. 0..1. */
  threshold?: number;
  mode?: ClassifyMode;
  /** `builtin` (default), `llm` or `cascade` (see `ENGINE_NAMES`). */
  engine?: string;
  /** Model for the `llm` and `cascade` engines; LLM_MODEL when left out; a run's `query_model` overrides it. */
  model?: string;
  /** Runs whose confidence is below this go to the review queue (`review_status: needs_review`). 0..1. */
  review_below?: number;
  /** Cascade: documents (document mode) or pages (page and split modes) the builtin engine is less sure of than this go to the LLM. 0..1. */
  cascade_below?: number;
}

/** The engines a classifier can name: the offline builtin one, and two that need a model server. */
export const ENGINE_NAMES = ['builtin', 'llm', 'cascade'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];
/** Engines that send pages to an OpenAI-compatible model server (LLM_BASE_URL). */
export const LLM_ENGINE_NAMES: readonly string[] = ['llm', 'cascade'];
/** The cascade's `cascade_below` when a classifier does not set it. */
export const DEFAULT_CASCADE_BELOW = 0.6;

export interface ClassifierDefinition {
  name?: string;
  description?: string;
  classes: ClassDefinition[];
  settings?: ClassifierSettings;
}

/** One labelled example document, already extracted, that the learned layer trains on. */
export interface TrainingExample {
  class: string;
  /** Text of each page, in order. */
  pages: string[];
  /** Where it came from, for reasons ("close to 3 reviewed invoices"). */
  source?: 'example' | 'review';
  /** What a person knows it by, for reasons that name it: its file name. */
  name?: string;
  /** The run whose review made it, for reasons ("the reviewed example 'acme.pdf' (run clr_…)"). */
  runId?: string;
  /**
   * Layout signature of its pages (`signDocument`), when the example was extracted with line
   * boxes; examples kept as text alone are compared by their words only.
   */
  layout?: number[];
}

export interface PageResult {
  page: number;
  class: string;
  confidence: number;
  reason: string;
  suggested_class: string | null;
  confidence_scores?: Record<string, number>;
  /** Which engine's reading decided the page: `builtin` or `llm` (the cascade mixes them). */
  engine?: 'builtin' | 'llm';
}

export interface Segment {
  class: string;
  first_page: number;
  last_page: number;
  confidence: number;
  /** Why these pages are one document and why it has this class. */
  reason: string;
}

export interface DocumentLabel {
  class: string;
  confidence: number;
  reason: string;
  suggested_class: string | null;
}

export interface ClassificationOutput {
  classification: DocumentLabel;
  /** Every class plus `unknown`, summing to 1. */
  confidence_scores: Record<string, number>;
  pages: PageResult[];
  segments: Segment[];
  mode: ClassifyMode;
  engine: string;
  /** Present when a model server was asked: which model, how confidences were read, and the tokens spent. */
  llm?: LlmUsage;
}

/** Where the LLM engine's confidences came from, before calibration. */
export type LlmConfidenceSource = 'logprobs' | 'stated' | 'mixed';

export interface LlmUsage {
  model: string;
  /** `logprobs`: token log-probabilities the server returned; `stated`: the model's own confidence; `mixed`: some of each. */
  confidence_source: LlmConfidenceSource;
  /** Always true: the raw confidences are calibrated (`classify/llm/calibrate-llm.ts`) before they are reported. */
  calibrated: boolean;
  /** Chat-completion calls made, corrective retries included. */
  calls: number;
  /** Pages the model read (in the cascade, only those the builtin engine was unsure of). */
  pages: number[];
  input_tokens: number;
  output_tokens: number;
}
