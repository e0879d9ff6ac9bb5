/**
 * Text normalisation shared by every matcher: one canonical form so that pack phrases, user
 * words and page text meet regardless of case, accents, punctuation or OCR spacing.
 */

/**
 * Scripts matched as substrings rather than words: Chinese and Japanese (also half-width kana)
 * are written without spaces, Korean attaches particles to words ("계약서를"), Thai has no spaces.
 */
const CJK = /[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff66-\uff9f]/;

/** Accents taken off letters (é → e), case and punctuation kept. */
export function foldAccents(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

/**
 * Lower case, accents folded (é → e, ß → ss), punctuation to spaces except inside words. Only
 * Latin accents are folded: the vowel signs of Devanagari or Thai and the voicing marks of kana
 * are parts of their letters and stay.
 */
export function normalizeText(text: string): string {
  // Most text-layer lines are plain ASCII: skip the Unicode decomposition for them.
  if (/^[\x00-\x7f]*$/.test(text))
    return text
      .toLowerCase()
      .replace(/['`]/g, '')
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  const folded = foldAccents(text)
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[’'`´]/g, '')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim();
  return /\p{M}/u.test(folded) ? folded.normalize('NFC') : folded;
}

/** Words of a normalised text. CJK runs stay whole; they are matched as substrings instead. */
export function tokenizeText(text: string): string[] {
  const normalized = normalizeText(text);
  return normalized.length === 0 ? [] : normalized.split(' ');
}

export function containsCjk(text: string): boolean {
  return CJK.test(text);
}

/** CJK text with all spacing removed, for substring matching of CJK phrases. */
export function compactCjk(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '');
}

/** Character n-grams of a word with boundary marks, for OCR-robust similarity. */
export function charNgrams(word: string, n: number): string[] {
  const padded = ` ${word} `;
  if (padded.length <= n) return [padded];
  const grams: string[] = [];
  for (let i = 0; i + n <= padded.length; i++) grams.push(padded.slice(i, i + n));
  return grams;
}

/** Words that carry no meaning for classification in the languages the pack speaks. */
export const STOPWORDS = new Set(
  (
    'a an the and or of to in on for with by at from as is are was were be been it its this that these those ' +
    'such any each per into about than then there their them they we you your our us he she his her not no ' +
    'can will may must should would could has have had do does did done also only other more most some all ' +
    'one which who whom what when where how why if so but via e g eg etc ' +
    'der die das und oder von zu im in den dem des ein eine einer mit fur auf ist sind ' +
    'le la les et ou de du des un une pour par sur au aux est ' +
    'el los las y o del por para con una uno es en ' +
    'het een en van voor met op is'
  ).split(' '),
);
