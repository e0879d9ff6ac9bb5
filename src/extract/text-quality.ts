/**
 * Decides whether a PDF page's text layer is worth using or the page must be OCR'd instead.
 * Scans often carry no text at all, a few stray characters (a stamp, a page number), or an
 * invisible OCR layer from cheap scanner software that is mostly junk.
 */

/** Fewer letters and digits than this and the page is treated as having no text layer. */
export const MIN_ALPHANUMERIC_CHARS = 20;

export interface TextQuality {
  alphanumeric: number;
  /** Share of tokens that look like words or numbers, 0..1. */
  wordLikeShare: number;
  usable: boolean;
}

const LATIN_LETTERS = /^[a-zà-öø-ÿ]+$/i;
const VOWELS = /[aeiouyà-öø-ÿ]/i;

/**
 * A token that a reader would recognise: a number, a plausible Latin word, or a run of another
 * script. Null for tokens that say nothing either way (single letters, bare punctuation).
 */
function isWordLike(token: string): boolean | null {
  const core = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  if (core.length === 0) return null;
  if (/^[\p{N}.,:/%$€£-]+$/u.test(core)) return true;
  if (LATIN_LETTERS.test(core)) {
    if (core.length === 1) return null;
    if (core.length > 25) return false;
    // Real words have vowels and do not flip case at random ("tHe" is fine, "hGkTqW" is junk).
    const caseFlips = (core.match(/[a-z][A-Z]/g) ?? []).length;
    return VOWELS.test(core) && caseFlips <= 1;
  }
  // Mixed letters and digits (invoice numbers, dates) and non-Latin scripts are accepted as they are.
  return !/\uFFFD/.test(core);
}

export function measureTextQuality(text: string): TextQuality {
  const alphanumeric = (text.match(/[\p{L}\p{N}]/gu) ?? []).length;
  const verdicts = text
    .split(/\s+/)
    .map(isWordLike)
    .filter((verdict): verdict is boolean => verdict !== null);
  const wordLike = verdicts.filter(Boolean).length;
  const wordLikeShare = verdicts.length === 0 ? 0 : wordLike / verdicts.length;
  const replacementChars = (text.match(/\uFFFD/g) ?? []).length;
  const usable = alphanumeric >= MIN_ALPHANUMERIC_CHARS && wordLikeShare >= 0.5 && replacementChars < Math.max(5, alphanumeric * 0.1);
  return { alphanumeric, wordLikeShare, usable };
}
