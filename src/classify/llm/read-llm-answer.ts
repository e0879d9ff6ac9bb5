/**
 * A model's answer checked against what was asked: JSON, a class the classifier has (or
 * `unknown`), a confidence in 0..1, a reason, and in split mode whether the page starts a new
 * document. Servers without schema support answer in JSON mode, and small models wrap JSON in
 * prose or code fences, so the first JSON object in the text is what is read.
 */
import { UNKNOWN } from '../../core/classifier.js';

export interface LlmAnswer {
  class: string;
  /** As the model stated it, 0..1 (null when it gave none in JSON mode). */
  confidence: number | null;
  reason: string;
  startsNewDocument: boolean | null;
  /** Where in `content` the class value starts and ends (inside the quotes), to find its tokens. */
  classSpan: { start: number; end: number } | null;
  /** Where the starts_new_document value (true/false) starts. */
  startsSpan: { start: number; end: number } | null;
}

export type ReadAnswer = { ok: true; answer: LlmAnswer } | { ok: false; problem: string };

/** The first balanced `{…}` in the text, outside strings. */
function findJsonObject(content: string): { text: string; offset: number } | null {
  const start = content.indexOf('{');
  if (start < 0) return null;
  let depth = 0;
  let inString = false;
  for (let i = start; i < content.length; i++) {
    const char = content[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return { text: content.slice(start, i + 1), offset: start };
  }
  return null;
}

/** Where a top-level string or literal field's value sits in the JSON text. */
function locateValue(json: string, offset: number, field: string): { start: number; end: number } | null {
  const match = new RegExp(`"${field}"\\s*:\\s*("?)`).exec(json);
  if (!match) return null;
  const start = match.index + match[0].length;
  const end = match[1] === '"' ? json.indexOf('"', start) : start + (/^(true|false)/.exec(json.slice(start))?.[0].length ?? 0);
  return end > start ? { start: offset + start, end: offset + end } : null;
}

export function readLlmAnswer(content: string, classNames: string[], boundary: boolean): ReadAnswer {
  const found = findJsonObject(content);
  if (!found) return { ok: false, problem: 'it holds no JSON object' };
  let value: unknown;
  try {
    value = JSON.parse(found.text);
  } catch (error) {
    return { ok: false, problem: `it is not valid JSON (${(error as Error).message})` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, problem: 'it is not a JSON object' };
  const record = value as Record<string, unknown>;
  const labels = [...classNames, UNKNOWN];
  if (typeof record.class !== 'string') return { ok: false, problem: `"class" must be one of ${JSON.stringify(labels)}` };
  // A model that changes the case of a class name still named it.
  const label =
    labels.find((name) => name === record.class) ?? labels.find((name) => name.toLowerCase() === String(record.class).trim().toLowerCase());
  if (!label) return { ok: false, problem: `"class" is "${record.class}", which is not one of ${JSON.stringify(labels)}` };
  let confidence: number | null = null;
  if (record.confidence !== undefined && record.confidence !== null) {
    const number = typeof record.confidence === 'string' ? Number(record.confidence) : record.confidence;
    if (typeof number !== 'number' || !Number.isFinite(number) || number < 0 || number > 1)
      return { ok: false, problem: `"confidence" must be a number from 0 to 1 (got ${JSON.stringify(record.confidence)})` };
    confidence = number;
  }
  let startsNewDocument: boolean | null = null;
  if (boundary) {
    if (typeof record.starts_new_document !== 'boolean') return { ok: false, problem: '"starts_new_document" must be true or false' };
    startsNewDocument = record.starts_new_document;
  }
  return {
    ok: true,
    answer: {
      class: label,
      confidence,
      reason: typeof record.reason === 'string' ? record.reason.trim().slice(0, 500) : '',
      startsNewDocument,
      classSpan: locateValue(found.text, found.offset, 'class'),
      startsSpan: boundary ? locateValue(found.text, found.offset, 'starts_new_document') : null,
    },
  };
}
