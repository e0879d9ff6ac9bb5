/**
 * The classification stage: pages and a classifier version in, labels out. Engines score pages;
 * everything else — the learned layer, the document label, page labels, segments, `unknown`
 * and reasons — is derived here from page scores, the same way for every engine.
 */
import {
  UNKNOWN,
  type ClassificationOutput,
  type ClassifierDefinition,
  type ClassifyMode,
  type PageResult,
  type Segment,
} from '../core/classifier.js';
import type { Page } from '../core/document.js';
import type { TrainingExample } from '../core/classifier.js';
import type { ClassifyRequest } from '../core/ports.js';
import { aggregatePageScores } from './aggregate-pages.js';
import { blendLearnedScores } from './blend-learned.js';
import { isCatchAllClass } from './catch-all.js';
import type { Evidence, PageScores, ScoringEngine } from './engine.js';
import { AVAILABLE_ENGINES, engineNamed } from './engine-registry.js';
import { explainLabel } from './explain-label.js';
import { recalibrateReading } from './confidence-head.js';
import { signDocument } from './learned/layout-signature.js';
import { trainLearnedModel, type LearnedModel } from './learned/learned-model.js';
import { filterPagesInSelection } from '../core/page-range.js';
import { validateClassifierDefinition } from '../core/validate-classifier.js';
import { splitPageRuns } from './split-segments.js';

/** Below this probability the best class is not trusted and the answer is `unknown`. */
export const DEFAULT_THRESHOLD = 0.25;

/** The one validator of `core`, asked with the engines this installation has. */
export function validateClassifier(classifier: ClassifierDefinition): void {
  validateClassifierDefinition(classifier, AVAILABLE_ENGINES);
}

export interface ScoredPages {
  pages: Page[];
  scores: PageScores[];
  labels: string[];
}

/** Engine scores, blended with the learned layer when a model is given. */
export function scorePages(pages: Page[], classifier: ClassifierDefinition, model: LearnedModel | null = null): ScoredPages {
  validateClassifier(classifier);
  const selected = filterPagesInSelection(pages, { pageRange: classifier.settings?.page_range, maxPages: classifier.settings?.max_pages });
  const engine = engineNamed(classifier.settings?.engine);
  let scores = engine.scorePages(selected, { classifier });
  if (model) {
    const profiles = model.profiles.length > 0 ? selected.map((page) => profileText([page.text], classifier, engine)) : null;
    scores = blendLearnedScores(selected, scores, model, {
      profiles,
      asOneDocument: (classifier.settings?.mode ?? 'document') === 'document',
    });
  }
  const labels = [...classifier.classes.map((definition) => definition.name), UNKNOWN];
  return { pages: selected, scores, labels };
}

/**
 * The zero-shot distribution of plain page texts (no layout), so that examples, which are kept
 * as text, and the page being classified are seen the same way by the learned layer.
 */
function profileText(pageTexts: string[], classifier: ClassifierDefinition, engine: ScoringEngine): number[] {
  const pages: Page[] = pageTexts.slice(0, 3).map((text, index) => buildTextPage(index, text));
  const scores = engine.scorePages(pages, {
    classifier: { ...classifier, settings: { ...classifier.settings, page_range: undefined, max_pages: undefined } },
  });
  const labels = [...classifier.classes.map((definition) => definition.name), UNKNOWN];
  const pooled = aggregatePageScores(scores, labels);
  return labels.map((label) => pooled[label]);
}

function buildTextPage(index: number, text: string): Page {
  const lines = text.split('\n').filter((line) => line.trim().length > 0);
  return {
    page: index,
    source: 'text',
    text,
    lines: lines.map((line, i) => ({
      text: line,
      x0: 0,
      y0: i / Math.max(lines.length, 1),
      x1: 1,
      y1: (i + 1) / Math.max(lines.length, 1),
      size: 10,
    })),
    width: 612,
    height: 792,
    rotation: 0,
    ocr_confidence: null,
  };
}

