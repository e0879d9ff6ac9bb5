/**
 * The service configuration, read from the environment once at start. Every bad variable is
 * reported together so an operator fixes them in one go; the result is frozen and passed down.
 * Nothing else in docsort reads `process.env`.
 */
import path from 'node:path';
import { parseRetrySchedule } from './core/retry-schedule.js';

/** Where stored file bytes live: `local` (DATA_DIR/blobs), `postgres` (the database itself) or an S3-compatible bucket. */
export type BlobStoreChoice = { kind: 'local' } | { kind: 'postgres' } | { kind: 's3'; bucket: string; prefix: string };

export interface Config {
  readonly host: string;
  readonly port: number;
  /** Where the SQLite file and stored files live. */
  readonly dataDir: string;
  /** `postgres://…` runs on PostgreSQL; null means the embedded SQLite file in `dataDir`. */
  readonly databaseUrl: string | null;
  /** PostgreSQL schema holding docsort's tables (lets several installations share one database). */
  readonly databaseSchema: string;
  /** Connections each process keeps in its PostgreSQL pool (one more listens for notifications). */
  readonly databasePoolSize: number;
  /** Fetch URLs that resolve to private, loopback or link-local addresses. Off by default (SSRF). */
  readonly allowPrivateUrls: boolean;
  readonly blobStore: BlobStoreChoice;
  /** S3 endpoint URL; null means AWS's regional endpoint. */
  readonly s3Endpoint: string | null;
  readonly s3Region: string;
  readonly s3AccessKeyId: string | null;
  readonly s3SecretAccessKey: string | null;
  /** Bytes of local copies of stored files kept for the PDF and image readers (non-local blob stores). */
  readonly localCacheBytes: number;
  /** Runs' files, webhook events and deliveries older than this many days are deleted; 0 keeps them. */
  readonly retentionDays: number;
  /** How often the housekeeping job runs (retention, finished jobs). */
  readonly housekeepingIntervalMs: number;
  /** On SIGTERM, how long running jobs may take to finish before they are given back to the queue. */
  readonly shutdownGraceMs: number;
  /** Jobs one process runs at the same time; 0 makes `serve` an API-only process. */
  readonly workerConcurrency: number;
  /** How long `POST /v1/classify` waits for a result before answering 504 with the run id. */
  readonly syncTimeoutMs: number;
  readonly maxFileBytes: number;
  readonly maxBatchFiles: number;
  readonly maxMetadataBytes: number;
  readonly urlFetchTimeoutMs: number;
  readonly urlMaxRedirects: number;
  /** A claimed job is given back to the queue when its worker stops renewing the lease for this long. */
  readonly jobLeaseMs: number;
  readonly jobMaxAttempts: number;
  /** How often an idle worker looks for jobs queued by other processes. */
  readonly jobPollMs: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** API keys required on /v1 routes; `AUTH=off` is accepted only when HOST is a loopback address. */
  readonly authEnabled: boolean;
  /** Bearer token `GET /metrics` asks for; null leaves it open like /healthz. */
  readonly metricsToken: string | null;
  /** Requests per minute per API key (0 = no limit); a key may carry its own limit. */
  readonly rateLimitPerMinute: number;
  /** Requests a key may make at once after being idle. */
  readonly rateLimitBurst: number;
  /** Credits charged per page read: the documented rate behind usage and quotas. */
  readonly creditsPerPage: number;
  /** Delays before webhook delivery attempts 2, 3, … (ms). */
  readonly webhookRetryScheduleMs: readonly number[];
  readonly webhookTimeoutMs: number;
  /** Deadline of one page read or render a request asks for (GET /v1/files/:id/pages/:n). */
  readonly pageTimeoutMs: number;
  /** Page reads and renders requests ask for that run at once; the rest wait their turn, apart from classification. */
  readonly pageConcurrency: number;
  /** Webhook delivery attempts run at once per process, apart from classification. */
  readonly webhookConcurrency: number;
  /** An OpenAI-compatible model server for the `llm` and `cascade` engines; null: only the builtin engine runs. */
  readonly llmBaseUrl: string | null;
  /** Sent as `Authorization: Bearer …`; Ollama and most local servers need none. */
  readonly llmApiKey: string | null;
  /** The model asked when a classifier's `settings.model` and a run's `query_model` name none. */
  readonly llmModel: string | null;
  /** Time one chat-completion call may take before it is abandoned and tried again. */
  readonly llmTimeoutMs: number;
  /** Tries after the first of a model call that timed out, could not connect, or got 429 or 5xx. */
  readonly llmMaxRetries: number;
  /** Chat-completion calls this process has open at once. */
  readonly llmMaxConcurrency: number;
  /** Send page images to the model (for models that read images). */
  readonly llmVision: boolean;
  /** Input budget of one call in tokens (estimated from characters); page texts are cut to fit. */
  readonly llmMaxInputTokens: number;
  /** Seals the passwords of encrypted PDFs at rest (AES-256-GCM); null: a key file in `dataDir` on SQLite, no passwords on PostgreSQL. */
  readonly pdfPasswordKey: Buffer | null;
}

