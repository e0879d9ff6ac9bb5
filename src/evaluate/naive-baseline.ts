/**
 * The naive zero-shot baseline every report shows beside the engine: TF-IDF cosine between a
 * document's text and each class's name + description, best class wins, never `unknown`.
 */
import type { ClassifierDefinition } from '../core/classifier.js';
import { STOPWORDS, normalizeText } from '../classify/text/normalize-text.js';

function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of normalizeText(text).split(' ')) {
    if (word.length < 2 || STOPWORDS.has(word)) continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}

export function predictBaseline(documentTexts: string[], classifier: ClassifierDefinition): string[] {
  const classTexts = classifier.classes.map(
    (definition) => `${definition.name.replace(/_/g, ' ')} ${definition.description ?? ''} ${(definition.keywords ?? []).join(' ')}`,
  );
  const all = [...documentTexts, ...classTexts].map(termCounts);
  const frequency = new Map<string, number>();
  for (const counts of all) for (const term of counts.keys()) frequency.set(term, (frequency.get(term) ?? 0) + 1);
  const vectorOf = (counts: Map<string, number>) => {
    const vector = new Map<string, number>();
    let norm = 0;
    for (const [term, count] of counts) {
      const weight = (1 + Math.log(count)) * Math.log((1 + all.length) / (1 + (frequency.get(term) ?? 0)) + 1);
      vector.set(term, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [term, weight] of vector) vector.set(term, weight / norm);
    return vector;
  };
  const classVectors = all.slice(documentTexts.length).map(vectorOf);
  return all.slice(0, documentTexts.length).map((counts) => {
    const vector = vectorOf(counts);
    let best = 0;
    let bestScore = -1;
    classVectors.forEach((classVector, index) => {
      let score = 0;
      for (const [term, weight] of vector) score += weight * (classVector.get(term) ?? 0);
      if (score > bestScore) {
        bestScore = score;
        best = index;
      }
    });
    return classifier.classes[best].name;
  });
}
