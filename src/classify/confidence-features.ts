/**
 * What a reading says about how far its confidence can be trusted, as a few named numbers. The
 * engine is over-confident exactly where its evidence is thin — poor scans, scripts its pack
 * barely speaks, pages with little to read — so the confidence it reports is recalibrated from
 * these (`confidence-head.ts`), with weights fitted on the corpus and scored by source-grouped
 * cross-validation (`eval/fit-confidence.ts`).
 */
import { UNKNOWN } from '../core/classifier.js';
import type { Page } from '../core/document.js';
import type { PageScores } from './engine.js';

export const CONFIDENCE_FEATURES = [
  /** Log-odds of the engine's own confidence in the label it chose. */
  'confidenceLogit',
  /** Share of the pages read by OCR. */
  'ocrShare',
  /** OCR's own doubt: share of OCR pages × (1 − their mean word confidence). */
  'ocrDoubt',
  /** Share of the letters outside the Latin script (the pack speaks Latin-script languages best). */
  'nonLatinShare',
  /** How little there was to read: 1 − mean informativeness of the pages. */
  'thinness',
  /** Share of the pages OCR read with a model other than English. */
  'otherLanguageOcr',
  /** Mean handwriting evidence of the OCR pages. */
  'handwriting',
  /** The label is `unknown` (or the catch-all class): a rejection, whose confidence means something else. */
  'rejected',
] as const;

export type ConfidenceFeature = (typeof CONFIDENCE_FEATURES)[number];
export type ConfidenceFeatures = Record<ConfidenceFeature, number>;

const LETTER = /\p{L}/gu;
const LATIN_LETTER = /\p{Script=Latin}/gu;
/** Keeps the log-odds finite for confidences rounded to 0 or 1. */
const EDGE = 1e-4;

export function confidenceLogit(confidence: number): number {
  const clamped = Math.min(1 - EDGE, Math.max(EDGE, confidence));
  return Math.log(clamped / (1 - clamped));
}

export function measureConfidenceFeatures(
  pages: readonly Page[],
  scores: readonly PageScores[],
  decision: { label: string; confidence: number; rejected?: boolean },
): ConfidenceFeatures {
  const ocrPages = pages.filter((page) => page.source === 'ocr');
  const ocrShare = pages.length ? ocrPages.length / pages.length : 0;
  const ocrConfidence = ocrPages.length ? ocrPages.reduce((sum, page) => sum + (page.ocr_confidence ?? 0), 0) / ocrPages.length : 1;
  let letters = 0;
  let latin = 0;
  for (const page of pages) {
    letters += page.text.match(LETTER)?.length ?? 0;
    latin += page.text.match(LATIN_LETTER)?.length ?? 0;
  }
  const informativeness = scores.length ? scores.reduce((sum, page) => sum + page.informativeness, 0) / scores.length : 0;
  return {
    confidenceLogit: confidenceLogit(decision.confidence),
    ocrShare,
    ocrDoubt: ocrShare * (1 - ocrConfidence),
    nonLatinShare: letters ? 1 - latin / letters : 0,
    thinness: 1 - Math.min(1, Math.max(0, informativeness)),
    otherLanguageOcr: pages.length
      ? ocrPages.filter((page) => page.language !== undefined && page.language !== 'eng').length / pages.length
      : 0,
    handwriting: ocrPages.length ? ocrPages.reduce((sum, page) => sum + (page.handwriting ?? 0), 0) / ocrPages.length : 0,
    rejected: (decision.rejected ?? decision.label === UNKNOWN) ? 1 : 0,
  };
}
