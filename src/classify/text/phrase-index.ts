/**
 * Finds many weighted phrases in a page in one pass. Words are matched exactly on text layers
 * and with one edit of slack on OCR pages (SymSpell-style deletion index), so "lnvoice" or
 * "Staternent" still count. CJK phrases are matched as substrings of the spaced-out text.
 */
import { compactCjk, containsCjk, normalizeText } from './normalize-text.js';

export interface PhraseOccurrence {
  /** Index of the phrase as added. */
  phrase: number;
  /** Index of the line it was found on. */
  line: number;
}

interface IndexedPhrase {
  id: number;
  tokens: string[];
}

const FUZZY_MIN_LENGTH = 5;

function deletions(word: string): string[] {
  const result: string[] = [];
  for (let i = 0; i < word.length; i++) result.push(word.slice(0, i) + word.slice(i + 1));
  return result;
}

/** The form a phrase is indexed under: two phrases with the same key are one phrase. */
export function toPhraseKey(text: string): string {
  return containsCjk(text) ? compactCjk(text) : normalizeText(text);
}

export class PhraseIndex {
  private readonly byFirstToken = new Map<string, IndexedPhrase[]>();
  /** CJK phrases by their first character. */
  private readonly cjkPhrases = new Map<string, { id: number; text: string }[]>();
  private readonly vocabulary = new Set<string>();
  /** deletion variant → vocabulary words it came from */
  private readonly deletionIndex = new Map<string, string[]>();
  private readonly phraseIds = new Map<string, number>();
  private readonly correctionCache = new Map<string, string>();
  readonly phrases: string[] = [];

  /** Adds a phrase (any language) and returns its id; the same text always gets the same id. */
  addPhrase(text: string): number {
    const cjk = containsCjk(text);
    const key = toPhraseKey(text);
    const existing = this.phraseIds.get(key);
    if (existing !== undefined) return existing;
    const id = this.phrases.length;
    this.phrases.push(key);
    this.phraseIds.set(key, id);
    if (key.length === 0) return id;
    if (cjk) {
      const first = key[0];
      const list = this.cjkPhrases.get(first) ?? [];
      list.push({ id, text: key });
      this.cjkPhrases.set(first, list);
      return id;
    }
    const tokens = key.split(' ');
    const list = this.byFirstToken.get(tokens[0]) ?? [];
    list.push({ id, tokens });
    this.byFirstToken.set(tokens[0], list);
    for (const token of tokens) this.addVocabulary(token);
    return id;
  }

  private addVocabulary(word: string): void {
    if (this.vocabulary.has(word)) return;
    this.vocabulary.add(word);
    if (word.length < FUZZY_MIN_LENGTH || /\d/.test(word)) return;
    for (const variant of deletions(word)) {
      const list = this.deletionIndex.get(variant) ?? [];
      list.push(word);
      this.deletionIndex.set(variant, list);
    }
  }

  /** The vocabulary word within one edit of `token`, or the token itself. */
  private correct(token: string): string {
    if (token.length < FUZZY_MIN_LENGTH || this.vocabulary.has(token)) return token;
    const cached = this.correctionCache.get(token);
    if (cached !== undefined) return cached;
    let best = token;
    // a letter dropped from the page word, one added, or one replaced
    if (this.deletionIndex.has(token)) best = this.deletionIndex.get(token)![0];
    else {
      for (const variant of deletions(token)) {
        if (this.vocabulary.has(variant) && variant.length >= FUZZY_MIN_LENGTH) {
          best = variant;
          break;
        }
        const words = this.deletionIndex.get(variant);
        if (words) {
          best = words[0];
          break;
        }
      }
    }
    if (this.correctionCache.size > 50_000) this.correctionCache.clear();
    this.correctionCache.set(token, best);
    return best;
  }

  /**
   * Every occurrence of every phrase. `lines` are raw line texts; phrases may run across a line
   * break (OCR often breaks a heading), the occurrence is reported on the line it starts on.
   */
  findPhrases(lines: string[], fuzzy: boolean): PhraseOccurrence[] {
    const tokens: string[] = [];
    const tokenLine: number[] = [];
    const cjkLines: string[] = [];
    lines.forEach((line, lineIndex) => {
      const normalized = normalizeText(line);
      if (normalized.length > 0) {
        for (const token of normalized.split(' ')) {
          tokens.push(fuzzy ? this.correct(token) : token);
          tokenLine.push(lineIndex);
        }
      }
      cjkLines.push(containsCjk(line) ? compactCjk(line) : '');
    });
    const found: PhraseOccurrence[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const candidates = this.byFirstToken.get(tokens[i]);
      if (!candidates) continue;
      for (const candidate of candidates) {
        const length = candidate.tokens.length;
        if (i + length > tokens.length) continue;
        let match = true;
        for (let k = 1; k < length; k++) {
          if (tokens[i + k] !== candidate.tokens[k]) {
            match = false;
            break;
          }
        }
        if (match) found.push({ phrase: candidate.id, line: tokenLine[i] });
      }
    }
    if (this.cjkPhrases.size > 0) {
      cjkLines.forEach((line, lineIndex) => {
        if (line.length === 0) return;
        // Each phrase once per line, wherever it starts.
        const seen = new Set<number>();
        for (let i = 0; i < line.length; i++) {
          const candidates = this.cjkPhrases.get(line[i]);
          if (!candidates) continue;
          for (const phrase of candidates) {
            if (!seen.has(phrase.id) && line.startsWith(phrase.text, i)) {
              seen.add(phrase.id);
              found.push({ phrase: phrase.id, line: lineIndex });
            }
          }
        }
      });
    }
    return found;
  }
}
