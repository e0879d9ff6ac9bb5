/**
 * Page scores → one distribution for a run of pages (a document or a segment). A weighted
 * geometric mean: a class must fit most pages, the first page and pages with more to read weigh
 * more, and a blank page does not drag a document to `unknown`.
 */
import { UNKNOWN } from '../core/classifier.js';
import { CALIBRATION } from './calibrate.js';
import type { PageScores } from './engine.js';

/** The first page states what a document is; later pages are mostly its body. */
export const FIRST_PAGE_WEIGHT = 4;

export function aggregatePageScores(pageScores: PageScores[], labels: string[]): Record<string, number> {
  const logs: Record<string, number> = {};
  for (const label of labels) logs[label] = 0;
  let totalWeight = 0;
  pageScores.forEach((scores, position) => {
    // Pages that clearly are something outvote pages that are nothing in particular (a
    // references page, an appendix table): a document is what its telling pages say.
    const decided = 0.1 + 1 - (scores.probabilities[UNKNOWN] ?? 0);
    const weight = (0.05 + scores.informativeness) * decided * decided * (position === 0 ? FIRST_PAGE_WEIGHT : 1 / (1 + 0.1 * position));
    totalWeight += weight;
    for (const label of labels) logs[label] += weight * Math.log(Math.max(scores.probabilities[label] ?? 0, 1e-6));
  });
  if (totalWeight === 0) {
    const uniform: Record<string, number> = {};
    for (const label of labels) uniform[label] = 1 / labels.length;
    return uniform;
  }
  let max = -Infinity;
  for (const label of labels) {
    logs[label] /= totalWeight;
    if (logs[label] > max) max = logs[label];
  }
  const ocrShare = pageScores.filter((scores) => scores.source === 'ocr').length / Math.max(1, pageScores.length);
  const sharpness = CALIBRATION.documentSharpness * (1 - ocrShare) + CALIBRATION.ocrDocumentSharpness * ocrShare;
  let sum = 0;
  const result: Record<string, number> = {};
  for (const label of labels) {
    const hasMass = pageScores.some((scores) => (scores.probabilities[label] ?? 0) > 0);
    result[label] = hasMass ? Math.exp(sharpness * (logs[label] - max)) : 0;
    sum += result[label];
  }
  for (const label of labels) result[label] /= sum;
  return result;
}
