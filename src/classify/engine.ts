/**
 * The one interface every classification engine implements: pages in, per-page probabilities
 * over the classifier's classes plus `unknown` out, with the evidence behind them. Document
 * labels, page labels and segments are derived from these scores the same way for every engine.
 */
import type { ClassifierDefinition, TrainingExample } from '../core/classifier.js';
import type { Page } from '../core/document.js';

/** `model`: what a model server said (the llm and cascade engines). */
export type EvidenceKind = 'title' | 'phrase' | 'layout' | 'example' | 'words' | 'repeat' | 'model';

export interface Evidence {
  kind: EvidenceKind;
  /** What was seen: a phrase, a cue name, or "3 reviewed invoices". */
  text: string;
  weight: number;
}

export interface PageScores {
  page: number;
  /** Every class name plus `unknown`, summing to 1. */
  probabilities: Record<string, number>;
  /** The strongest evidence per class, strongest first. */
  evidence: Record<string, Evidence[]>;
  /** 0..1: how much the page looks like the first page of a document (a title, a letterhead). */
  opening: number;
  /** 0..1: how much there was to read; blank and unreadable pages count little in a document vote. */
  informativeness: number;
  /**
   * 0..1: the engine's own probability that a new document starts at this page (the llm engine
   * asks the model in split mode). Where given it decides the boundary before the page in place
   * of the boundary cues.
   */
  startsDocument?: number;
  /**
   * Set by the llm engine: the probabilities are a model's, calibrated for it, so the builtin
   * engine's confidence head (fitted on its own readings) leaves readings made only of such pages alone.
   */
  modelRead?: boolean;
  /** Where the page's text came from; OCR evidence is calibrated as less certain. */
  source?: 'text' | 'ocr';
}

export interface ScoreRequest {
  classifier: ClassifierDefinition;
  examples?: TrainingExample[];
  cacheKey?: string;
}

export interface ScoringEngine {
  readonly name: string;
  scorePages(pages: Page[], request: ScoreRequest): PageScores[];
  /**
   * Per class of the classifier: whether the engine has its own knowledge of that kind of
   * document (the builtin engine: some knowledge-pack type speaks for the class, by its name, a
   * keyword, its description or a parent type), so that zero-shot scores mean something for it
   * even where its examples, kept as plain text, read poorly.
   */
  knownClasses?(classifier: ClassifierDefinition): boolean[];
}
