/**
 * Phrases a pack type lists again where they already count. The compiled classifier keeps one
 * entry per (phrase, role) and type, with the larger weight, so a repeat adds nothing but
 * doubt to the next edit ("is it counted twice?"). A phrase listed in two roles is no repeat: a
 * title counts on heading lines and a strong phrase anywhere, so "invoice no" may be both.
 */
import type { DocumentType } from '../../src/classify/knowledge/document-type.js';
import { toPhraseKey } from '../../src/classify/text/phrase-index.js';
import { readsNameAsPhrase } from '../../src/classify/engines/compile-classifier.js';

export interface RepeatedPhrase {
  type: string;
  phrase: string;
  /** Where it is listed again, e.g. `strong[27]`. */
  repeat: string;
  /** Where it already counted in the same role, e.g. `names[0]`. */
  first: string;
}

type Role = 'title' | 'heading' | 'phrase';

/** The lists in the order they are compiled, each with the role its phrases take. */
const LISTS: readonly { list: 'names' | 'titles' | 'headings' | 'strong' | 'phrases' | 'weak'; role: Role }[] = [
  { list: 'names', role: 'title' },
  { list: 'titles', role: 'title' },
  { list: 'headings', role: 'heading' },
  { list: 'strong', role: 'phrase' },
  { list: 'phrases', role: 'phrase' },
  { list: 'weak', role: 'phrase' },
];

function findRepeatsInType(type: DocumentType): RepeatedPhrase[] {
  const firstPlace = new Map<string, string>();
  const repeats: RepeatedPhrase[] = [];
  /** Records the phrase's place in a role; true when it already had one. */
  const note = (role: Role, phrase: string, place: string): boolean => {
    const key = `${role} ${toPhraseKey(phrase)}`;
    const first = firstPlace.get(key);
    if (first === undefined) {
      firstPlace.set(key, place);
      return false;
    }
    repeats.push({ type: type.id, phrase, repeat: place, first });
    return true;
  };
  for (const { list, role } of LISTS) {
    (type[list] ?? []).forEach((phrase, index) => {
      const place = `${list}[${index}]`;
      const repeated = note(role, phrase, place);
      // Names also count as strong phrases; a strong, plain or weak listing of them is a repeat.
      if (list === 'names' && !repeated && readsNameAsPhrase(phrase)) note('phrase', phrase, place);
    });
  }
  return repeats;
}

export function findRepeatedPhrases(types: readonly DocumentType[]): RepeatedPhrase[] {
  return types.flatMap(findRepeatsInType);
}
