/**
 * One question to the model server and a usable answer back: the schema-constrained call, the
 * answer read and checked, and where it cannot be used, one corrective turn naming the problem.
 * An answer that fails twice fails the run with `model_output_invalid` (PARSING_ERROR).
 */
import { UNKNOWN, type ClassifierDefinition } from '../../core/classifier.js';
import { AppError } from '../../core/errors.js';
import type { ChatModel } from '../../core/ports.js';
import { distributeAnswer, type ConfidenceSource } from './llm-confidence.js';
import { ANSWER_MAX_TOKENS, buildAnswerSchema, buildCorrection, buildMessages, type Question } from './llm-prompt.js';
import { readLlmAnswer } from './read-llm-answer.js';

export interface ModelReading {
  probabilities: Record<string, number>;
  startsNewDocument: number | null;
  class: string;
  reason: string;
  source: ConfidenceSource;
  calls: number;
  inputTokens: number;
  outputTokens: number;
}

export async function askModel(
  chat: ChatModel,
  model: string,
  classifier: ClassifierDefinition,
  question: Question,
  images: Buffer[] = [],
): Promise<ModelReading> {
  const boundary = question.kind === 'page' && question.boundary;
  const classNames = classifier.classes.map((definition) => definition.name);
  const labels = [...classNames, UNKNOWN];
  const schema = buildAnswerSchema(classifier, boundary);
  const messages = buildMessages(classifier, question, chat.maxInputTokens, images);
  let calls = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let firstProblem = '';
  let firstContent = '';
  for (let turn = 0; turn < 2; turn++) {
    const answer = await chat.complete({ model, messages, schema, maxTokens: ANSWER_MAX_TOKENS });
    calls++;
    inputTokens += answer.inputTokens;
    outputTokens += answer.outputTokens;
    const read = readLlmAnswer(answer.content, classNames, boundary);
    if (read.ok) {
      const distribution = distributeAnswer(read.answer, answer.content, answer.logprobs, labels);
      return {
        probabilities: distribution.probabilities,
        startsNewDocument: distribution.startsNewDocument,
        class: read.answer.class,
        reason: read.answer.reason,
        source: distribution.source,
        calls,
        inputTokens,
        outputTokens,
      };
    }
    if (turn === 0) {
      firstProblem = read.problem;
      firstContent = answer.content;
    }
    messages.push(...buildCorrection(answer.content, read.problem));
  }
  throw new AppError(
    'model_output_invalid',
    `The model "${model}" at ${chat.server} did not answer with a usable classification, also after being told why (${firstProblem}); its first answer began "${firstContent.slice(0, 120)}".`,
  );
}
