/**
 * A model's answer → a distribution over the classes plus `unknown`. Where the server returned
 * token log-probabilities, the chosen class gets the probability of its tokens and the runner-up
 * tokens at the class's first token speak for the classes they begin; otherwise the model's own
 * stated confidence goes to its class and the rest is shared. Either way the distribution is then
 * calibrated: flattened by a temperature per source, because both read too sure.
 */
import type { TokenLogprob } from '../../core/ports.js';
import type { LlmAnswer } from './read-llm-answer.js';

export type ConfidenceSource = 'logprobs' | 'stated';

/**
 * Temperatures per source (probabilities raised to 1/T and renormalised). Not fitted: no model
 * server runs where docsort is tested. They are priors from the literature on LLM calibration
 * (verbalised confidences cluster at 0.8–0.95 whatever the accuracy; token probabilities of a
 * constrained answer are sharper still); `docsort eval --engine llm` measures the ECE they give
 * on your own documents.
 */
export const LLM_CALIBRATION = {
  logprobs: 1.5,
  stated: 2,
  /** Stated confidence assumed when a model in JSON mode gives none. */
  missingStated: 0.7,
} as const;

/** Probability floor before calibration, so no class is ruled out entirely by one answer. */
const FLOOR = 1e-4;

export interface AnswerDistribution {
  probabilities: Record<string, number>;
  /** 0..1: that the page starts a new document (split mode); null when not asked. */
  startsNewDocument: number | null;
  source: ConfidenceSource;
}

/** The tokens covering [start, end) of the content, with where the first one starts. */
function tokensOver(logprobs: TokenLogprob[], start: number, end: number): { tokens: TokenLogprob[]; firstStart: number } | null {
  let offset = 0;
  const covered: TokenLogprob[] = [];
  let firstStart = -1;
  for (const token of logprobs) {
    const tokenEnd = offset + token.token.length;
    if (tokenEnd > start && offset < end) {
      if (covered.length === 0) firstStart = offset;
      covered.push(token);
    }
    offset = tokenEnd;
    if (offset >= end) break;
  }
  return covered.length > 0 ? { tokens: covered, firstStart } : null;
}

/** The tokens, joined, must be the content: otherwise offsets mean nothing (a server that returns tokens of another text). */
function tokensSpellContent(logprobs: TokenLogprob[], content: string): boolean {
  return logprobs.map((token) => token.token).join('') === content;
}

function fromLogprobs(answer: LlmAnswer, content: string, logprobs: TokenLogprob[], labels: string[]): Record<string, number> | null {
  if (!answer.classSpan || !tokensSpellContent(logprobs, content)) return null;
  const found = tokensOver(logprobs, answer.classSpan.start, answer.classSpan.end);
  if (!found) return null;
  const probabilities: Record<string, number> = {};
  for (const label of labels) probabilities[label] = 0;
  probabilities[answer.class] = Math.exp(found.tokens.reduce((sum, token) => sum + token.logprob, 0));
  // The alternatives at the first token: a token such as `"inv` stands for the classes it begins.
  const first = found.tokens[0];
  const before = content.slice(found.firstStart, answer.classSpan.start);
  for (const alternative of first.top) {
    if (alternative.token === first.token || !alternative.token.startsWith(before)) continue;
    const prefix = alternative.token.slice(before.length);
    if (prefix === '') continue;
    const classes = labels.filter((label) => label !== answer.class && (label.startsWith(prefix) || prefix.startsWith(`${label}"`)));
    for (const label of classes) probabilities[label] += Math.exp(alternative.logprob) / classes.length;
  }
  return probabilities;
}

function fromStated(answer: LlmAnswer, labels: string[]): Record<string, number> {
  const stated = answer.confidence ?? LLM_CALIBRATION.missingStated;
  const probabilities: Record<string, number> = {};
  for (const label of labels) probabilities[label] = label === answer.class ? stated : (1 - stated) / Math.max(1, labels.length - 1);
  return probabilities;
}

/** Probabilities raised to 1/T and renormalised, after the floor; mass nobody claimed is shared evenly first. */
export function calibrateDistribution(raw: Record<string, number>, temperature: number): Record<string, number> {
  const labels = Object.keys(raw);
  const claimed = labels.reduce((sum, label) => sum + raw[label], 0);
  const unclaimed = Math.max(0, 1 - claimed) / labels.length;
  const powered = labels.map((label) => Math.max(FLOOR, raw[label] + unclaimed) ** (1 / temperature));
  const total = powered.reduce((sum, value) => sum + value, 0);
  const result: Record<string, number> = {};
  labels.forEach((label, index) => {
    result[label] = powered[index] / total;
  });
  return result;
}

function startsFromLogprobs(answer: LlmAnswer, content: string, logprobs: TokenLogprob[] | null): number | null {
  if (answer.startsNewDocument === null) return null;
  const stated = answer.startsNewDocument ? 0.9 : 0.1;
  if (!logprobs || !answer.startsSpan || !tokensSpellContent(logprobs, content)) return stated;
  const found = tokensOver(logprobs, answer.startsSpan.start, answer.startsSpan.end);
  if (!found) return stated;
  const sure = Math.exp(found.tokens[0].logprob);
  return answer.startsNewDocument ? sure : 1 - sure;
}

export function distributeAnswer(
  answer: LlmAnswer,
  content: string,
  logprobs: TokenLogprob[] | null,
  labels: string[],
): AnswerDistribution {
  const fromTokens = logprobs ? fromLogprobs(answer, content, logprobs, labels) : null;
  const source: ConfidenceSource = fromTokens ? 'logprobs' : 'stated';
  const raw = fromTokens ?? fromStated(answer, labels);
  return {
    probabilities: calibrateDistribution(raw, LLM_CALIBRATION[source]),
    startsNewDocument: startsFromLogprobs(answer, content, logprobs),
    source,
  };
}
