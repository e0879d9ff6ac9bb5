/**
 * Turns a classifier definition into what the builtin engine scores with: one phrase index over
 * the pack types that matter and the classes' own words, and the map from phrases to classes.
 * Compiling costs a few milliseconds, so compiled classifiers are kept by definition.
 */
import type { ClassifierDefinition } from '../../core/classifier.js';
import { isCatchAllClass } from '../catch-all.js';
import type { DocumentType, LayoutCue } from '../knowledge/document-type.js';
import { DOCUMENT_TYPES } from '../knowledge/document-types.js';
import { matchClassesToTypes, type ClassMatches } from '../match-classes.js';
import { STOPWORDS, normalizeText } from '../text/normalize-text.js';
import { PhraseIndex } from '../text/phrase-index.js';

/** Who a phrase speaks for: a pack type (index ≥ 0) or a class's own words (-1 - classIndex). */
export interface PhraseTarget {
  target: number;
  kind: 'title' | 'heading' | 'phrase';
  weight: number;
}

export interface CompiledClassifier {
  classNames: string[];
  catchAll: boolean[];
  types: readonly DocumentType[];
  matches: ClassMatches;
  index: PhraseIndex;
  targets: PhraseTarget[][];
  typeCues: [LayoutCue, number][][];
  /** Per type, the cues its evidence needs (see `DocumentType.requires`), or null. */
  typeRequires: ({ cues: [LayoutCue, number][]; floor: number } | null)[];
}

export const PHRASE_WEIGHTS = { strong: 3, phrases: 1.5, weak: 0.5, title: 7, heading: 2.5 } as const;
const OWN_NAME_WEIGHT = 3;
const OWN_KEYWORD_WEIGHT = 2.5;
const OWN_DESCRIPTION_WEIGHT = 0.4;

/** Singular and plural of the last word, so "ingredient" finds "Ingredients" (English and most Latin-script plurals). */
function inflect(phrase: string): string[] {
  if (phrase.length < 4 || /[^a-z0-9 ]/.test(phrase)) return [phrase];
  if (phrase.endsWith('ies')) return [phrase, `${phrase.slice(0, -3)}y`];
  if (phrase.endsWith('s')) return [phrase, phrase.slice(0, -1)];
  if (phrase.endsWith('y')) return [phrase, `${phrase.slice(0, -1)}ies`, `${phrase}s`];
  return [phrase, `${phrase}s`];
}

/** Longer phrases are rarer by chance: "amount due" says more than "amount" and "due". */
function specificity(normalizedPhrase: string): number {
  if (/[^\x00-\x7f]/.test(normalizedPhrase) && !normalizedPhrase.includes(' ')) return normalizedPhrase.length >= 3 ? 1 : 0.6;
  const tokens = normalizedPhrase.split(' ').length;
  // Two-letter words ("cc", "re") turn up in any OCR noise.
  if (tokens === 1 && normalizedPhrase.length <= 2) return 0.25;
  return tokens === 1 ? 0.6 : tokens === 2 ? 1 : 1.3;
}

export function ownTarget(classIndex: number): number {
  return -1 - classIndex;
}

function addTarget(compiled: CompiledClassifier, phrase: string, target: PhraseTarget): void {
  if (normalizeText(phrase).length === 0 && !/[^\x00-\x7f]/.test(phrase)) return;
  const id = compiled.index.addPhrase(phrase);
  while (compiled.targets.length <= id) compiled.targets.push([]);
  const list = compiled.targets[id];
  if (target.kind === 'phrase') target = { ...target, weight: target.weight * specificity(compiled.index.phrases[id]) };
  const existing = list.find((entry) => entry.target === target.target && entry.kind === target.kind);
  if (existing) existing.weight = Math.max(existing.weight, target.weight);
  else list.push(target);
}

/**
 * A one-word type name that, with accents folded, is a function word of some language the pack
 * speaks ("thèse" reads as English "these"): it would fire on ordinary prose, so it is dropped.
 */
function isFunctionWord(phrase: string): boolean {
  const normalized = normalizeText(phrase);
  return !normalized.includes(' ') && STOPWORDS.has(normalized);
}

/** A type's name in running text is good evidence too ("this invoice", "your statement"), unless it is short or a function word. */
export function readsNameAsPhrase(name: string): boolean {
  return normalizeText(name).length >= 4 && !isFunctionWord(name);
}

