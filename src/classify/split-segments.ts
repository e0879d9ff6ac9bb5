/**
 * Where one document ends and the next begins in a bundle. Each gap between two pages gets a
 * boundary score from cues any reader uses: the page counter restarts ("Page 1 of 3"), the
 * running header or footer changes, the account or invoice number changes, the new page opens
 * with a title, the class changes, the previous page closes a document (a total, a signature),
 * the page size or the size of the body text changes. Runs between boundaries become segments;
 * two neighbouring segments may have the same class.
 */
import type { Page } from '../core/document.js';
import { UNKNOWN } from '../core/classifier.js';
import { aggregatePageScores } from './aggregate-pages.js';
import { median } from './page-lines.js';
import type { PageScores } from './engine.js';
import { normalizeText } from './text/normalize-text.js';

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

export interface PageMarks {
  /** "Page k of n" / "k/n" / "Page k" read on the page: k and n when found. */
  pageNumber: number | null;
  pageTotal: number | null;
  header: Set<string>;
  footer: Set<string>;
  identifiers: Set<string>;
  /** The page says it goes on ("continued on reverse") or goes on from before ("(continued)"). */
  continuesAfter: boolean;
  continuesBefore: boolean;
  /** The last lines close a document: a total to pay, a signature, a closing formula. */
  closes: boolean;
  /** Page size, orientation ignored (a landscape table stays in its report). */
  longSide: number;
  shortSide: number;
  /** Median font size of the lines, 0 with too few lines to tell. */
  bodySize: number;
}

