/**
 * Where one document ends and the next begins in a bundle. Each gap between two pages gets a
 * boundary score from cues any reader uses: the page counter restarts ("Page 1 of 3"), the
 * running header or footer changes, the account or invoice number changes, the new page opens
 * with a title, the class changes. Runs between boundaries become segments; two neighbouring
 * segments may have the same class.
 */
import type { Page } from '../core/document.js';
import { UNKNOWN } from '../core/classifier.js';
import type { PageScores } from './engine.js';
import { normalizeText } from './text/normalize-text.js';

export interface PageRun {
  first: number;
  last: number;
  /** 0..1: how sure the boundary before `first` is (1 for the first run). */
  boundaryConfidence: number;
  /** 0..1: how sure the pages inside belong together (1 for a single page). */
  continuationConfidence: number;
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
}

const PAGE_OF = /\b(?:page|seite|pagina|página|pag\.?|blatt|feuille|blad)\s*(\d{1,3}|[Il])\s*(?:of|von|de|sur|van|\/)\s*(\d{1,3})\b/i;
const PAGE_ONLY = /\b(?:page|seite|pagina|página|blatt|blad)\s*(\d{1,3})\b/i;
/** A bare "2 of 5" or "2 / 5" line; "07/30" without spaces is a date, not a page counter. */
const K_OF_N = /^\s*-?\s*(\d{1,3})\s+(?:\/|of)\s+(\d{1,3})\s*-?\s*$/i;
const CONTINUES_AFTER = /(continued|see reverse|please turn over|turn over|p\.?\s*t\.?\s*o\.?|fortsetzung|suite au verso|a suivre|continua|vervolg)\b|…\s*$/i;
const CONTINUES_BEFORE = /(\(continued\)|continued from|cont.d\b|fortsetzung|suite\b|continuaci[oó]n|vervolg)/i;
const IDENTIFIER = /\b(?:account|acct|invoice|statement|policy|customer|member|loan|order|employee|reference|ref|konto|rechnung|facture|factura|compte)[ \t]*(?:no\.?|number|num|nr\.?|#|id)?[ \t]*[:#]?[ \t]*([A-Z0-9-]*\d[A-Z0-9-]{3,})/gi;

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
  return { pageNumber, pageTotal, header: lineSet(lines.slice(0, 3)), footer: lineSet(lines.slice(-3)), identifiers, continuesAfter, continuesBefore };
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

/** Probability that a new document starts at page `index` (index ≥ 1), from the cues above. */
export function scoreBoundary(previous: { marks: PageMarks; scores: PageScores }, current: { marks: PageMarks; scores: PageScores }): number {
  let logit = -1.2;
  const a = previous.marks;
  const b = current.marks;
  if (b.pageNumber === 1) logit += 3.5;
  else if (b.pageNumber !== null && a.pageNumber !== null && b.pageNumber === a.pageNumber + 1) logit -= 3;
  else if (b.pageNumber !== null && b.pageNumber > 1) logit -= 1.5;
  if (a.pageNumber !== null && a.pageTotal !== null && a.pageNumber === a.pageTotal) logit += 1.5;
  if (a.pageTotal !== null && b.pageTotal !== null && a.pageTotal !== b.pageTotal) logit += 1;

  if (a.continuesAfter) logit -= 2.5;
  if (b.continuesBefore) logit -= 2;
  const headerOverlap = Math.max(overlap(a.header, b.header), overlap(a.footer, b.footer));
  logit += headerOverlap >= 0.5 ? -1.2 : headerOverlap > 0 ? 0.3 : 0.9;

  if (a.identifiers.size > 0 && b.identifiers.size > 0) {
    logit += overlap(a.identifiers, b.identifiers) > 0 ? -1.5 : 2;
  }

  const left = topLabel(previous.scores);
  const right = topLabel(current.scores);
  // A confident turn to or from `unknown` is a class change too: a tax form between pay stubs
  // is its own document even when the classifier has no class for it.
  if (left.label !== right.label) {
    logit += 6 * (Math.min(left.probability, right.probability) - 0.45);
  } else {
    logit -= 0.8;
  }
  // A title at the top of the page opens a document, the more so when the previous page did not
  // (pages 2..n rarely repeat the title; single-page documents back to back all have one).
  logit += 2.5 * current.scores.opening - 0.3 * previous.scores.opening;
  // A page with little on it (a signature page, a blank back) rarely starts a document.
  logit -= 1.5 * (1 - current.scores.informativeness);
  return 1 / (1 + Math.exp(-logit));
}

/** Splits pages into runs that each hold one document. */
export function splitPageRuns(pages: Page[], pageScores: PageScores[]): PageRun[] {
  if (pages.length === 0) return [];
  const marks = pages.map(readPageMarks);
  const runs: PageRun[] = [{ first: 0, last: 0, boundaryConfidence: 1, continuationConfidence: 1 }];
  for (let i = 1; i < pages.length; i++) {
    const probability = scoreBoundary({ marks: marks[i - 1], scores: pageScores[i - 1] }, { marks: marks[i], scores: pageScores[i] });
    if (probability >= 0.5) runs.push({ first: i, last: i, boundaryConfidence: probability, continuationConfidence: 1 });
    else {
      const run = runs[runs.length - 1];
      run.last = i;
      run.continuationConfidence = Math.min(run.continuationConfidence, 1 - probability);
    }
  }
  return runs;
}
