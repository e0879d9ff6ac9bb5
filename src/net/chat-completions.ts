/**
 * The `ChatModel` port over HTTP: one `POST {base}/chat/completions` per call, as OpenAI
 * documents it and Ollama, vLLM, llama.cpp's server and LM Studio answer it. The base URL is
 * operator configuration (LLM_BASE_URL), usually loopback or private, so it is not put through
 * the SSRF guard that file and webhook URLs are.
 *
 * What a call survives: timeouts, connection failures, 429 (after its Retry-After) and 5xx are
 * tried again with backoff; a server that refuses JSON schemas (a 400 naming `response_format`,
 * or any 400 to a schema request) is asked again in JSON mode, one that refuses log-probabilities
 * without them, and what worked is remembered per model. Giving up throws `model_unavailable`
 * naming the server, never the key.
 */
import { AppError } from '../core/errors.js';
import type { ChatAnswer, ChatModel, ChatRequest, TokenLogprob } from '../core/ports.js';

export interface ChatCompletionsOptions {
  baseUrl: string;
  apiKey?: string | null;
  defaultModel: string;
  timeoutMs: number;
  maxConcurrency: number;
  vision?: boolean;
  maxInputTokens: number;
  /** Waits before the 2nd, 3rd, … attempt of a call that timed out, could not connect or got 429/5xx. */
  retryDelaysMs?: readonly number[];
  /** Longest wait a server's Retry-After is honoured for. */
  maxRetryAfterMs?: number;
}

/** 1 s, 4 s, 15 s, then 30 s: long enough for a model server that is loading a model or shedding load. */
export function retryDelays(retries: number): number[] {
  return Array.from({ length: Math.max(0, retries) }, (_, index) => [1000, 4000, 15_000][index] ?? 30_000);
}

/** Alternatives asked per output token: enough to see the runner-up classes. */
const TOP_LOGPROBS = 5;

/** What this server and model accept, learned from its refusals. */
interface Capabilities {
  schema: boolean;
  logprobs: boolean;
}

/** A limit on calls open at once, shared by every run of this process. */
class Gate {
  private open = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.open >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.open++;
    try {
      return await work();
    } finally {
      this.open--;
      this.waiting.shift()?.();
    }
  }
}

/** One try's outcome: an answer, a failure worth another try, or one that is final. */
type Attempt =
  | { kind: 'answer'; body: unknown }
  | { kind: 'retry'; problem: string; afterMs?: number }
  | { kind: 'refused'; status: number; message: string };

export function createChatCompletionsClient(options: ChatCompletionsOptions): ChatModel {
  const server = options.baseUrl.replace(/\/+$/, '');
  const shown = withoutCredentials(server);
  // fetch refuses URLs with credentials in them: a user and password there become Basic auth.
  const endpoint = `${shown}/chat/completions`;
  const authorization = options.apiKey ? `Bearer ${options.apiKey}` : basicAuthOf(server);
  const delays = options.retryDelaysMs ?? retryDelays(3);
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const gate = new Gate(Math.max(1, options.maxConcurrency));
  const capabilities = new Map<string, Capabilities>();

  const unavailable = (problem: string) =>
    new AppError('model_unavailable', `The model server at ${shown} ${problem}. Check that it runs and that LLM_BASE_URL points at it.`);

  async function attempt(body: Record<string, unknown>): Promise<Attempt> {
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      return { kind: 'retry', problem: describeFetchFailure(error, options.timeoutMs) };
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      return { kind: 'retry', problem: describeFetchFailure(error, options.timeoutMs) };
    }
    if (response.status === 429 || response.status >= 500) {
      return {
        kind: 'retry',
        problem: `answered ${response.status}${serverMessage(text) ? ` (${serverMessage(text)})` : ''}`,
        afterMs: response.status === 429 ? readRetryAfter(response.headers.get('retry-after')) : undefined,
      };
    }
    if (!response.ok) return { kind: 'refused', status: response.status, message: serverMessage(text) ?? text.slice(0, 300) };
    try {
      return { kind: 'answer', body: JSON.parse(text) };
    } catch {
      return { kind: 'retry', problem: `answered ${response.status} with a body that is not JSON ("${text.slice(0, 80)}")` };
    }
  }

  /** Tries one request body until it is answered, refused, or the retries are spent. */
  async function send(body: Record<string, unknown>): Promise<Exclude<Attempt, { kind: 'retry' }>> {
    let last: Extract<Attempt, { kind: 'retry' }> | null = null;
    for (let tryIndex = 0; tryIndex <= delays.length; tryIndex++) {
      if (last) {
        // A server's Retry-After is honoured up to a limit, never waited less than the backoff.
        const wait = Math.max(delays[tryIndex - 1], Math.min(last.afterMs ?? 0, maxRetryAfterMs));
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const outcome = await gate.run(() => attempt(body));
      if (outcome.kind !== 'retry') return outcome;
      last = outcome;
    }
    throw unavailable(`${last?.problem ?? 'did not answer'} on each of ${delays.length + 1} attempts`);
  }

  function buildBody(request: ChatRequest, can: Capabilities): Record<string, unknown> {
    return {
      model: request.model,
      messages: request.messages,
      // The same page gets the same answer: classification is not creative writing.
      temperature: 0,
      max_tokens: request.maxTokens,
      response_format: can.schema
        ? { type: 'json_schema', json_schema: { name: request.schema.name, strict: true, schema: request.schema.schema } }
        : { type: 'json_object' },
      ...(can.logprobs ? { logprobs: true, top_logprobs: TOP_LOGPROBS } : {}),
    };
  }

  return {
    server: shown,
    defaultModel: options.defaultModel,
    vision: options.vision ?? false,
    maxInputTokens: options.maxInputTokens,

    async complete(request: ChatRequest): Promise<ChatAnswer> {
      const can = { ...(capabilities.get(request.model) ?? { schema: true, logprobs: true }) };
      for (;;) {
        const outcome = await send(buildBody(request, can));
        if (outcome.kind === 'answer') {
          capabilities.set(request.model, can);
          return readCompletion(outcome.body, can, unavailable);
        }
        if (outcome.status === 401 || outcome.status === 403)
          throw unavailable(`refused the key (${outcome.status}: ${outcome.message}); set LLM_API_KEY to a key it accepts`);
        if (outcome.status === 404)
          throw unavailable(`does not know model "${request.model}" or the chat-completions path (404: ${outcome.message})`);
        // A 400 or 422 to a feature: drop the one the message names, else the schema, else log-probabilities.
        const names = outcome.message.toLowerCase();
        if (can.logprobs && names.includes('logprob')) can.logprobs = false;
        else if (can.schema) can.schema = false;
        else if (can.logprobs) can.logprobs = false;
        else throw unavailable(`refused the request (${outcome.status}: ${outcome.message})`);
      }
    },
  };
}

