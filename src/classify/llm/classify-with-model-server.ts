/**
 * The `llm` and `cascade` engines: page scores from a model server, turned into the same output
 * as the builtin engine's by the same derivation (`deriveOutput`): document label, page labels,
 * segments, `unknown` with a suggestion, reasons.
 *
 * - `llm`: document mode asks once for the whole document; page and split modes ask once per
 *   page, with the pages before and after as context; split mode also asks whether the page
 *   starts a new document, which becomes the page's opening cue for the segment logic.
 * - `cascade`: the builtin engine first (with the learned layer); only a document (document
 *   mode) or the pages (page and split modes) it is less sure of than `cascade_below` go to the
 *   model, and each page says which engine decided it.
 *
 * The model server is reached through the `ChatModel` port; this module sends nothing itself.
 */
import {
  DEFAULT_CASCADE_BELOW,
  ENGINE_NAMES,
  UNKNOWN,
  type ClassificationOutput,
  type ClassifierDefinition,
  type LlmConfidenceSource,
} from '../../core/classifier.js';
import type { Page } from '../../core/document.js';
import { filterPagesInSelection } from '../../core/page-range.js';
import type { ChatModel } from '../../core/ports.js';
import { validateClassifierDefinition } from '../../core/validate-classifier.js';
import { aggregatePageScores } from '../aggregate-pages.js';
import { decideLabel, deriveOutput } from '../classify-pages.js';
import type { Evidence, PageScores } from '../engine.js';
import { askModel, type ModelReading } from './ask-model.js';
import type { Question } from './llm-prompt.js';

/** Page images sent with a whole-document question: the first pages say what a document is. */
const DOCUMENT_IMAGES = 3;

export interface ModelServerContext {
  chat: ChatModel;
  /** The builtin engine's scores of the selected pages (learned layer blended in): the cascade's first stage. */
  scoreBuiltin(pages: Page[], classifier: ClassifierDefinition): Promise<PageScores[]>;
  /** A page as PNG, for LLM_VISION. */
  pageImage?: (page: number) => Promise<Buffer>;
}

/**
 * How sure the builtin engine is that the page (or document) is of one of the classes: the
 * confidence of its label, or for `unknown` (and the catch-all class) that of the closest class.
 * A builtin `unknown` is where the model helps most: it knows kinds of documents the knowledge
 * pack does not.
 */
export function sureness(probabilities: Record<string, number>, classifier: ClassifierDefinition): number {
  const decision = decideLabel(probabilities, classifier);
  return decision.suggested === null && decision.label !== UNKNOWN ? decision.confidence : (probabilities[decision.best] ?? 0);
}

export function usesModelServer(classifier: ClassifierDefinition): boolean {
  const engine = classifier.settings?.engine;
  return engine === 'llm' || engine === 'cascade';
}

/** What the model's readings add up to for a run. */
class ReadingTally {
  calls = 0;
  inputTokens = 0;
  outputTokens = 0;
  readonly pages = new Set<number>();
  private readonly sources = new Set<string>();

  add(reading: ModelReading, pages: number[]): void {
    this.calls += reading.calls;
    this.inputTokens += reading.inputTokens;
    this.outputTokens += reading.outputTokens;
    for (const page of pages) this.pages.add(page);
    this.sources.add(reading.source);
  }

  source(): LlmConfidenceSource {
    return this.sources.size > 1 ? 'mixed' : this.sources.has('logprobs') ? 'logprobs' : 'stated';
  }
}

function modelEvidence(model: string, reading: ModelReading, labels: string[], what: string): Record<string, Evidence[]> {
  const text = `the model '${model}' read ${what} as '${reading.class}'${reading.reason ? `: ${reading.reason.replace(/[.\s]+$/, '')}` : ''}`;
  // The same reason stands behind every label: for a rejection it explains why nothing fitted.
  const evidence: Record<string, Evidence[]> = {};
  for (const label of labels) evidence[label] = [{ kind: 'model', text, weight: 1 }];
  return evidence;
}

function informativenessOf(page: Page): number {
  return page.text.trim().length === 0 ? 0 : 1;
}

async function imagesOf(context: ModelServerContext, pages: Page[]): Promise<Buffer[]> {
  if (!context.chat.vision || !context.pageImage) return [];
  const render = context.pageImage;
  return Promise.all(pages.map((page) => render(page.page)));
}

