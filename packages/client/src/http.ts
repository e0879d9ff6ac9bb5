/**
 * The client's one HTTP path: base URL, key, version header, JSON in and out, errors as
 * `DocsortError` with the server's stable code, and a bounded retry on 429/503 that honours
 * Retry-After. Uses the global fetch, FormData and Blob of Node ≥ 20.
 */

export interface DocsortClientOptions {
  /** e.g. `http://127.0.0.1:8080` (no trailing /v1). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** Pins the dated API version (`docsort-version`); defaults to the server's current one. */
  apiVersion?: string;
  /** Retries of a request answered 429 or 503, after the server's Retry-After. Default 2. */
  maxRetries?: number;
  /** Per-request time limit in ms. Default 5 minutes (a sync classify may take that long). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** An error answer from docsort: `code` is stable (`unauthorized`, `out_of_credits`, …). */
export class DocsortError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  /** Seconds the server asked to wait (429, 503). */
  readonly retryAfter: number | null;

  constructor(status: number, code: string, message: string, details: Record<string, unknown>, retryAfter: number | null) {
    super(message);
    this.name = 'DocsortError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }
}

/** Facts the server adds to responses, kept from the last one. */
export interface ResponseInfo {
  /** `docsort-credits-remaining`, when the key has a quota. */
  creditsRemaining: number | null;
  rateLimitRemaining: number | null;
  apiVersion: string | null;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined | null>;
  json?: unknown;
  form?: FormData;
  signal?: AbortSignal;
}

export class HttpTransport {
  readonly baseUrl: string;
  private readonly options: DocsortClientOptions;
  private readonly fetchImpl: typeof fetch;
  lastResponse: ResponseInfo = { creditsRemaining: null, rateLimitRemaining: null, apiVersion: null };

  constructor(options: DocsortClientOptions) {
    if (!/^https?:\/\//.test(options.baseUrl)) throw new TypeError('baseUrl must start with http:// or https://');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.options = options;
    this.fetchImpl = options.fetch ?? fetch;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.status === 204) return undefined as T;
    const type = response.headers.get('content-type') ?? '';
    return (type.includes('application/json') ? await response.json() : await response.text()) as T;
  }

  /** Sends and returns the raw response once it is a success; throws `DocsortError` otherwise. */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(this.baseUrl + path);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
    }
    const maxRetries = this.options.maxRetries ?? 2;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
      if (this.options.apiVersion) headers['docsort-version'] = this.options.apiVersion;
      let body: string | FormData | undefined;
      if (options.form) body = options.form;
      else if (options.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(options.json);
      }
      const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 300_000);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      const response = await this.fetchImpl(url, { method, headers, body, signal });
      this.lastResponse = {
        creditsRemaining: numberHeader(response, 'docsort-credits-remaining'),
        rateLimitRemaining: numberHeader(response, 'ratelimit-remaining'),
        apiVersion: response.headers.get('docsort-version'),
      };
      if (response.ok) return response;
      const error = await toDocsortError(response);
      if (
        (response.status === 429 || response.status === 503) &&
        attempt < maxRetries &&
        error.retryAfter !== null &&
        error.retryAfter <= 60
      ) {
        await sleep(error.retryAfter * 1000, options.signal);
        continue;
      }
      throw error;
    }
  }
}

function numberHeader(response: Response, name: string): number | null {
  const value = response.headers.get(name);
  return value === null || value === '' || Number.isNaN(Number(value)) ? null : Number(value);
}

async function toDocsortError(response: Response): Promise<DocsortError> {
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not docsort's JSON (a proxy in between, say): keep the status and the text.
  }
  const code = typeof body.error === 'string' ? body.error : `http_${response.status}`;
  const message = typeof body.message === 'string' ? body.message : text.slice(0, 500) || response.statusText;
  const { success: _success, error: _error, message: _message, ...details } = body;
  return new DocsortError(response.status, code, message, details, numberHeader(response, 'retry-after'));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
