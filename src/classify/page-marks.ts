/**
 * What a reader notices at the edges of a page when telling where a document ends: its page
 * counter, running header and footer, account or invoice numbers, "continued" notes, closing
 * lines, page size and body text size.
 */
import type { Page } from '../core/document.js';
import { median } from './page-lines.js';
import { normalizeText } from './text/normalize-text.js';

export interface PageMarks {
  /** "Page k of n" / "k/n" / "Page k" read on the page: k and n when found. */
  pageNumber: number | null;
  pageTotal: number | null;
  header: Set<string>;
  footer: Set<string>;
  identifiers: Set<string>;
  /** The page's words of four letters or more, lower case: what pages of one document share. */
  words: Set<string>;
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
const CONTINUES_AFTER =
  /(continued|see reverse|please turn over|turn over|p\.?\s*t\.?\s*o\.?|fortsetzung|suite au verso|a suivre|continua|vervolg)\b|…\s*$/i;
const CONTINUES_BEFORE = /(\(continued\)|continued from|cont.d\b|fortsetzung|suite\b|continuaci[oó]n|vervolg)/i;
/** Closing lines of a document: its total, its signature or closing formula. */
const CLOSES =
  /\b(total due|amount due|balance due|grand total|total amount|net pay|total to pay|sincerely|yours (?:truly|faithfully)|kind regards|best regards|regards|signature|signed|mit freundlichen gr(?:ü|u)(?:ß|ss)en|cordialement|atentamente|saludos|distinti saluti|met vriendelijke groet|gesamtbetrag|montant total|importe total|totale)\b/i;
const IDENTIFIER =
  /\b(?:account|acct|invoice|statement|policy|customer|member|loan|order|employee|reference|ref|form|omb|certificate|konto|rechnung|facture|factura|compte)[ \t]*(?:no\.?|number|num|nr\.?|#|id)?[ \t]*[:#]?[ \t]*([A-Z0-9-]*\d[A-Z0-9-]{3,})/gi;

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
    words: new Set(normalizeText(page.text).match(/\p{L}{4,}/gu) ?? []),
    continuesAfter,
    continuesBefore,
    closes,
    longSide: Math.max(page.width, page.height),
    shortSide: Math.min(page.width, page.height),
    bodySize: sizes.length >= 5 ? median(sizes) : 0,
  };
}
