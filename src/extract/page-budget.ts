/**
 * The budget a PDF page must fit before MuPDF interprets it: the content it would draw (its
 * content streams and the form XObjects they call), measured decompressed. A 1 MB file can hold a
 * page that inflates to 1 GiB of drawing operators, which MuPDF would spend minutes on; measuring
 * inflates at most the budget, in milliseconds, and the page fails with `page_too_complex`.
 */
import { inflateSync } from 'node:zlib';
import * as mupdf from 'mupdf';
import { AppError } from '../core/errors.js';

/**
 * Decompressed content per page. The largest page of the corpus (875 pages) draws 2.4 MB; MuPDF
 * reads the text of 15 MB of dense vector operators in ~2.4 s on one core, so 16 MB keeps a heavy
 * drawing well inside a request's deadline while a 1 GiB bomb is refused after inflating 16 MB.
 */
export const MAX_PAGE_CONTENT_BYTES = 16 * 1024 * 1024;
/** Form XObjects nest; past this depth (or a cycle) the page is refused rather than walked. */
const MAX_FORM_DEPTH = 8;

/** Throws `page_too_complex` when the page's content exceeds the budget. */
export function checkPageBudget(document: mupdf.Document, index: number, budget = MAX_PAGE_CONTENT_BYTES): void {
  if (!(document instanceof mupdf.PDFDocument)) return;
  const page = document.findPage(index);
  let used = 0;
  const seen = new Set<number>();
  const measure = (object: mupdf.PDFObject, depth: number): void => {
    if (depth > MAX_FORM_DEPTH) throw tooComplex(index, `form objects nest deeper than ${MAX_FORM_DEPTH}`);
    if (object.isIndirect()) {
      const number = object.asIndirect();
      if (seen.has(number)) return;
      seen.add(number);
    }
    if (object.isNull()) return;
    // Stream operations take the indirect reference itself: a resolved stream object reads as a plain dictionary.
    if (!object.isStream()) {
      if (object.isArray())
        object.forEach((item) => {
          measure(item, depth);
        });
      return;
    }
    used += decodedSize(object, budget - used);
    if (used > budget) throw tooComplex(index, `its content inflates to more than ${Math.round(budget / 1024 / 1024)} MB`);
    measureForms(object.get('Resources'), depth + 1);
  };
  const measureForms = (resources: mupdf.PDFObject, depth: number): void => {
    if (resources.isNull()) return;
    const xobjects = resources.get('XObject');
    if (xobjects.isNull() || !xobjects.isDictionary()) return;
    xobjects.forEach((xobject) => {
      if (xobject.isNull()) return;
      const subtype = xobject.get('Subtype');
      if (subtype.isName() && subtype.asName() === 'Form') measure(xobject, depth);
    });
  };
  measure(page.get('Contents'), 0);
  measureForms(page.getInheritable('Resources'), 1);
}

/** The stream's size once decoded, counted up to `left` + 1 bytes; only Flate can inflate far, other filters count as stored. */
function decodedSize(stream: mupdf.PDFObject, left: number): number {
  const filter = stream.get('Filter');
  const filters: string[] = [];
  if (filter.isName()) filters.push(filter.asName());
  else if (filter.isArray())
    filter.forEach((item) => {
      if (item.isName()) filters.push(item.asName());
    });
  const rawBuffer = stream.readRawStream();
  try {
    const raw = rawBuffer.asUint8Array();
    if (filters.length === 0 || !filters.every((name) => name === 'FlateDecode' || name === 'Fl')) return raw.length;
    let data: Uint8Array = raw;
    for (const _ of filters) {
      try {
        data = inflateSync(data, { maxOutputLength: Math.max(1, left + 1) });
      } catch (error) {
        // Past the limit: more than the budget. Any other inflate error: MuPDF meets it too and reports the page as damaged.
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return left + 1;
        return raw.length;
      }
    }
    return data.length;
  } finally {
    rawBuffer.destroy();
  }
}

function tooComplex(index: number, why: string): AppError {
  return new AppError(
    'page_too_complex',
    `Page ${index + 1} is too complex to read: ${why}. It is skipped; the other pages are read as usual.`,
  );
}
