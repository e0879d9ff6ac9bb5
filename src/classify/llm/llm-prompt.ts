/**
 * What docsort asks a model: the answer's JSON schema (the class an enum of the classifier's
 * classes plus `unknown`) and the messages, with page texts cut to the call's token budget.
 */
import { UNKNOWN, type ClassifierDefinition } from '../../core/classifier.js';
import type { ChatContent, ChatMessage } from '../../core/ports.js';

/** Tokens are estimated from characters: about four per token in the languages the corpus holds. */
export const CHARS_PER_TOKEN = 4;

/** Tokens the answer may take: a class, a confidence, a sentence of reason and a flag. */
export const ANSWER_MAX_TOKENS = 300;

/** What one question is about: the whole document, or one page (page mode) that may also open a document (split mode). */
export type Question =
  | { kind: 'document'; pageTexts: string[] }
  | { kind: 'page'; text: string; previous: string | null; next: string | null; pageNumber: number; pageCount: number; boundary: boolean };

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** The answer's JSON schema. `class` comes first, so its tokens (and their log-probabilities) are not conditioned on the reason. */
export function buildAnswerSchema(classifier: ClassifierDefinition, boundary: boolean): { name: string; schema: Record<string, unknown> } {
  const properties: Record<string, unknown> = {
    class: { type: 'string', enum: [...classifier.classes.map((definition) => definition.name), UNKNOWN] },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    reason: { type: 'string' },
  };
  if (boundary) properties.starts_new_document = { type: 'boolean' };
  return {
    name: boundary ? 'page_classification' : 'classification',
    schema: { type: 'object', properties, required: Object.keys(properties), additionalProperties: false },
  };
}

function describeClasses(classifier: ClassifierDefinition): string {
  return classifier.classes
    .map((definition) => {
      const keywords = definition.keywords?.length ? ` (keywords: ${definition.keywords.join(', ')})` : '';
      return `- ${definition.name}${definition.description ? `: ${definition.description}` : ''}${keywords}`;
    })
    .join('\n');
}

function buildSystemPrompt(classifier: ClassifierDefinition, question: Question): string {
  const subject = question.kind === 'document' ? 'the document' : 'the page marked for classification';
  const lines = [
    `You classify documents. Give ${subject} exactly one of these classes:`,
    describeClasses(classifier),
    `- ${UNKNOWN}: none of the classes above fits`,
    '',
    'Answer with only a JSON object:',
    `{"class": one of ${JSON.stringify([...classifier.classes.map((definition) => definition.name), UNKNOWN])}, "confidence": your probability from 0 to 1 that the class is right, "reason": one short sentence naming what in the text decided it${
      question.kind === 'page' && question.boundary
        ? ', "starts_new_document": true when this page begins a new document rather than continuing the one on the page before'
        : ''
    }}`,
  ];
  if (classifier.description) lines.splice(1, 0, `The documents come from: ${classifier.description}`);
  return lines.join('\n');
}

/**
 * Cuts texts to fit `budget` characters together: each keeps what it has up to an equal share,
 * and the share a short text leaves is given to the longer ones.
 */
export function fitTexts(texts: string[], budget: number): string[] {
  const limits = texts.map(() => 0);
  let left = Math.max(0, budget);
  let open = texts.map((_, index) => index);
  while (open.length > 0 && left > 0) {
    const share = Math.floor(left / open.length);
    if (share === 0) break;
    const still: number[] = [];
    for (const index of open) {
      const wanted = texts[index].length - limits[index];
      const given = Math.min(wanted, share);
      limits[index] += given;
      left -= given;
      if (texts[index].length > limits[index]) still.push(index);
    }
    open = still;
  }
  return texts.map((text, index) => (text.length > limits[index] ? `${text.slice(0, limits[index])} […]` : text));
}

function buildUserText(question: Question, budgetChars: number): string {
  if (question.kind === 'document') {
    const texts = fitTexts(question.pageTexts, budgetChars);
    const pages = texts.map((text, index) => `--- page ${index + 1} of ${texts.length} ---\n${text.trim() || '(no text)'}`);
    return `Classify this document (text as extracted):\n\n${pages.join('\n\n')}`;
  }
  // The page itself gets most of the budget; each neighbour, context only, at most a fifth.
  const contextBudget = Math.floor(budgetChars * 0.2);
  const [context1] = fitTexts([question.previous ?? ''], contextBudget);
  const [context2] = fitTexts([question.next ?? ''], contextBudget);
  const [own] = fitTexts([question.text], budgetChars - context1.length - context2.length);
  const parts = [`Classify page ${question.pageNumber} of ${question.pageCount} (text as extracted).`];
  if (question.previous !== null) parts.push(`--- page ${question.pageNumber - 1} (context only) ---\n${context1.trim() || '(no text)'}`);
  parts.push(`--- page ${question.pageNumber} (classify this page) ---\n${own.trim() || '(no text)'}`);
  if (question.next !== null) parts.push(`--- page ${question.pageNumber + 1} (context only) ---\n${context2.trim() || '(no text)'}`);
  return parts.join('\n\n');
}

/**
 * The messages of one question. `maxInputTokens` bounds the whole input: the system prompt is
 * counted first and the page texts get what is left (page images, when sent, are not counted:
 * servers price them apart).
 */
export function buildMessages(
  classifier: ClassifierDefinition,
  question: Question,
  maxInputTokens: number,
  images: Buffer[] = [],
): ChatMessage[] {
  const system = buildSystemPrompt(classifier, question);
  // Headers and page separators around the texts.
  const overhead = estimateTokens(system) + 60;
  const budgetChars = Math.max(200, (maxInputTokens - overhead) * CHARS_PER_TOKEN);
  const text = buildUserText(question, budgetChars);
  const content: ChatContent =
    images.length === 0
      ? text
      : [
          { type: 'text', text },
          ...images.map((image) => ({
            type: 'image_url' as const,
            image_url: { url: `data:image/png;base64,${image.toString('base64')}` },
          })),
        ];
  return [
    { role: 'system', content: system },
    { role: 'user', content },
  ];
}

/** The corrective turn after an answer that could not be used. */
export function buildCorrection(answer: string, problem: string): ChatMessage[] {
  return [
    { role: 'assistant', content: answer.slice(0, 2000) },
    { role: 'user', content: `That answer cannot be used: ${problem}. Answer again with only the JSON object described, nothing else.` },
  ];
}
