/**
 * The one closed list of error codes docsort reports. Every layer throws `AppError` with one of
 * these; `api/error-response.ts` maps a code to an HTTP status, the CLI prints `FILE: code: message`.
 */
export const ERROR_CODES = [
  // input files
  'empty_file',
  'unsupported_file_type',
  'file_too_large',
  'too_many_pages',
  'image_too_large',
  'encrypted_document',
  'unreadable_document',
  'ocr_failed',
  'page_too_complex',
  'timeout',
  'invalid_page_range',
  // requests and resources
  'invalid_request',
  'invalid_configuration',
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'out_of_credits',
  'rate_limited',
  'url_not_allowed',
  'download_failed',
  'payload_too_large',
  'unsupported_media_type',
  'unsupported_version',
  'service_unavailable',
  // the model server of the llm and cascade engines
  'model_unavailable',
  'model_output_invalid',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Whether a job failing with the code may succeed if tried again. One record for every code, so a
 * new code must say: bad files and bad settings fail the same way every time; only unexpected and
 * transient errors are retried.
 */
const RETRYABLE: Readonly<Record<ErrorCode, boolean>> = {
  empty_file: false,
  unsupported_file_type: false,
  file_too_large: false,
  too_many_pages: false,
  image_too_large: false,
  encrypted_document: false,
  unreadable_document: false,
  ocr_failed: false,
  page_too_complex: false,
  timeout: false,
  invalid_page_range: false,
  invalid_request: false,
  invalid_configuration: false,
  not_found: false,
  conflict: false,
  unauthorized: false,
  forbidden: false,
  out_of_credits: false,
  rate_limited: true,
  url_not_allowed: false,
  download_failed: true,
  payload_too_large: false,
  unsupported_media_type: false,
  unsupported_version: false,
  service_unavailable: true,
  // The model client already retried timeouts, 429 and 5xx with backoff; a run fails with the reason rather than waiting longer.
  model_unavailable: false,
  model_output_invalid: false,
  internal_error: true,
};

export function isRetryableCode(code: ErrorCode): boolean {
  return RETRYABLE[code];
}

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Extra machine-readable facts for the response body (e.g. `run_id` on a sync timeout). */
  readonly details: Record<string, unknown> | undefined;

  /** `cause` keeps the error this one stands for (a thread's crash, a TypeError), so its stack reaches the log. */
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/**
 * Whether the message was written for the person who sent the file or request. Every code but
 * `internal_error` is: those messages say what was wrong and what to do. An `internal_error`
 * wraps a bug or a broken dependency (a TypeError, a database error, a path on the server); its
 * message is for the log, never for a response body or a stored run.
 */
export function isUserFacing(error: AppError): boolean {
  return error.code !== 'internal_error';
}

/** Errors crossing a worker-thread boundary lose their class; this restores them. */
export function toAppError(value: unknown): AppError {
  if (value instanceof AppError) return value;
  if (value && typeof value === 'object') {
    const record = value as { code?: unknown; message?: unknown; details?: unknown };
    if (typeof record.code === 'string' && (ERROR_CODES as readonly string[]).includes(record.code)) {
      return new AppError(
        record.code as ErrorCode,
        String(record.message ?? record.code),
        record.details as Record<string, unknown> | undefined,
      );
    }
  }
  const message = value instanceof Error ? value.message : String(value);
  return new AppError('internal_error', `Unexpected error: ${message}`, undefined, { cause: value });
}
