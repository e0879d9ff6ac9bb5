/**
 * The cues that say whether a new document starts at a page of a bundle, each measured as a
 * number (1/0 for a cue that is seen or not, 0..1 for a degree) with the words a person reads in
 * a segment's reason. The weights that turn them into a probability are data
 * (`boundary-weights.json`), so they can be fitted on bundles and checked across sources.
 */
import { UNKNOWN } from '../core/classifier.js';
import type { PageScores } from './engine.js';
import type { PageMarks } from './page-marks.js';
import boundaryWeights from './boundary-weights.json' with { type: 'json' };

export interface PageView {
  marks: PageMarks;
  scores: PageScores;
}

export const BOUNDARY_CUES = [
  'counterRestarts',
  'counterGoesOn',
  'laterPageNumber',
  'previousWasLastCounted',
  'pageTotalChanges',
  'previousContinues',
  'pageContinues',
  'previousCloses',
  'headerGoesOn',
  'headerChangesPartly',
  'headerChanges',
  'identifierGoesOn',
  'identifierChanges',
  'pageSizeChanges',
  'bodySizeChanges',
  'classChanges',
  'classChangeSureness',
  'classGoesOn',
  'titleOpens',
  'previousOpened',
  'closesThenOpens',
  'littleOnPage',
  'sharedWording',
  'repeatedWording',
  'previousPageClassChanges',
  'readingDistance',
] as const;

export type BoundaryCue = (typeof BOUNDARY_CUES)[number];

/**
 * Which way each cue argues: +1 for a new document, -1 for the same one. What a cue means fixes
 * its direction; data only sets its strength (the fit keeps every weight on its side of 0), so a
 * quirk of the bundles it is fitted on cannot turn "the page counter goes on" into a boundary.
 */
export const CUE_DIRECTION: Record<BoundaryCue, 1 | -1> = {
  counterRestarts: 1,
  counterGoesOn: -1,
  laterPageNumber: -1,
  previousWasLastCounted: 1,
  pageTotalChanges: 1,
  previousContinues: -1,
  pageContinues: -1,
  previousCloses: 1,
  headerGoesOn: -1,
  headerChangesPartly: 1,
  headerChanges: 1,
  identifierGoesOn: -1,
  identifierChanges: 1,
  pageSizeChanges: 1,
  bodySizeChanges: 1,
  classChanges: -1,
  classChangeSureness: 1,
  classGoesOn: -1,
  titleOpens: 1,
  previousOpened: -1,
  closesThenOpens: 1,
  littleOnPage: -1,
  sharedWording: -1,
  repeatedWording: 1,
  previousPageClassChanges: 1,
  readingDistance: 1,
};

export interface MeasuredCue {
  value: number;
  text: string;
}

export interface BoundaryWeights {
  bias: number;
  weights: Record<BoundaryCue, number>;
}

function checkWeights(raw: unknown): BoundaryWeights {
  const candidate = raw as Partial<BoundaryWeights>;
  if (typeof candidate?.bias !== 'number' || typeof candidate.weights !== 'object' || candidate.weights === null) {
    throw new Error('boundary-weights.json: expected { "bias": number, "weights": { cue: number } }');
  }
  for (const cue of BOUNDARY_CUES) {
    if (typeof (candidate.weights as Record<string, unknown>)[cue] !== 'number')
      throw new Error(`boundary-weights.json: no weight for the cue '${cue}'`);
  }
  return candidate as BoundaryWeights;
}

export const BOUNDARY_WEIGHTS: BoundaryWeights = checkWeights(boundaryWeights);

function countShared(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const item of a) if (b.has(item)) shared++;
  return shared;
}

/** Shared items over the smaller set: 1 when one set holds the other. */
function overlap(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  return countShared(a, b) / Math.min(a.size, b.size);
}

function topLabel(scores: PageScores): { label: string; probability: number } {
  let label = UNKNOWN;
  let probability = -1;
  for (const [name, value] of Object.entries(scores.probabilities)) {
    if (value > probability) {
      label = name;
      probability = value;
    }
  }
  return { label, probability };
}

/** Shared items over the geometric mean of the sizes: 1 for the same set, 0 for nothing shared. */
function cosine(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  return countShared(a, b) / Math.sqrt(a.size * b.size);
}

function totalVariation(p: Record<string, number>, q: Record<string, number>): number {
  let sum = 0;
  for (const label of new Set([...Object.keys(p), ...Object.keys(q)])) sum += Math.abs((p[label] ?? 0) - (q[label] ?? 0));
  return sum / 2;
}

/** Word-set cosine from which a page reads as the same template again, not as the next page. */
const REPEATED_WORDING = 0.8;

const flag = (seen: boolean): number => (seen ? 1 : 0);

