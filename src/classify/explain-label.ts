/** Reasons a person can check, built only from the evidence behind a label. */
import { UNKNOWN } from '../core/classifier.js';
import type { Evidence } from './engine.js';

function quote(text: string): string {
  return `'${text}'`;
}

function listOf(items: string[]): string {
  return items.map(quote).join(', ');
}

export function explainEvidence(label: string, evidence: Evidence[]): string {
  const parts: string[] = [];
  const titles = evidence.filter((item) => item.kind === 'title').map((item) => item.text);
  const phrases = evidence.filter((item) => item.kind === 'phrase' || item.kind === 'words').map((item) => item.text);
  const layout = evidence.filter((item) => item.kind === 'layout').map((item) => item.text);
  const examples = evidence.filter((item) => item.kind === 'example').map((item) => item.text);
  // A document that repeats an example is decided by it, so that comes first.
  const repeat = evidence.find((item) => item.kind === 'repeat');
  if (repeat) parts.push(repeat.text);
  if (titles.length > 0) parts.push(`Title ${quote(titles[0])}`);
  if (phrases.length > 0) parts.push(`phrases ${listOf(phrases.slice(0, 4))}`);
  if (layout.length > 0) parts.push(`layout: ${layout.slice(0, 2).join(', ')}`);
  if (examples.length > 0) parts.push(examples[0]);
  if (parts.length === 0) return `Weak evidence for '${label}'.`;
  const sentence = parts.join('; ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1) + '.';
}

/**
 * `suggested` is set for a rejection: the answer is `unknown` or the classifier's catch-all class,
 * and `evidence` is the closest class's.
 */
export function explainLabel(label: string, suggested: string | null, evidence: Evidence[], threshold: number): string {
  if (label === UNKNOWN && !suggested) return 'Nothing readable to classify.';
  if (suggested) {
    const because = evidence.length > 0 ? ` ${explainEvidence(suggested, evidence)}` : '';
    if (label === UNKNOWN) return `No class fits well enough: closest is '${suggested}' (below the ${threshold.toFixed(2)} threshold).${because}`;
    return `No class fits better than '${label}': closest is '${suggested}'.${because}`;
  }
  return explainEvidence(label, evidence);
}