export type Environment = Record<string, string | undefined>;

/** One documented variable: its name, default and how it is parsed. The README table is built from this list. */
interface Variable<K extends keyof Config> {
  name: string;
  key: K;
  description: string;
  defaultValue: string;
  parse: (raw: string, env: Environment) => Config[K];
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function parseInteger(min: number, max: number) {
  return (raw: string): number => {
    if (!/^-?\d+$/.test(raw.trim())) throw new Error(`must be a whole number between ${min} and ${max}`);
    const value = Number(raw);
    if (value < min || value > max) throw new Error(`must be between ${min} and ${max}`);
    return value;
  };
}

function parseScaled(min: number, max: number, factor: number) {
  const parse = parseInteger(min, max);
  return (raw: string): number => parse(raw) * factor;
}

function parseBoolean(raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(value)) return false;
  throw new Error('must be true or false');
}

function parseDatabaseUrl(raw: string): string | null {
  const value = raw.trim();
  if (value === '') return null;
  if (!/^postgres(ql)?:\/\//.test(value)) throw new Error('must be a postgres:// URL (leave it unset for the embedded SQLite database)');
  try {
    new URL(value);
  } catch {
    throw new Error('is not a valid URL');
  }
  return value;
}

function isLoopbackHost(host: string): boolean {
  const value = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return value === 'localhost' || value === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(value);
}

function parseAuth(raw: string, env: Environment): boolean {
  const value = raw.trim().toLowerCase();
  if (value === 'on' || value === 'true' || value === '') return true;
  if (value !== 'off' && value !== 'false') throw new Error('must be on or off');
  const host = env.HOST ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new Error(`is only allowed when HOST is a loopback address (127.0.0.1, ::1, localhost), not "${host}"`);
  return false;
}

function parseDecimal(min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw.trim());
    if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max)
      throw new Error(`must be a number between ${min} and ${max}`);
    return value;
  };
}