/** Every cue of the gap before `current`; `reference` is the running document's reading. */
export function measureBoundaryCues(
  previous: PageView,
  current: PageView,
  reference: PageScores = previous.scores,
): Record<BoundaryCue, MeasuredCue> {
  const a = previous.marks;
  const b = current.marks;
  const restarts = b.pageNumber === 1;
  const goesOn = !restarts && b.pageNumber !== null && a.pageNumber !== null && b.pageNumber === a.pageNumber + 1;
  const later = !restarts && !goesOn && b.pageNumber !== null && b.pageNumber > 1;
  const headerOverlap = Math.max(overlap(a.header, b.header), overlap(a.footer, b.footer));
  const bothIdentified = a.identifiers.size > 0 && b.identifiers.size > 0;
  const sameIdentifier = bothIdentified && overlap(a.identifiers, b.identifiers) > 0;
  const informative = previous.scores.informativeness >= 0.5 && current.scores.informativeness >= 0.5;
  const left = topLabel(reference);
  const right = topLabel(current.scores);
  // How surely the two pages are of different classes; a confident turn to or from `unknown` is
  // a class change too (a tax form between pay stubs is its own document even when the
  // classifier has no class for it). Only a page with something to read can turn.
  const sure = Math.min(left.probability, right.probability) * Math.min(1, current.scores.informativeness / 0.5);
  const classChanges = left.label !== right.label;
  const before = topLabel(previous.scores);
  const wording = informative ? cosine(a.words, b.words) : 0;
  const readable = Math.min(1, current.scores.informativeness / 0.5);
  return {
    counterRestarts: { value: flag(restarts), text: `the page counter restarts ('1${b.pageTotal !== null ? ` of ${b.pageTotal}` : ''}')` },
    counterGoesOn: { value: flag(goesOn), text: 'the page counter goes on' },
    laterPageNumber: { value: flag(later), text: 'a later page number' },
    previousWasLastCounted: {
      value: flag(a.pageNumber !== null && a.pageTotal !== null && a.pageNumber === a.pageTotal),
      text: 'the previous page was the last one its counter announced',
    },
    pageTotalChanges: {
      value: flag(a.pageTotal !== null && b.pageTotal !== null && a.pageTotal !== b.pageTotal),
      text: 'the page total changes',
    },
    previousContinues: { value: flag(a.continuesAfter), text: 'the previous page says it continues' },
    pageContinues: { value: flag(b.continuesBefore), text: 'the page says it continues' },
    previousCloses: { value: flag(!b.continuesBefore && a.closes), text: 'the previous page closes with a total or a signature' },
    headerGoesOn: { value: flag(headerOverlap >= 0.5), text: 'the running header goes on' },
    headerChangesPartly: { value: flag(headerOverlap > 0 && headerOverlap < 0.5), text: 'the header and footer change' },
    headerChanges: { value: flag(headerOverlap === 0), text: 'the header and footer change' },
    identifierGoesOn: { value: flag(sameIdentifier), text: 'the identifier goes on' },
    identifierChanges: {
      value: flag(bothIdentified && !sameIdentifier),
      text: `the identifier changes ('${[...b.identifiers][0] ?? ''}')`,
    },
    // A page of another size comes from another document (orientation aside: a landscape table
    // belongs to its report); so, less surely, does body text of another size.
    pageSizeChanges: {
      value: flag(Math.abs(a.longSide - b.longSide) > 0.02 * a.longSide || Math.abs(a.shortSide - b.shortSide) > 0.02 * a.shortSide),
      text: 'the page size changes',
    },
    bodySizeChanges: {
      value: flag(informative && a.bodySize > 0 && b.bodySize > 0 && Math.abs(Math.log(b.bodySize / a.bodySize)) > Math.log(1.4)),
      text: 'the body text changes size',
    },
    classChanges: { value: flag(classChanges), text: `the class changes ('${left.label}' to '${right.label}')` },
    classChangeSureness: { value: classChanges ? sure : 0, text: `the class changes ('${left.label}' to '${right.label}')` },
    classGoesOn: { value: flag(!classChanges), text: 'the class goes on' },
    // A title at the top of the page opens a document, the more so when the previous page did not
    // (pages 2..n rarely repeat the title; single-page documents back to back all have one).
    titleOpens: { value: current.scores.opening, text: 'a title opens the page' },
    previousOpened: { value: previous.scores.opening, text: 'a title opens the page' },
    // A document that closed (its total, its signature) followed by a title is the surest sign of
    // two one-page documents of one kind back to back, even from one template.
    closesThenOpens: {
      value: a.closes && !b.continuesBefore ? current.scores.opening : 0,
      text: 'the previous page closes and this one opens with a title',
    },
    // A page with little on it (a signature page, a blank back) rarely starts a document.
    littleOnPage: { value: 1 - current.scores.informativeness, text: 'the page has little on it' },
    // Pages of one document share their words (its subject, its names, its terms); pages that
    // share nearly all of them and open with a title again are one template filled in twice (two
    // months' pay stubs); a continuation page rarely repeats the title.
    sharedWording: { value: wording, text: 'the pages share their wording' },
    repeatedWording: {
      value: wording >= REPEATED_WORDING ? current.scores.opening : 0,
      text: 'the page repeats the wording of the page before, as a new copy of one template',
    },
    // The page before alone, not the running document: a short document after a long one
    // differs from its last page even where the long one's reading outweighs it.
    previousPageClassChanges: {
      value: before.label !== right.label ? Math.min(before.probability, right.probability) * readable : 0,
      text: `the class changes from the page before ('${before.label}' to '${right.label}')`,
    },
    // How far apart the two readings are over every class (total variation), not only the top one.
    readingDistance: {
      value: totalVariation(reference.probabilities, current.scores.probabilities) * readable,
      text: 'the page reads differently from the document so far',
    },
  };
}