const PAGE_OF = /\b(?:page|seite|pagina|página|pag\.?|blatt|feuille|blad)\s*(\d{1,3}|[Il])\s*(?:of|von|de|sur|van|\/)\s*(\d{1,3})\b/i;
const PAGE_ONLY = /\b(?:page|seite|pagina|página|blatt|blad)\s*(\d{1,3})\b/i;
/** A bare "2 of 5" or "2 / 5" line; "07/30" without spaces is a date, not a page counter. */
const K_OF_N = /^\s*-?\s*(\d{1,3})\s+(?:\/|of)\s+(\d{1,3})\s*-?\s*$/i;
const CONTINUES_AFTER = /(continued|see reverse|please turn over|turn over|p\.?\s*t\.?\s*o\.?|fortsetzung|suite au verso|a suivre|continua|vervolg)\b|…\s*$/i;
const CONTINUES_BEFORE = /(\(continued\)|continued from|cont.d\b|fortsetzung|suite\b|continuaci[oó]n|vervolg)/i;
/** Closing lines of a document: its total, its signature or closing formula. */
const CLOSES = /\b(total due|amount due|balance due|grand total|total amount|net pay|total to pay|sincerely|yours (?:truly|faithfully)|kind regards|best regards|regards|signature|signed|mit freundlichen gr(?:ü|u)(?:ß|ss)en|cordialement|atentamente|saludos|distinti saluti|met vriendelijke groet|gesamtbetrag|montant total|importe total|totale)\b/i;
const IDENTIFIER = /\b(?:account|acct|invoice|statement|policy|customer|member|loan|order|employee|reference|ref|form|omb|certificate|konto|rechnung|facture|factura|compte)[ \t]*(?:no\.?|number|num|nr\.?|#|id)?[ \t]*[:#]?[ \t]*([A-Z0-9-]*\d[A-Z0-9-]{3,})/gi;

function lineSet(lines: string[]): Set<string> {
  // Digits removed: a header stays the same while its date or page number changes.
  return new Set(lines.map((line) => normalizeText(line).replace(/\d+/g, '#')).filter((line) => line.length >= 4));
}

export function readPageMarks(page: Page): PageMarks {
  const lines = (page.lines?.length ? page.lines.map((line) => line.text) : page.text.split('\n')).filter((line) => line.trim().length > 0);
  let pageNumber: number | null = null;
  let pageTotal: number | null = null;
  const edgeLines = [...lines.slice(0, 6), ...lines.slice(-6)];
  const counters = [...edgeLines.map((line) => PAGE_OF.exec(line)), ...edgeLines.map((line) => K_OF_N.exec(line))];
  for (const full of counters) {
    if (full) {
      // OCR reads a 1 as I or l
      const k = /^[Il]$/.test(full[1]) ? 1 : Number(full[1]);
      const n = Number(full[2]);
      if (k >= 1 && n >= k && n < 500) {
        pageNumber = k;
        pageTotal = n;
        break;
      }
    }
  }
  if (pageNumber === null) {
    for (const line of edgeLines) {
      const only = PAGE_ONLY.exec(line);
      if (only) {
        pageNumber = Number(only[1]);
        break;
      }
    }
  }
  const identifiers = new Set<string>();
  for (const match of page.text.matchAll(IDENTIFIER)) {
    const id = match[1].replace(/[^A-Za-z0-9]/g, '');
    if (/\d{3,}/.test(id)) identifiers.add(id.toLowerCase());
  }
  const continuesAfter = lines.slice(-4).some((line) => CONTINUES_AFTER.test(line));
  const continuesBefore = lines.slice(0, 4).some((line) => CONTINUES_BEFORE.test(line));
  const closes = !continuesAfter && lines.slice(-Math.max(4, Math.ceil(lines.length / 4))).some((line) => CLOSES.test(line));
  const sizes = (page.lines ?? []).filter((line) => line.text.trim().length > 1 && line.size > 0).map((line) => line.size);
  return {
    pageNumber,
    pageTotal,
    header: lineSet(lines.slice(0, 3)),
    footer: lineSet(lines.slice(-3)),
    identifiers,
    continuesAfter,
    continuesBefore,
    closes,
    longSide: Math.max(page.width, page.height),
    shortSide: Math.min(page.width, page.height),
    bodySize: sizes.length >= 5 ? median(sizes) : 0,
  };
}

function overlap(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared++;
  return shared / Math.min(a.size, b.size);
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

export interface PageView {
  marks: PageMarks;
  scores: PageScores;
}

export interface BoundaryScore {
  /** 0..1: the probability that a new document starts at the page. */
  probability: number;
  /** The cues that argued for a new document, strongest first. */
  cues: string[];
}

/**
 * Whether a new document starts at `current`, from the cues above. `previous` is the page before;
 * `reference` the scores the class is compared with: those of the running document so far, so
 * that one page read as something else, or a blank page, is not taken for a class change.
 */
export function weighBoundary(previous: PageView, current: PageView, reference: PageScores = previous.scores): BoundaryScore {
  let logit = -1.2;
  const cues: Array<{ text: string; weight: number }> = [];
  const add = (weight: number, text: string) => {
    logit += weight;
    if (weight > 0) cues.push({ text, weight });
  };
  const a = previous.marks;
  const b = current.marks;
  if (b.pageNumber === 1) add(3.5, `the page counter restarts ('1${b.pageTotal !== null ? ` of ${b.pageTotal}` : ''}')`);
  else if (b.pageNumber !== null && a.pageNumber !== null && b.pageNumber === a.pageNumber + 1) add(-3, 'the page counter goes on');
  else if (b.pageNumber !== null && b.pageNumber > 1) add(-1.5, 'a later page number');
  if (a.pageNumber !== null && a.pageTotal !== null && a.pageNumber === a.pageTotal) add(1.5, 'the previous page was the last one its counter announced');
  if (a.pageTotal !== null && b.pageTotal !== null && a.pageTotal !== b.pageTotal) add(1, 'the page total changes');

  if (a.continuesAfter) add(-2.5, 'the previous page says it continues');
  if (b.continuesBefore) add(-2, 'the page says it continues');
  else if (a.closes) add(0.6, 'the previous page closes with a total or a signature');
  const headerOverlap = Math.max(overlap(a.header, b.header), overlap(a.footer, b.footer));
  if (headerOverlap >= 0.5) add(-1.2, 'the running header goes on');
  else add(headerOverlap > 0 ? 0.3 : 0.9, 'the header and footer change');

  if (a.identifiers.size > 0 && b.identifiers.size > 0) {
    if (overlap(a.identifiers, b.identifiers) > 0) add(-1.5, 'the identifier goes on');
    else add(2, `the identifier changes ('${[...b.identifiers][0]}')`);
  }
  // A page of another size comes from another document (orientation aside: a landscape table
  // belongs to its report); so, less surely, does body text of another size.
  if (Math.abs(a.longSide - b.longSide) > 0.02 * a.longSide || Math.abs(a.shortSide - b.shortSide) > 0.02 * a.shortSide) add(1.5, 'the page size changes');
  const informative = previous.scores.informativeness >= 0.5 && current.scores.informativeness >= 0.5;
  if (informative && a.bodySize > 0 && b.bodySize > 0 && Math.abs(Math.log(b.bodySize / a.bodySize)) > Math.log(1.4)) add(0.8, 'the body text changes size');

  const left = topLabel(reference);
  const right = topLabel(current.scores);
  // How surely the two pages are of different classes; a confident turn to or from `unknown` is
  // a class change too (a tax form between pay stubs is its own document even when the
  // classifier has no class for it). Only a page with something to read can turn.
  const sure = Math.min(left.probability, right.probability) * Math.min(1, current.scores.informativeness / 0.5);
  if (left.label !== right.label) add(6 * (sure - 0.45), `the class changes ('${left.label}' to '${right.label}')`);
  else add(-0.8, 'the class goes on');
  // A title at the top of the page opens a document, the more so when the previous page did not
  // (pages 2..n rarely repeat the title; single-page documents back to back all have one).
  add(2.5 * current.scores.opening - 0.3 * previous.scores.opening, 'a title opens the page');
  // A document that closed (its total, its signature) followed by a title is the surest sign of
  // two one-page documents of one kind back to back, even from one template.
  if (a.closes && !b.continuesBefore) add(1 * current.scores.opening, 'the previous page closes and this one opens with a title');
  // A page with little on it (a signature page, a blank back) rarely starts a document.
  add(-1.5 * (1 - current.scores.informativeness), 'the page has little on it');
  cues.sort((x, y) => y.weight - x.weight);
  return { probability: 1 / (1 + Math.exp(-logit)), cues: cues.filter((cue) => cue.weight >= 0.8).map((cue) => cue.text) };
}

/** The running document's pages as one reading, for the class comparison. */
function readRun(pageScores: PageScores[], first: number, last: number): PageScores {
  const run = pageScores.slice(first, last + 1);
  if (run.length === 1) return run[0];
  return { ...run[run.length - 1], probabilities: aggregatePageScores(run, Object.keys(run[0].probabilities)) };
}

/** Splits pages into runs that each hold one document. */
export function splitPageRuns(pages: Page[], pageScores: PageScores[]): PageRun[] {
  if (pages.length === 0) return [];
  const views: PageView[] = pages.map((page, index) => ({ marks: readPageMarks(page), scores: pageScores[index] }));
  const runs: PageRun[] = [{ first: 0, last: 0, boundaryConfidence: 1, continuationConfidence: 1, starts: [1], cues: [] }];
  for (let i = 1; i < pages.length; i++) {
    const run = runs[runs.length - 1];
    const boundary = weighBoundary(views[i - 1], views[i], readRun(pageScores, run.first, run.last));
    if (boundary.probability >= 0.5) {
      runs.push({ first: i, last: i, boundaryConfidence: boundary.probability, continuationConfidence: 1, starts: [boundary.probability], cues: boundary.cues });
    } else {
      run.last = i;
      run.starts.push(boundary.probability);
      run.continuationConfidence = Math.min(run.continuationConfidence, 1 - boundary.probability);
    }
  }
  return runs;
}