function parseLlmBaseUrl(raw: string): string | null {
  const value = raw.trim();
  if (value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('is not a valid URL (e.g. http://127.0.0.1:11434/v1 for Ollama, https://api.openai.com/v1)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('must be an http:// or https:// URL');
  // Operator configuration: a private or loopback server is the usual case, so no SSRF check here.
  return value.replace(/\/+$/, '');
}

function parseLlmModel(raw: string, env: Environment): string | null {
  const value = raw.trim();
  if (value === '' && (env.LLM_BASE_URL ?? '').trim() !== '')
    throw new Error('must name the default model when LLM_BASE_URL is set (e.g. llama3.1:8b for Ollama, gpt-4o-mini for OpenAI)');
  return value === '' ? null : value;
}

function parseBlobStore(raw: string, env: Environment): BlobStoreChoice {
  const value = raw.trim();
  const hasDatabase = (env.DATABASE_URL ?? '').trim() !== '';
  if (value === '') return hasDatabase ? { kind: 'postgres' } : { kind: 'local' };
  if (value === 'local') return { kind: 'local' };
  if (value === 'postgres') {
    if (!hasDatabase) throw new Error('needs DATABASE_URL (the bytes are kept in that database)');
    return { kind: 'postgres' };
  }
  const s3 = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(value);
  if (!s3) throw new Error('must be local, postgres or s3://bucket[/prefix]');
  if (!(env.S3_ACCESS_KEY_ID || env.AWS_ACCESS_KEY_ID) || !(env.S3_SECRET_ACCESS_KEY || env.AWS_SECRET_ACCESS_KEY))
    throw new Error('needs S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)');
  const prefix = (s3[2] ?? '').replace(/^\/+|\/+$/g, '');
  return { kind: 's3', bucket: s3[1], prefix: prefix ? `${prefix}/` : '' };
}

function parseOptionalUrl(raw: string): string | null {
  const value = raw.trim();
  if (value === '') return null;
  if (!/^https?:\/\//.test(value)) throw new Error('must be an http:// or https:// URL');
  try {
    new URL(value);
  } catch {
    throw new Error('is not a valid URL');
  }
  return value.replace(/\/+$/, '');
}

/** A secret or key id, falling back to the AWS variable of the same meaning that S3 tools read. */
function parseCredential(fallback: string) {
  return (raw: string, env: Environment): string | null => {
    const value = raw.trim() || (env[fallback] ?? '').trim();
    return value === '' ? null : value;
  };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const CONFIG_VARIABLES: ReadonlyArray<Variable<keyof Config>> = [
  {
    name: 'HOST',
    key: 'host',
    defaultValue: '127.0.0.1',
    description: 'Address the HTTP API listens on.',
    parse: (raw) => {
      if (raw.trim() === '') throw new Error('must not be empty');
      return raw.trim();
    },
  },
  {
    name: 'PORT',
    key: 'port',
    defaultValue: '8080',
    description: 'TCP port of the HTTP API (0 picks a free one).',
    parse: parseInteger(0, 65535),
  },
  {
    name: 'DATA_DIR',
    key: 'dataDir',
    defaultValue: './data',
    description: 'Folder for the SQLite database, stored files (BLOB_STORE=local) and local scratch and cache files.',
    parse: (raw) => {
      if (raw.trim() === '') throw new Error('must not be empty');
      return path.resolve(raw.trim());
    },
  },
  {
    name: 'DATABASE_URL',
    key: 'databaseUrl',
    defaultValue: '',
    description: 'postgres://… to run on PostgreSQL; unset uses SQLite in DATA_DIR.',
    parse: parseDatabaseUrl,
  },
  {
    name: 'DATABASE_SCHEMA',
    key: 'databaseSchema',
    defaultValue: 'public',
    description: "PostgreSQL schema for docsort's tables (created if missing).",
    parse: (raw) => {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(raw)) throw new Error('must be a lower-case SQL identifier (letters, digits, _)');
      return raw;
    },
  },
  {
    name: 'DATABASE_POOL_SIZE',
    key: 'databasePoolSize',
    defaultValue: '10',
    description: 'PostgreSQL connections per process (plus one for notifications); mind max_connections with many processes.',
    parse: parseInteger(1, 1000),
  },
  {
    name: 'BLOB_STORE',
    key: 'blobStore',
    defaultValue: '',
    description:
      'Where file bytes are kept: local (DATA_DIR/blobs), postgres (in the database; the default with DATABASE_URL) or s3://bucket[/prefix].',
    parse: parseBlobStore,
  },
  {
    name: 'S3_ENDPOINT',
    key: 's3Endpoint',
    defaultValue: '',
    description: "S3-compatible endpoint (MinIO: http://127.0.0.1:9000); unset uses AWS's regional endpoint.",
    parse: parseOptionalUrl,
  },
  {
    name: 'S3_REGION',
    key: 's3Region',
    defaultValue: 'us-east-1',
    description: 'Region the S3 requests are signed for (AWS_REGION is read when this is unset).',
    parse: (raw, env) => (env.S3_REGION === undefined && env.AWS_REGION ? env.AWS_REGION.trim() : raw.trim()) || 'us-east-1',
  },
  {
    name: 'S3_ACCESS_KEY_ID',
    key: 's3AccessKeyId',
    defaultValue: '',
    description: 'Access key id for BLOB_STORE=s3://… (AWS_ACCESS_KEY_ID is read when this is unset).',
    parse: parseCredential('AWS_ACCESS_KEY_ID'),
  },
  {
    name: 'S3_SECRET_ACCESS_KEY',
    key: 's3SecretAccessKey',
    defaultValue: '',
    description: 'Secret access key for BLOB_STORE=s3://… (AWS_SECRET_ACCESS_KEY is read when this is unset).',
    parse: parseCredential('AWS_SECRET_ACCESS_KEY'),
  },
  {
    name: 'LOCAL_CACHE_MB',
    key: 'localCacheBytes',
    defaultValue: '1024',
    description: 'Local copies of stored files kept for reading pages and page images (postgres and s3 blob stores), in MB.',
    parse: parseScaled(0, 1_000_000, 1024 * 1024),
  },
  {
    name: 'RETENTION_DAYS',
    key: 'retentionDays',
    defaultValue: '0',
    description: "Delete runs' files, webhook events and deliveries older than this many days (0 keeps them).",
    parse: parseInteger(0, 36_500),
  },
  {
    name: 'HOUSEKEEPING_INTERVAL_MINUTES',
    key: 'housekeepingIntervalMs',
    defaultValue: '60',
    description: 'How often the housekeeping job applies retention and drops finished jobs.',
    parse: parseScaled(1, 10_080, 60_000),
  },
  {
    name: 'SHUTDOWN_GRACE_SECONDS',
    key: 'shutdownGraceMs',
    defaultValue: '10',
    description: 'On SIGTERM, time running jobs get to finish before they go back to the queue for another worker.',
    parse: parseScaled(0, 3600, 1000),
  },
  {
    name: 'ALLOW_PRIVATE_URLS',
    key: 'allowPrivateUrls',
    defaultValue: 'false',
    description: 'Allow file and webhook URLs that resolve to private, loopback or link-local addresses.',
    parse: parseBoolean,
  },
  {
    name: 'WORKER_CONCURRENCY',
    key: 'workerConcurrency',
    defaultValue: '2',
    description: 'Jobs run at once per process; 0 makes `serve` API-only.',
    parse: parseInteger(0, 64),
  },
  {
    name: 'SYNC_TIMEOUT_SECONDS',
    key: 'syncTimeoutMs',
    defaultValue: '300',
    description: 'How long POST /v1/classify waits before answering 504 with the run id.',
    parse: parseScaled(1, 3600, 1000),
  },
  {
    name: 'MAX_FILE_MB',
    key: 'maxFileBytes',
    defaultValue: '500',
    description: 'Largest accepted file (upload or URL), in MB.',
    parse: parseScaled(1, 10_000, 1024 * 1024),
  },
  {
    name: 'MAX_BATCH_FILES',
    key: 'maxBatchFiles',
    defaultValue: '30',
    description: 'Most files in one batch.',
    parse: parseInteger(1, 10_000),
  },
  {
    name: 'MAX_METADATA_KB',
    key: 'maxMetadataBytes',
    defaultValue: '10',
    description: 'Largest `metadata` object on a run, in KB of JSON.',
    parse: parseScaled(1, 1024, 1024),
  },
  {
    name: 'URL_FETCH_TIMEOUT_SECONDS',
    key: 'urlFetchTimeoutMs',
    defaultValue: '60',
    description: 'Time limit for downloading a file URL.',
    parse: parseScaled(1, 3600, 1000),
  },
  {
    name: 'URL_MAX_REDIRECTS',
    key: 'urlMaxRedirects',
    defaultValue: '5',
    description: 'Redirects followed when downloading a file URL (each one re-checked).',
    parse: parseInteger(0, 20),
  },
  {
    name: 'JOB_LEASE_SECONDS',
    key: 'jobLeaseMs',
    defaultValue: '30',
    description: 'A job whose worker stops renewing its lease this long is run again elsewhere.',
    parse: parseScaled(1, 3600, 1000),
  },
  {
    name: 'JOB_MAX_ATTEMPTS',
    key: 'jobMaxAttempts',
    defaultValue: '3',
    description: 'Attempts for a job failing with a retryable error (backoff between them).',
    parse: parseInteger(1, 100),
  },
  {
    name: 'JOB_POLL_MS',
    key: 'jobPollMs',
    defaultValue: '500',
    description: 'How often an idle worker checks the queue for jobs from other processes.',
    parse: parseInteger(10, 60_000),
  },
  {
    name: 'LOG_LEVEL',
    key: 'logLevel',
    defaultValue: 'info',
    description:
      'fatal, error, warn, info, debug, trace or silent. info: one ready line at start and one line per finished job; debug adds one line per request.',
    parse: (raw) => {
      const value = raw.trim().toLowerCase();
      if (!(LOG_LEVELS as readonly string[]).includes(value)) throw new Error(`must be one of ${LOG_LEVELS.join(', ')}`);
      return value as Config['logLevel'];
    },
  },
  {
    name: 'AUTH',
    key: 'authEnabled',
    defaultValue: 'on',
    description: 'on: every /v1 route needs an API key. off: no keys (only when HOST is loopback).',
    parse: parseAuth,
  },
  {
    name: 'RATE_LIMIT_PER_MINUTE',
    key: 'rateLimitPerMinute',
    defaultValue: '600',
    description: "Requests per minute per API key (0 = unlimited); `docsort keys create --rate-limit` sets one key's.",
    parse: parseInteger(0, 1_000_000),
  },
  {
    name: 'RATE_LIMIT_BURST',
    key: 'rateLimitBurst',
    defaultValue: '60',
    description: 'Requests a key may make at once after being idle.',
    parse: parseInteger(1, 1_000_000),
  },
  {
    name: 'CREDITS_PER_PAGE',
    key: 'creditsPerPage',
    defaultValue: '1',
    description: 'Credits a run is charged per page read (usage and quotas).',
    parse: parseDecimal(0, 1_000_000),
  },
  {
    name: 'WEBHOOK_RETRY_SCHEDULE',
    key: 'webhookRetryScheduleMs',
    defaultValue: '30s,1m,2m,5m,10m,20m,40m,1h,2h,4h,4h,4h',
    description: 'Delays before each webhook retry (units ms, s, m, h); the delivery fails after the last.',
    parse: (raw) => parseRetrySchedule(raw),
  },
  {
    name: 'PDF_PASSWORD_KEY',
    key: 'pdfPasswordKey',
    defaultValue: '',
    description:
      'Key sealing the passwords of encrypted PDFs in the database: 32 bytes as 64 hex digits or base64. Unset: a key file in DATA_DIR on SQLite; required on PostgreSQL to accept passwords.',
    parse: parsePasswordKey,
  },
  {
    name: 'WEBHOOK_TIMEOUT_SECONDS',
    key: 'webhookTimeoutMs',
    defaultValue: '10',
    description: 'Time a webhook receiver has to answer one delivery attempt.',
    parse: parseScaled(1, 300, 1000),
  },
  {
    name: 'PAGE_TIMEOUT_SECONDS',
    key: 'pageTimeoutMs',
    defaultValue: '30',
    description: 'Deadline of one page read or render asked for over HTTP; a page past it fails with `page_too_complex`, remembered.',
    parse: parseScaled(1, 600, 1000),
  },
  {
    name: 'PAGE_CONCURRENCY',
    key: 'pageConcurrency',
    defaultValue: '1',
    description: 'Page reads and renders asked for over HTTP that run at once, on their own thread apart from classification.',
    parse: parseInteger(1, 16),
  },
  {
    name: 'WEBHOOK_CONCURRENCY',
    key: 'webhookConcurrency',
    defaultValue: '4',
    description: 'Webhook delivery attempts run at once per worker process, in slots of their own apart from classification.',
    parse: parseInteger(1, 64),
  },
  {
    name: 'METRICS_TOKEN',
    key: 'metricsToken',
    defaultValue: '',
    description:
      'When set, `GET /metrics` answers only `Authorization: Bearer <token>` (for a Prometheus scrape config); unset: open like /healthz.',
    parse: (raw) => (raw.trim() === '' ? null : raw.trim()),
  },
  {
    name: 'LLM_BASE_URL',
    key: 'llmBaseUrl',
    defaultValue: '',
    description:
      'OpenAI-compatible model server for the `llm` and `cascade` engines, e.g. `http://127.0.0.1:11434/v1` (Ollama); unset: builtin engine only (docs/llm.md).',
    parse: parseLlmBaseUrl,
  },
  {
    name: 'LLM_API_KEY',
    key: 'llmApiKey',
    defaultValue: '',
    description: 'Bearer token for the model server (OpenAI, Azure); local servers need none.',
    parse: (raw) => (raw.trim() === '' ? null : raw.trim()),
  },
  {
    name: 'LLM_MODEL',
    key: 'llmModel',
    defaultValue: '',
    description: "Default model (required with LLM_BASE_URL); a classifier's `settings.model` and a run's `query_model` override it.",
    parse: parseLlmModel,
  },
  {
    name: 'LLM_TIMEOUT_SECONDS',
    key: 'llmTimeoutMs',
    defaultValue: '120',
    description: 'Time one model call may take; timeouts, 429 and 5xx are retried with backoff.',
    parse: parseScaled(1, 3600, 1000),
  },
  {
    name: 'LLM_MAX_RETRIES',
    key: 'llmMaxRetries',
    defaultValue: '3',
    description: 'Retries of a model call after a timeout, a refused connection, 429 or 5xx (backoff 1 s, 4 s, 15 s, then 30 s).',
    parse: parseInteger(0, 10),
  },
  {
    name: 'LLM_MAX_CONCURRENCY',
    key: 'llmMaxConcurrency',
    defaultValue: '2',
    description: 'Model calls this process has open at once.',
    parse: parseInteger(1, 256),
  },
  {
    name: 'LLM_VISION',
    key: 'llmVision',
    defaultValue: 'false',
    description: 'Send page images with the text, for models that read images.',
    parse: parseBoolean,
  },
  {
    name: 'LLM_MAX_INPUT_TOKENS',
    key: 'llmMaxInputTokens',
    defaultValue: '6000',
    description: "Input budget of one model call in tokens (about 4 characters each); page texts are cut to fit the model's context.",
    parse: parseInteger(500, 1_000_000),
  },
];

function parsePasswordKey(raw: string): Buffer | null {
  const text = raw.trim();
  if (text === '') return null;
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('must be 32 bytes: 64 hex digits or base64 (e.g. openssl rand -hex 32)');
  return key;
}

/** Reads every variable, collecting all problems before failing; returns a frozen object. */
export function loadConfig(env: Environment = process.env): Config {
  const problems: string[] = [];
  const values: Partial<Record<keyof Config, unknown>> = {};
  for (const variable of CONFIG_VARIABLES) {
    const raw = env[variable.name] ?? variable.defaultValue;
    try {
      values[variable.key] = variable.parse(raw, env);
    } catch (error) {
      const shown = variable.name === 'PDF_PASSWORD_KEY' ? '(hidden)' : JSON.stringify(raw);
      problems.push(`${variable.name}=${shown} ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(values as unknown as Config);
}

/** The README's configuration table, generated so docs and code cannot drift apart. */
export function describeConfig(): string {
  const rows = CONFIG_VARIABLES.map(
    (variable) => `| \`${variable.name}\` | \`${variable.defaultValue || '(unset)'}\` | ${variable.description} |`,
  );
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