/** Trains the learned layer for a classifier from labelled examples. */
export function trainClassifierModel(examples: TrainingExample[], classifier: ClassifierDefinition): LearnedModel | null {
  validateClassifier(classifier);
  const engine = engineNamed(classifier.settings?.engine);
  const labels = [...classifier.classes.map((definition) => definition.name), UNKNOWN];
  const knownToEngine = engine.knownClasses?.(classifier) ?? [];
  return trainLearnedModel(
    examples,
    classifier.classes.map((definition) => definition.name),
    {
      labels,
      of: (pages) => profileText(pages, classifier, engine),
      knownToEngine: new Set(classifier.classes.filter((_, index) => knownToEngine[index]).map((definition) => definition.name)),
    },
  );
}

interface Decision {
  label: string;
  confidence: number;
  suggested: string | null;
  best: string;
}

/**
 * Pages read as one document: the pooled distribution, the label decided from it, and the
 * confidence recalibrated to how often such a reading is right (`confidence-head.ts`); the
 * distribution is made to agree with that confidence, and the label does not change.
 */
function readDocument(
  pages: readonly Page[],
  scores: PageScores[],
  labels: string[],
  classifier: ClassifierDefinition,
): { probabilities: Record<string, number>; decision: Decision } {
  const pooled = aggregatePageScores(scores, labels);
  const decision = decideLabel(pooled, classifier);
  const recalibrated = recalibrate(pages, scores, pooled, decision);
  return { probabilities: recalibrated.probabilities, decision: { ...decision, confidence: recalibrated.confidence } };
}

/** A decision's confidence through the confidence head, for documents, segments and split-mode pages alike. */
function recalibrate(
  pages: readonly Page[],
  scores: PageScores[],
  probabilities: Record<string, number>,
  decision: Decision,
): { confidence: number; probabilities: Record<string, number> } {
  // The head was fitted on the builtin engine's readings; a model's are calibrated for the model.
  if (scores.length > 0 && scores.every((pageScores) => pageScores.modelRead)) return { confidence: decision.confidence, probabilities };
  return recalibrateReading(pages, scores, probabilities, { ...decision, rejected: decision.label !== decision.best });
}

/** Picks the label: the best class, `unknown` (or the catch-all class) when it is not supported enough. */
export function decideLabel(probabilities: Record<string, number>, classifier: ClassifierDefinition): Decision {
  const threshold = classifier.settings?.threshold ?? DEFAULT_THRESHOLD;
  const catchAll = classifier.classes.find((definition) => isCatchAllClass(definition.name))?.name ?? null;
  let best = UNKNOWN;
  let bestProbability = -1;
  for (const definition of classifier.classes) {
    if (definition.name === catchAll) continue;
    const probability = probabilities[definition.name] ?? 0;
    if (probability > bestProbability) {
      best = definition.name;
      bestProbability = probability;
    }
  }
  const rejected = probabilities[catchAll ?? UNKNOWN] ?? 0;
  if (bestProbability >= threshold && bestProbability >= rejected) {
    return { label: best, confidence: bestProbability, suggested: null, best };
  }
  const fallback = catchAll ?? UNKNOWN;
  // The confidence of a rejection is the probability that nothing fits.
  return { label: fallback, confidence: rejected, suggested: best === UNKNOWN ? null : best, best };
}

function mergeEvidence(scores: PageScores[], label: string): Evidence[] {
  const merged = new Map<string, Evidence>();
  for (const pageScores of scores) {
    for (const item of pageScores.evidence[label] ?? []) {
      const existing = merged.get(item.text);
      if (!existing || existing.weight < item.weight) merged.set(item.text, item);
    }
  }
  return [...merged.values()].sort((a, b) => b.weight - a.weight).slice(0, 8);
}

/**
 * The reason for a decision: the evidence of the label given, or for a rejection (`unknown`, or
 * the catch-all class winning) the evidence of the closest class, unless the catch-all class was
 * chosen because the document repeats one of its examples.
 */
function explainDecision(decision: Decision, scores: PageScores[], threshold: number): string {
  // An accepted label is the best class, so its own evidence is the closest class's too.
  const own = mergeEvidence(scores, decision.label);
  if (decision.suggested !== null && !own.some((item) => item.kind === 'repeat')) {
    return explainLabel(decision.label, decision.suggested, mergeEvidence(scores, decision.best), threshold);
  }
  return explainLabel(decision.label, null, own, threshold);
}

function roundScores(probabilities: Record<string, number>): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [label, value] of Object.entries(probabilities)) result[label] = Math.round(value * 10000) / 10000;
  return result;
}