function readCompletion(body: unknown, can: Capabilities, unavailable: (problem: string) => AppError): ChatAnswer {
  const record = body as {
    choices?: Array<{
      message?: { content?: unknown; refusal?: unknown };
      logprobs?: { content?: Array<{ token?: unknown; logprob?: unknown; top_logprobs?: Array<{ token?: unknown; logprob?: unknown }> }> };
    }>;
    usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
  };
  const choice = Array.isArray(record?.choices) ? record.choices[0] : undefined;
  if (!choice?.message) throw unavailable('answered without a chat-completion choice (is it an OpenAI-compatible /v1 endpoint?)');
  const content = typeof choice.message.content === 'string' ? choice.message.content : '';
  const tokens = choice.logprobs?.content;
  let logprobs: TokenLogprob[] | null = null;
  if (
    Array.isArray(tokens) &&
    tokens.length > 0 &&
    tokens.every((item) => typeof item?.token === 'string' && typeof item.logprob === 'number')
  ) {
    logprobs = tokens.map((item) => ({
      token: item.token as string,
      logprob: item.logprob as number,
      top: (item.top_logprobs ?? [])
        .filter((alternative) => typeof alternative?.token === 'string' && typeof alternative.logprob === 'number')
        .map((alternative) => ({ token: alternative.token as string, logprob: alternative.logprob as number })),
    }));
  }
  return {
    content,
    logprobs,
    inputTokens: toCount(record.usage?.prompt_tokens),
    outputTokens: toCount(record.usage?.completion_tokens),
    format: can.schema ? 'json_schema' : 'json_object',
  };
}

function basicAuthOf(base: string): string | null {
  try {
    const url = new URL(base);
    if (!url.username && !url.password) return null;
    const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    return `Basic ${Buffer.from(pair).toString('base64')}`;
  } catch {
    return null;
  }
}

/** The base URL as messages and logs may show it: a user or password in it stays out. */
function withoutCredentials(base: string): string {
  try {
    const url = new URL(base);
    if (!url.username && !url.password) return base;
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/+$/, '');
  } catch {
    return base;
  }
}

function toCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : 0;
}

/** The `error.message` (OpenAI, Ollama) or `error` string (llama.cpp) of an error body. */
function serverMessage(text: string): string | null {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    if (typeof body.error === 'string') return body.error.slice(0, 300);
    if (body.error && typeof (body.error as { message?: unknown }).message === 'string')
      return ((body.error as { message: string }).message as string).slice(0, 300);
    if (typeof body.message === 'string') return body.message.slice(0, 300);
  } catch {
    // Not JSON: the caller shows the text itself.
  }
  return null;
}

/** Retry-After in seconds or as an HTTP date. */
function readRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function describeFetchFailure(error: unknown, timeoutMs: number): string {
  const failure = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (failure?.name === 'TimeoutError' || failure?.name === 'AbortError') return `did not answer within ${Math.round(timeoutMs / 1000)} s`;
  const cause = failure?.cause?.code ?? failure?.cause?.message ?? failure?.message ?? String(error);
  return `could not be reached (${cause})`;
}