export async function classifyWithModelServer(
  pages: Page[],
  classifier: ClassifierDefinition,
  context: ModelServerContext,
): Promise<ClassificationOutput> {
  validateClassifierDefinition(classifier, ENGINE_NAMES);
  const settings = classifier.settings ?? {};
  const engine = settings.engine === 'cascade' ? 'cascade' : 'llm';
  const mode = settings.mode ?? 'document';
  const model = settings.model ?? context.chat.defaultModel;
  const selected = filterPagesInSelection(pages, { pageRange: settings.page_range, maxPages: settings.max_pages });
  const labels = [...classifier.classes.map((definition) => definition.name), UNKNOWN];
  const tally = new ReadingTally();

  let builtin: PageScores[] | null = null;
  let askedPages: number[];
  if (engine === 'cascade') {
    builtin = await context.scoreBuiltin(pages, { ...classifier, settings: { ...settings, engine: 'builtin' } });
    const below = settings.cascade_below ?? DEFAULT_CASCADE_BELOW;
    const unsure = (probabilities: Record<string, number>) => sureness(probabilities, classifier) < below;
    if (mode === 'document') {
      askedPages = builtin.length > 0 && unsure(aggregatePageScores(builtin, labels)) ? selected.map((_, index) => index) : [];
    } else {
      // A page with nothing on it is left to the builtin engine, unless the model sees the image.
      const readable = (page: Page) => page.text.trim().length > 0 || context.chat.vision;
      askedPages = selected.flatMap((page, index) => (unsure(builtin![index].probabilities) && readable(page) ? [index] : []));
    }
  } else askedPages = selected.map((_, index) => index);

  const scores: PageScores[] = builtin ? [...builtin] : [];
  let documentProbabilities: Record<string, number> | undefined;
  const llmPages = new Set(askedPages);

  if (askedPages.length > 0 && mode === 'document') {
    const question: Question = { kind: 'document', pageTexts: selected.map((page) => page.text) };
    const reading = await askModel(context.chat, model, classifier, question, await imagesOf(context, selected.slice(0, DOCUMENT_IMAGES)));
    tally.add(
      reading,
      selected.map((page) => page.page),
    );
    documentProbabilities = reading.probabilities;
    const evidence = modelEvidence(model, reading, labels, 'the document');
    selected.forEach((page, index) => {
      scores[index] = {
        page: page.page,
        probabilities: reading.probabilities,
        evidence,
        opening: index === 0 ? 1 : 0,
        informativeness: informativenessOf(page),
        source: page.source,
        modelRead: true,
      };
    });
  } else if (askedPages.length > 0) {
    const readings = await Promise.all(
      askedPages.map(async (index) => {
        const page = selected[index];
        const question: Question = {
          kind: 'page',
          text: page.text,
          previous: index > 0 ? selected[index - 1].text : null,
          next: index + 1 < selected.length ? selected[index + 1].text : null,
          pageNumber: index + 1,
          pageCount: selected.length,
          boundary: mode === 'split',
        };
        return { index, reading: await askModel(context.chat, model, classifier, question, await imagesOf(context, [page])) };
      }),
    );
    for (const { index, reading } of readings) {
      const page = selected[index];
      tally.add(reading, [page.page]);
      scores[index] = {
        page: page.page,
        probabilities: reading.probabilities,
        evidence: modelEvidence(model, reading, labels, 'the page'),
        opening: reading.startsNewDocument ?? builtin?.[index].opening ?? (index === 0 ? 1 : 0),
        ...(reading.startsNewDocument !== null ? { startsDocument: reading.startsNewDocument } : {}),
        informativeness: builtin?.[index].informativeness ?? informativenessOf(page),
        source: page.source,
        modelRead: true,
      };
    }
  }

  const output = deriveOutput({ pages: selected, scores, labels }, classifier, { mode, engine, documentProbabilities });
  const decided = (page: number) =>
    (llmPages.has(selected.findIndex((item) => item.page === page)) ? 'llm' : 'builtin') as 'llm' | 'builtin';
  output.pages = output.pages.map((page) => ({ ...page, engine: decided(page.page) }));
  if (tally.calls > 0) {
    output.llm = {
      model,
      confidence_source: tally.source(),
      calibrated: true,
      calls: tally.calls,
      pages: [...tally.pages].sort((a, b) => a - b),
      input_tokens: tally.inputTokens,
      output_tokens: tally.outputTokens,
    };
  }
  return output;
}
