/** Reasons a person can check, built only from the evidence behind a label. */
import { UNKNOWN } from '../core/classifier.js';
import type { Evidence } from './engine.js';
import type { ExampleReference } from './learned/learned-model.js';

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
  // A model's reading is its own sentence; it is the whole evidence of the llm engine.
  const model = evidence.find((item) => item.kind === 'model');
  if (model) parts.push(model.text);
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
    if (label === UNKNOWN)
      return `No class fits well enough: closest is '${suggested}' (below the ${threshold.toFixed(2)} threshold).${because}`;
    return `No class fits better than '${label}': closest is '${suggested}'.${because}`;
  }
  return explainEvidence(label, evidence);
}

/** Which example, as a person can look it up: "'acme-0042.pdf', run clr_123", "run clr_123", or its place "no. 2 of 'beta'". */
export function identifyExample(example: ExampleReference): string {
  const parts = [example.name ? quote(example.name) : null, example.runId ? `run ${example.runId}` : null].filter((part) => part !== null);
  return parts.length > 0 ? parts.join(', ') : `no. ${example.ordinal} of ${quote(example.class)}`;
}

/**
 * An example named for a reason: "the reviewed example 'acme-0042.pdf' (run clr_123)", "the
 * example 'acme.pdf'", or without a name its place: "example 2 of 'beta'".
 */
export function nameExample(example: ExampleReference): string {
  const kind = example.source === 'review' ? 'the reviewed example' : 'the example';
  const run = example.runId ? ` (run ${example.runId})` : '';
  if (example.name) return `${kind} ${quote(example.name)}${run}`;
  if (example.runId) return `${kind} of run ${example.runId}`;
  return `${example.source === 'review' ? 'reviewed example' : 'example'} ${example.ordinal} of ${quote(example.class)}`;
}

/** "resembles the example 'acme.pdf', 62% alike in wording"; `similarity` is 0..1. */
export function explainResemblance(example: ExampleReference): string {
  return `resembles ${nameExample(example)}, ${Math.round(example.similarity * 100)}% alike in wording`;
}
