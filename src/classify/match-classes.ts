/**
 * Which knowledge-pack types speak for which user class. A class is matched by its name, its
 * keywords and the types its description mentions; each type goes to the class that claims it
 * most strongly, and sub-types follow their parents (a W-2 counts for "tax form"). Types no class
 * claims become evidence for `unknown`: a passport should not be forced into "invoice".
 */
import type { ClassDefinition } from '../core/classifier.js';
import type { DocumentType } from './knowledge/document-type.js';
import { STOPWORDS, normalizeText } from './text/normalize-text.js';

export interface TypeAssignment {
  typeIndex: number;
  classIndex: number;
  strength: number;
  how: 'name' | 'keyword' | 'description' | 'parent' | 'words';
}

export interface ClassMatches {
  /** Per class, the pack types that speak for it. */
  byClass: TypeAssignment[][];
  /** Types no class claims. */
  unclaimed: number[];
  /**
   * Per class, broader types claimed by other classes (a tax form is also a form). Their evidence
   * adds to the narrower class at half weight, so the specific class wins when its own cues show.
   */
  ancestors: number[][];
}

function containsPhrase(haystack: string, needle: string): boolean {
  if (needle.length === 0) return false;
  return ` ${haystack} `.includes(` ${needle} `);
}

function contentWords(text: string): Set<string> {
  return new Set(
    normalizeText(text)
      .split(' ')
      .filter((word) => word.length > 2 && !STOPWORDS.has(word)),
  );
}

/** How strongly one class claims one type, 0 when not at all. */
function measureClaim(definition: ClassDefinition, type: DocumentType): { strength: number; how: TypeAssignment['how'] } {
  const name = normalizeText(definition.name);
  const description = normalizeText(definition.description ?? '');
  const keywords = (definition.keywords ?? []).map(normalizeText);
  const names = type.names.map(normalizeText);
  if (names.includes(name)) return { strength: 1, how: 'name' };
  if (keywords.some((keyword) => names.includes(keyword))) return { strength: 0.9, how: 'keyword' };
  // A name inside the class name: "insurance card" in "health insurance card".
  if (names.some((typeName) => typeName.length >= 4 && containsPhrase(name, typeName))) return { strength: 0.85, how: 'name' };
  if (names.some((typeName) => (typeName.length >= 5 || typeName.includes(' ')) && containsPhrase(description, typeName))) {
    return { strength: 0.7, how: 'description' };
  }
  // The class name inside a type name: "insurance" in "insurance policy".
  if (name.length >= 4 && names.some((typeName) => containsPhrase(typeName, name))) return { strength: 0.45, how: 'name' };
  // Shared words between the class and the type's own description.
  const classWords = contentWords(`${definition.name} ${definition.description ?? ''} ${(definition.keywords ?? []).join(' ')}`);
  const typeWords = contentWords(`${type.names.slice(0, 3).join(' ')} ${type.description}`);
  let shared = 0;
  for (const word of classWords) if (typeWords.has(word)) shared++;
  const overlap = shared / Math.max(1, Math.min(classWords.size, typeWords.size));
  if (overlap >= 0.5 && shared >= 3) return { strength: 0.4 * overlap, how: 'words' };
  return { strength: 0, how: 'words' };
}

export function matchClassesToTypes(classes: ClassDefinition[], types: readonly DocumentType[], catchAll: boolean[]): ClassMatches {
  const byClass: TypeAssignment[][] = classes.map(() => []);
  const direct = new Map<string, TypeAssignment[]>();
  types.forEach((type, typeIndex) => {
    let best = 0;
    const claims: TypeAssignment[] = [];
    classes.forEach((definition, classIndex) => {
      if (catchAll[classIndex]) return;
      const claim = measureClaim(definition, type);
      if (claim.strength <= 0) return;
      claims.push({ typeIndex, classIndex, strength: claim.strength, how: claim.how });
      best = Math.max(best, claim.strength);
    });
    const winners = claims.filter((claim) => claim.strength >= best - 0.05 && claim.strength >= 0.3);
    if (winners.length > 0) direct.set(type.id, winners);
  });

  const unclaimed: number[] = [];
  const byId = new Map(types.map((type, index) => [type.id, index]));
  types.forEach((type, typeIndex) => {
    const own = direct.get(type.id);
    if (own?.some((claim) => claim.strength >= 0.5)) {
      for (const claim of own) byClass[claim.classIndex].push(claim);
      return;
    }
    // Inherit through the nearest claimed parent, a little weaker than a direct claim.
    const seen = new Set<string>();
    const queue = [...(type.parents ?? [])];
    while (queue.length > 0) {
      const parentId = queue.shift()!;
      if (seen.has(parentId)) continue;
      seen.add(parentId);
      const parentClaims = direct.get(parentId);
      if (parentClaims?.some((claim) => claim.strength >= 0.5)) {
        for (const claim of parentClaims) {
          byClass[claim.classIndex].push({ typeIndex, classIndex: claim.classIndex, strength: claim.strength * 0.8, how: 'parent' });
        }
        return;
      }
      const parentIndex = byId.get(parentId);
      if (parentIndex !== undefined) queue.push(...(types[parentIndex].parents ?? []));
    }
    if (own) {
      for (const claim of own) byClass[claim.classIndex].push(claim);
      return;
    }
    unclaimed.push(typeIndex);
  });

  const ancestors: number[][] = classes.map(() => []);
  byClass.forEach((claims, classIndex) => {
    const found = new Set<number>();
    for (const claim of claims) {
      if (claim.how === 'parent' || claim.strength < 0.7) continue;
      const queue = [...(types[claim.typeIndex].parents ?? [])];
      while (queue.length > 0) {
        const parentIndex = byId.get(queue.shift()!);
        if (parentIndex === undefined || found.has(parentIndex)) continue;
        const owners = direct.get(types[parentIndex].id);
        if (owners?.some((owner) => owner.classIndex !== classIndex && owner.strength >= 0.7)) found.add(parentIndex);
        queue.push(...(types[parentIndex].parents ?? []));
      }
    }
    ancestors[classIndex] = [...found];
  });
  return { byClass, unclaimed, ancestors };
}
