/**
 * A protocol stand-in for a model server: a loopback HTTP server that speaks the chat-completions
 * protocol as OpenAI and Ollama document it (`POST /v1/chat/completions`, `choices[0].message`,
 * `logprobs.content[]` with `top_logprobs`, `usage`, error bodies `{ error: { message } }`). It is
 * not a model: each test scripts its answers (a class, JSON mode, log-probabilities, 429, 500, a
 * slow answer, malformed JSON) and reads back exactly what docsort sent.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What docsort sent, as the stand-in received it. */
export interface SentRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: the request body as docsort sent it, read field by field in assertions
  body: any;
  /** The text of every message, joined: what the model would read. */
  text: string;
}

export interface StandInReply {
  status?: number;
  /** A JSON body; `raw` sends text as it is. */
  json?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (a slow model). */
  delayMs?: number;
}

export type StandInHandler = (request: SentRequest, index: number) => StandInReply | Promise<StandInReply>;

export interface ChatCompletionsStandIn {
  /** The base URL to give docsort as LLM_BASE_URL (ends in /v1). */
  baseUrl: string;
  requests: SentRequest[];
  /** Sets how the next requests are answered. */
  answerWith(handler: StandInHandler): void;
  close(): Promise<void>;
}

/** Splits text into tokens the way a BPE tokenizer roughly does: short runs, punctuation apart. */
export function tokenize(text: string): string[] {
  return text.match(/\s+|[{}":,[\]]|[^\s{}":,[\]]{1,4}/g) ?? [];
}

export interface CompletionOptions {
  /** Attach log-probabilities: each token gets `logprob` 0 (certain) unless `tokenLogprob` says otherwise. */
  logprobs?: boolean;
  /** Per token: its logprob and alternatives, e.g. to give the class token a runner-up. */
  tokenLogprob?: (token: string, index: number) => { logprob: number; top?: Array<{ token: string; logprob: number }> } | undefined;
  promptTokens?: number;
  completionTokens?: number;
  model?: string;
}

/** A chat completion as OpenAI answers one. */
export function completion(content: string, options: CompletionOptions = {}): unknown {
  const tokens = tokenize(content);
  const logprobs = options.logprobs
    ? {
        content: tokens.map((token, index) => {
          const given = options.tokenLogprob?.(token, index);
          const logprob = given?.logprob ?? 0;
          return { token, logprob, bytes: [...Buffer.from(token)], top_logprobs: [{ token, logprob }, ...(given?.top ?? [])] };
        }),
      }
    : null;
  return {
    id: 'chatcmpl-stand-in',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: options.model ?? 'stand-in',
    choices: [{ index: 0, message: { role: 'assistant', content }, logprobs, finish_reason: 'stop' }],
    usage: {
      prompt_tokens: options.promptTokens ?? 100,
      completion_tokens: options.completionTokens ?? tokens.length,
      total_tokens: (options.promptTokens ?? 100) + (options.completionTokens ?? tokens.length),
    },
  };
}

/** The answer JSON docsort asks for. */
export function answer(fields: { class: string; confidence?: number; reason?: string; starts_new_document?: boolean }): string {
  const { class: label, ...rest } = fields;
  return JSON.stringify({ class: label, confidence: 0.9, reason: 'stand-in answer', ...rest });
}

function messageText(body: { messages?: Array<{ content?: unknown }> }): string {
  return (body.messages ?? [])
    .map((message) => {
      if (typeof message.content === 'string') return message.content;
      if (Array.isArray(message.content))
        return message.content.map((part: { text?: string }) => (typeof part?.text === 'string' ? part.text : '')).join('\n');
      return '';
    })
    .join('\n');
}

export async function startChatCompletionsStandIn(handler?: StandInHandler): Promise<ChatCompletionsStandIn> {
  const requests: SentRequest[] = [];
  let current: StandInHandler = handler ?? (() => ({ json: completion(answer({ class: 'unknown' })) }));
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      let body: unknown = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = Buffer.concat(chunks).toString('utf8');
      }
      const sent: SentRequest = {
        path: request.url ?? '',
        headers: request.headers,
        body,
        text: messageText(body as { messages?: Array<{ content?: unknown }> }),
      };
      requests.push(sent);
      if (sent.path !== '/v1/chat/completions') {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: `no route ${sent.path}` } }));
        return;
      }
      const reply = await current(sent, requests.length - 1);
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      if (response.destroyed) return;
      response.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      response.end(reply.raw ?? JSON.stringify(reply.json ?? {}));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    answerWith(next) {
      current = next;
    },
    async close() {
      // Slow answers still pending are cut off: the test is over.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The class a simple rule gives a page text: the first class name found in it, else `unknown`. */
export function classByName(text: string, classNames: string[]): string {
  const lower = text.toLowerCase();
  return classNames.find((name) => lower.includes(name.replace(/_/g, ' '))) ?? 'unknown';
}
