/**
 * Where one document ends and the next begins in a bundle. Each gap between two pages gets a
 * boundary score from cues any reader uses: the page counter restarts ("Page 1 of 3"), the
 * running header or footer changes, the account or invoice number changes, the new page opens
 * with a title, the class changes, the previous page closes a document (a total, a signature),
 * the page size or the size of the body text changes. Runs between boundaries become segments;
 * two neighbouring segments may have the same class.
 */
import type { Page } from '../core/document.js';
import { aggregatePageScores } from './aggregate-pages.js';
import { BOUNDARY_CUES, BOUNDARY_WEIGHTS, type BoundaryWeights, measureBoundaryCues, type PageView } from './boundary-cues.js';
import type { PageScores } from './engine.js';
import { readPageMarks } from './page-marks.js';

export interface PageRun {
  first: number;
  last: number;
  /** 0..1: how sure the boundary before `first` is (1 for the first run). */
  boundaryConfidence: number;
  /** 0..1: how sure the pages inside belong together (1 for a single page). */
  continuationConfidence: number;
  /** Per page of the run, from `first`: the probability that a document starts there (1 for page 0). */
  starts: number[];
  /** What says a document starts at `first` ("the page counter restarts"); empty for the first run. */
  cues: string[];
}

export interface BoundaryScore {
  /** 0..1: the probability that a new document starts at the page. */
  probability: number;
  /** The cues that argued for a new document, strongest first. */
  cues: string[];
}

/**
 * Whether a new document starts at `current`: a logistic model over the boundary cues of
 * `measureBoundaryCues`, its weights in `boundary-weights.json` (fitted by
 * eval/fit-boundaries.ts on bundles built from the corpus, with source-grouped folds).
 * `previous` is the page before; `reference` the scores the class is compared with: those of
 * the running document so far, so that one page read as something else, or a blank page, is not
 * taken for a class change.
 */
export function weighBoundary(
  previous: PageView,
  current: PageView,
  reference: PageScores = previous.scores,
  weights: BoundaryWeights = BOUNDARY_WEIGHTS,
): BoundaryScore {
  const cues = measureBoundaryCues(previous, current, reference);
  let logit = weights.bias;
  // Cues that read the same to a person (the class changing, and how surely) are said once.
  const byText = new Map<string, number>();
  for (const name of BOUNDARY_CUES) {
    const contribution = weights.weights[name] * cues[name].value;
    logit += contribution;
    if (cues[name].value !== 0) byText.set(cues[name].text, (byText.get(cues[name].text) ?? 0) + contribution);
  }
  const said = [...byText].filter(([, weight]) => weight >= 0.8).sort((x, y) => y[1] - x[1]);
  return { probability: 1 / (1 + Math.exp(-logit)), cues: said.map(([text]) => text) };
}

/** The running document's pages as one reading, for the class comparison. */
export function readRun(pageScores: PageScores[], first: number, last: number): PageScores {
  const run = pageScores.slice(first, last + 1);
  if (run.length === 1) return run[0];
  return { ...run[run.length - 1], probabilities: aggregatePageScores(run, Object.keys(run[0].probabilities)) };
}

/** Splits pages into runs that each hold one document. */
export function splitPageRuns(pages: Page[], pageScores: PageScores[], weights: BoundaryWeights = BOUNDARY_WEIGHTS): PageRun[] {
  if (pages.length === 0) return [];
  const views: PageView[] = pages.map((page, index) => ({ marks: readPageMarks(page), scores: pageScores[index] }));
  const runs: PageRun[] = [{ first: 0, last: 0, boundaryConfidence: 1, continuationConfidence: 1, starts: [1], cues: [] }];
  for (let i = 1; i < pages.length; i++) {
    const run = runs[runs.length - 1];
    const stated = pageScores[i].startsDocument;
    const boundary =
      stated !== undefined
        ? { probability: stated, cues: stated >= 0.5 ? ['the model reads it as the start of a new document'] : [] }
        : weighBoundary(views[i - 1], views[i], readRun(pageScores, run.first, run.last), weights);
    if (boundary.probability >= 0.5) {
      runs.push({
        first: i,
        last: i,
        boundaryConfidence: boundary.probability,
        continuationConfidence: 1,
        starts: [boundary.probability],
        cues: boundary.cues,
      });
    } else {
      run.last = i;
      run.starts.push(boundary.probability);
      run.continuationConfidence = Math.min(run.continuationConfidence, 1 - boundary.probability);
    }
  }
  return runs;
}