export function compileClassifier(classifier: ClassifierDefinition, types: readonly DocumentType[] = DOCUMENT_TYPES): CompiledClassifier {
  const classNames = classifier.classes.map((definition) => definition.name);
  const catchAll = classifier.classes.map((definition) => isCatchAllClass(definition.name));
  const matches = matchClassesToTypes(classifier.classes, types, catchAll);
  const compiled: CompiledClassifier = {
    classNames,
    catchAll,
    types,
    matches,
    index: new PhraseIndex(),
    targets: [],
    typeCues: types.map((type) => Object.entries(type.cues ?? {}) as [LayoutCue, number][]),
    typeRequires: types.map((type) =>
      type.requires ? { cues: Object.entries(type.requires.cues) as [LayoutCue, number][], floor: type.requires.floor } : null,
    ),
  };
  types.forEach((type, typeIndex) => {
    // Names are also read as titles, so a name that is a function word would title prose.
    const addName = (phrase: string, target: PhraseTarget) => {
      if (!isFunctionWord(phrase)) addTarget(compiled, phrase, target);
    };
    for (const phrase of [...type.names, ...(type.titles ?? [])]) {
      addName(phrase, { target: typeIndex, kind: 'title', weight: PHRASE_WEIGHTS.title });
    }
    for (const phrase of type.headings ?? [])
      addTarget(compiled, phrase, { target: typeIndex, kind: 'heading', weight: PHRASE_WEIGHTS.heading });
    for (const phrase of type.strong ?? [])
      addTarget(compiled, phrase, { target: typeIndex, kind: 'phrase', weight: PHRASE_WEIGHTS.strong });
    for (const phrase of type.phrases ?? [])
      addTarget(compiled, phrase, { target: typeIndex, kind: 'phrase', weight: PHRASE_WEIGHTS.phrases });
    for (const phrase of type.weak ?? []) addTarget(compiled, phrase, { target: typeIndex, kind: 'phrase', weight: PHRASE_WEIGHTS.weak });
    for (const phrase of type.names) {
      if (readsNameAsPhrase(phrase)) addTarget(compiled, phrase, { target: typeIndex, kind: 'phrase', weight: PHRASE_WEIGHTS.strong });
    }
  });
  classifier.classes.forEach((definition, classIndex) => {
    if (catchAll[classIndex]) return;
    const target = ownTarget(classIndex);
    // Known to the pack by its name or keywords; a type merely mentioned in the description is not enough.
    const knownToPack = matches.byClass[classIndex].some(
      (claim) => claim.strength >= 0.85 && (claim.how === 'name' || claim.how === 'keyword'),
    );
    addTarget(compiled, definition.name, { target, kind: 'title', weight: PHRASE_WEIGHTS.title });
    addTarget(compiled, definition.name, { target, kind: 'phrase', weight: OWN_NAME_WEIGHT });
    for (const keyword of definition.keywords ?? []) {
      addTarget(compiled, keyword, { target, kind: 'phrase', weight: OWN_KEYWORD_WEIGHT });
      addTarget(compiled, keyword, { target, kind: 'title', weight: PHRASE_WEIGHTS.title * 0.8 });
    }
    // A class the pack does not know has only its own words: they count for much more then.
    const descriptionWeight = knownToPack ? OWN_DESCRIPTION_WEIGHT * 0.5 : OWN_DESCRIPTION_WEIGHT * 6;
    const words = new Set(
      normalizeText(definition.description ?? '')
        .split(' ')
        .filter((word) => word.length > 3 && !STOPWORDS.has(word)),
    );
    for (const word of words) {
      for (const variant of inflect(word)) {
        addTarget(compiled, variant, { target, kind: 'phrase', weight: descriptionWeight });
        // A described part standing alone as a heading ("Ingredients") is strong evidence.
        if (!knownToPack) addTarget(compiled, variant, { target, kind: 'heading', weight: PHRASE_WEIGHTS.heading });
      }
    }
    if (!knownToPack) {
      for (const keyword of definition.keywords ?? [])
        for (const variant of inflect(normalizeText(keyword))) {
          addTarget(compiled, variant, { target, kind: 'phrase', weight: OWN_KEYWORD_WEIGHT });
        }
      for (const variant of inflect(normalizeText(definition.name))) {
        addTarget(compiled, variant, { target, kind: 'phrase', weight: OWN_NAME_WEIGHT * 1.3 });
        addTarget(compiled, variant, { target, kind: 'title', weight: PHRASE_WEIGHTS.title });
      }
    }
  });
  return compiled;
}

const compiledCache = new Map<string, CompiledClassifier>();
const compiledByObject = new WeakMap<object, CompiledClassifier>();

/** The compiled form of a classifier, built once per distinct definition. */
export function getCompiledClassifier(classifier: ClassifierDefinition): CompiledClassifier {
  const known = compiledByObject.get(classifier.classes);
  if (known) return known;
  const key = JSON.stringify(classifier.classes);
  let compiled = compiledCache.get(key);
  if (!compiled) {
    compiled = compileClassifier(classifier);
    if (compiledCache.size >= 64) compiledCache.delete(compiledCache.keys().next().value!);
    compiledCache.set(key, compiled);
  }
  compiledByObject.set(classifier.classes, compiled);
  return compiled;
}