function pageSpan(first: number, last: number): string {
  return first === last ? `page ${first}` : `pages ${first}–${last}`;
}

/**
 * Split mode: runs of pages become segments, each read as one document, and every page gets
 * the distribution it is labelled from: the segment's, mixed with the page's own as far as it
 * is uncertain that the page belongs to the segment (the boundary before a first page, the one
 * at an inner page). A page is sure of its label only where the segment is; a page whose own
 * reading outweighs a weakly attached segment keeps it. The mix is the page's
 * `confidence_scores`, and its reason says when the segment overrides the page's own reading.
 */
function splitIntoSegments(
  scored: ScoredPages,
  classifier: ClassifierDefinition,
  threshold: number,
): { segments: Segment[]; pages: PageResult[] } {
  const { scores, labels } = scored;
  const segments: Segment[] = [];
  const pages: PageResult[] = [];
  for (const run of splitPageRuns(scored.pages, scores)) {
    const runScores = scores.slice(run.first, run.last + 1);
    const { probabilities, decision } = readDocument(scored.pages.slice(run.first, run.last + 1), runScores, labels, classifier);
    const first = scores[run.first].page;
    const last = scores[run.last].page;
    const span = pageSpan(first, last);
    const evidence = explainDecision(decision, runScores, threshold);
    const opened = run.cues.length > 0 ? ` A new document starts at page ${first}: ${run.cues.slice(0, 3).join(', ')}.` : '';
    segments.push({
      class: decision.label,
      first_page: first,
      last_page: last,
      confidence: round(decision.confidence * Math.sqrt(run.boundaryConfidence * run.continuationConfidence)),
      reason: `${capitalize(span)} read as one document, '${decision.label}': ${evidence}${opened}`,
    });
    const reading = readSegmentForPages(runScores, probabilities, decision, classifier, labels);
    runScores.forEach((pageScores, offset) => {
      if (runScores.length === 1) {
        // The segment is the page: its distribution is the page's, read as a whole document.
        pages.push({
          page: pageScores.page,
          class: decision.label,
          confidence: round(decision.confidence),
          reason: evidence,
          suggested_class: decision.suggested,
          confidence_scores: roundScores(probabilities),
        });
        return;
      }
      const own = decideLabel(pageScores.probabilities, classifier);
      const ownReason = explainDecision(own, [pageScores], threshold);
      const start = run.starts[offset];
      const belongs = offset === 0 ? start : 1 - start;
      const mixed: Record<string, number> = {};
      for (const label of labels) mixed[label] = belongs * (reading[label] ?? 0) + (1 - belongs) * (pageScores.probabilities[label] ?? 0);
      const decided = decideLabel(mixed, classifier);
      // The page's confidence, like a document's, is recalibrated to how often such a reading is right.
      const page = scored.pages[run.first + offset];
      const recalibrated = recalibrate([page], [pageScores], mixed, decided);
      const combined = { ...decided, confidence: recalibrated.confidence };
      const part = `the ${span} document read as '${decision.label}'`;
      let reason: string;
      if (combined.label !== decision.label) reason = `${ownReason} This page's own reading outweighs ${part}.`;
      else if (combined.label !== own.label)
        reason = `Part of ${part}, which outweighs this page's own reading ('${own.label}' ${own.confidence.toFixed(2)}): ${ownReason}`;
      else reason = `${ownReason} Part of ${part}.`;
      pages.push({
        page: pageScores.page,
        class: combined.label,
        confidence: round(combined.confidence),
        reason,
        suggested_class: combined.suggested,
        confidence_scores: roundScores(recalibrated.probabilities),
      });
    });
  }
  return { segments, pages };
}

/**
 * The segment's reading as its pages get it: the document distribution where the pages agree,
 * falling towards the plain average of the pages' own distributions by the share of (readable)
 * pages whose own best class is another: a segment is only as sure as its pages agree.
 */
