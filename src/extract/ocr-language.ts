/**
 * Which language model should read a page, judged from a first reading: the common short words
 * of each Latin-script language (an English model reads "und", "der", "les" fine), and how much
 * of a reading is in Chinese, Japanese or Korean script.
 */
import type { OcrLanguage } from './ocr-engine.js';

/**
 * The most frequent function words of each language, lower case without accents (an English
 * model often drops or misreads accents), two letters or more: single letters are what OCR makes of
 * specks. A word shared by several languages counts for each
 * a share inversely proportional to how many.
 */
const FUNCTION_WORDS: Record<Exclude<OcrLanguage, 'chi_sim' | 'jpn' | 'kor'>, string> = {
  eng: 'the and of to in is for that with on are this be by at from as or your you it was we have not an will our no do so if he me us up all one',
  deu: 'der die das und ist nicht mit von den dem des zu fur auf ein eine einer eines im sich auch werden wird bei oder nach aus uber sie wir ihr unter zum zur sind bitte vom wie nur noch',
  fra: 'de le la les des et du en un une est pour dans que qui sur au aux par pas ne vous nous avec sont ce cette ou ete votre vos leur sa ses',
  spa: 'de el la los las del que en un una por para con es se su al como mas pero sus lo le usted esta este',
  ita: 'il la di che del della dei delle per con un una sono non le gli alla nel al da si lo questo questa anche',
  por: 'de os as do da dos das que em um uma para com nao por se no na ao pelo pela seu sua voce este esta',
  nld: 'de het een van en is dat op te in voor met niet zijn aan er bij ook als om uw wij wordt worden naar',
  ces: 'se na je ze do pro jako ale jsou byl byla od po za ke nebo ktery ktera take jeho pri podle jsme bude',
};

/** Letters only some of these languages write; a page that keeps them says which. */
const DIACRITICS: Array<[RegExp, OcrLanguage]> = [
  [/[äöüß]/iu, 'deu'],
  [/[èêàçœë]/iu, 'fra'],
  [/[ñ¿¡]/iu, 'spa'],
  [/[ãõ]/iu, 'por'],
  [/[ěščřžůň]/iu, 'ces'],
];

const WEIGHTS = new Map<string, Map<OcrLanguage, number>>();
for (const [language, words] of Object.entries(FUNCTION_WORDS) as Array<[OcrLanguage, string]>) {
  for (const word of words.split(' ')) {
    const entry = WEIGHTS.get(word) ?? new Map<OcrLanguage, number>();
    entry.set(language, 1);
    WEIGHTS.set(word, entry);
  }
}
for (const entry of WEIGHTS.values()) for (const language of entry.keys()) entry.set(language, 1 / entry.size);

/** Function-word evidence a language needs before its model is tried on the page. */
const MIN_EVIDENCE = 4;
/** …and how far it must lead English, so that an English page quoting a few words stays English. */
const LEAD_OVER_ENGLISH = 2;

function fold(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** Function-word (and accent) evidence per Latin-script language in a reading's words. */
export function scoreLatinLanguages(words: readonly string[]): Map<OcrLanguage, number> {
  const scores = new Map<OcrLanguage, number>();
  const add = (language: OcrLanguage, amount: number) => scores.set(language, (scores.get(language) ?? 0) + amount);
  for (const word of words) {
    const bare = fold(word.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ''));
    const entry = WEIGHTS.get(bare);
    if (entry) for (const [language, weight] of entry) add(language, weight);
    for (const [pattern, language] of DIACRITICS) if (pattern.test(word)) add(language, 0.5);
  }
  return scores;
}

/**
 * The Latin-script language other than English that a reading is clearly in, or null: the one
 * with the most evidence, when it has enough and well more than English.
 */
export function detectLatinLanguage(words: readonly string[]): OcrLanguage | null {
  const scores = scoreLatinLanguages(words);
  const english = scores.get('eng') ?? 0;
  let best: OcrLanguage | null = null;
  let bestScore = 0;
  for (const [language, score] of scores) {
    if (language !== 'eng' && score > bestScore) [best, bestScore] = [language, score];
  }
  return best && bestScore >= MIN_EVIDENCE && bestScore >= LEAD_OVER_ENGLISH * english ? best : null;
}

const HAN = /\p{Script=Han}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HANGUL = /\p{Script=Hangul}/u;

/** Share of a text's non-space characters in Chinese, Japanese or Korean script. */
export function cjkShare(text: string): number {
  let cjk = 0;
  let total = 0;
  for (const char of text) {
    if (/\s/.test(char)) continue;
    total++;
    if (HAN.test(char) || KANA.test(char) || HANGUL.test(char)) cjk++;
  }
  return total === 0 ? 0 : cjk / total;
}