function readSegmentForPages(
  runScores: PageScores[],
  probabilities: Record<string, number>,
  decision: Decision,
  classifier: ClassifierDefinition,
  labels: string[],
): Record<string, number> {
  const weightOf = (scores: PageScores) => scores.informativeness + 1e-6;
  const total = runScores.reduce((sum, scores) => sum + weightOf(scores), 0);
  const disagreeing =
    runScores.reduce(
      (sum, scores) => sum + (decideLabel(scores.probabilities, classifier).best !== decision.best ? weightOf(scores) : 0),
      0,
    ) / total;
  if (disagreeing === 0) return probabilities;
  const reading: Record<string, number> = {};
  for (const label of labels) {
    const average = runScores.reduce((sum, scores) => sum + (scores.probabilities[label] ?? 0) * weightOf(scores), 0) / total;
    reading[label] = (1 - disagreeing) * (probabilities[label] ?? 0) + disagreeing * average;
  }
  return reading;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface DeriveOptions {
  mode: ClassifyMode;
  engine: string;
  /**
   * The document's distribution where the engine read the document as a whole (the llm engine in
   * document mode) rather than page by page: then it is the document's, not the pooled pages'.
   */
  documentProbabilities?: Record<string, number>;
}

/** Page scores → the full output: document label, page labels and segments. */
export function deriveOutput(scored: ScoredPages, classifier: ClassifierDefinition, options: DeriveOptions): ClassificationOutput {
  const threshold = classifier.settings?.threshold ?? DEFAULT_THRESHOLD;
  const { scores, labels } = scored;
  if (scores.length === 0) {
    const uniform: Record<string, number> = {};
    for (const label of labels) uniform[label] = label === UNKNOWN ? 1 : 0;
    return {
      classification: { class: UNKNOWN, confidence: 1, reason: 'No pages to classify in the selected range.', suggested_class: null },
      confidence_scores: uniform,
      pages: [],
      segments: [],
      mode: options.mode,
      engine: options.engine,
    };
  }
  // A document the engine read as a whole (the llm engine) has its own distribution, calibrated for it.
  const { probabilities: documentProbabilities, decision: documentDecision } = options.documentProbabilities
    ? { probabilities: options.documentProbabilities, decision: decideLabel(options.documentProbabilities, classifier) }
    : readDocument(scored.pages, scores, labels, classifier);

  let pageResults: PageResult[] = scores.map((pageScores) => {
    const decision = decideLabel(pageScores.probabilities, classifier);
    return {
      page: pageScores.page,
      class: decision.label,
      confidence: round(decision.confidence),
      reason: explainDecision(decision, [pageScores], threshold),
      suggested_class: decision.suggested,
      confidence_scores: roundScores(pageScores.probabilities),
    };
  });

  let segments: Segment[];
  if (options.mode === 'split') {
    const split = splitIntoSegments(scored, classifier, threshold);
    segments = split.segments;
    pageResults = split.pages;
  } else {
    segments = [
      {
        class: documentDecision.label,
        first_page: scores[0].page,
        last_page: scores[scores.length - 1].page,
        confidence: round(documentDecision.confidence),
        reason: explainDecision(documentDecision, scores, threshold),
      },
    ];
  }

  return {
    classification: {
      class: documentDecision.label,
      confidence: round(documentDecision.confidence),
      reason: explainDecision(documentDecision, scores, threshold),
      suggested_class: documentDecision.suggested,
    },
    confidence_scores: roundScores(documentProbabilities),
    pages: pageResults,
    segments,
    mode: options.mode,
    engine: options.engine,
  };
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

/**
 * One classification with the learned model given (null: zero-shot), or when `model` is left out,
 * one trained from `request.examples` for this call alone; keeping models between calls is the
 * job of a `LearnedModelCache`.
 */
export function classifyPagesSync(pages: Page[], request: ClassifyRequest, model?: LearnedModel | null): ClassificationOutput {
  const classifier = request.classifier;
  const learned =
    model !== undefined
      ? model
      : request.examples && request.examples.length > 0
        ? trainClassifierModel(request.examples, classifier)
        : null;
  const scored = scorePages(pages, classifier, learned);
  const engine = classifier.settings?.engine ?? 'builtin';
  return deriveOutput(scored, classifier, { mode: classifier.settings?.mode ?? 'document', engine });
}

/** What a labelled document is kept as for training (`Classifier.describeExample`). */
export function describeExample(pages: Page[]): { pages: string[]; layout: number[] | null } {
  return { pages: pages.map((page) => page.text), layout: signDocument(pages) };
}
