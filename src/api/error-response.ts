/**
 * The one table from error code to HTTP status, and the error body every endpoint answers with:
 * `{ "success": false, "error": "<code>", "message": "…" }` (plus facts such as `run_id`).
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, isUserFacing, type ErrorCode } from '../core/errors.js';

export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  empty_file: 400,
  unsupported_file_type: 415,
  file_too_large: 413,
  too_many_pages: 413,
  image_too_large: 413,
  encrypted_document: 422,
  unreadable_document: 422,
  ocr_failed: 422,
  page_too_complex: 422,
  timeout: 504,
  invalid_page_range: 400,
  invalid_request: 400,
  invalid_configuration: 422,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  out_of_credits: 402,
  rate_limited: 429,
  url_not_allowed: 400,
  download_failed: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unsupported_version: 400,
  service_unavailable: 503,
  model_unavailable: 502,
  model_output_invalid: 502,
  internal_error: 500,
};

export interface ErrorBody {
  success: false;
  error: ErrorCode;
  message: string;
  [detail: string]: unknown;
}

export function toErrorBody(error: AppError): ErrorBody {
  return { ...(error.details ?? {}), success: false, error: error.code, message: error.message };
}

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/**
 * One sentence from the validator's findings that names the field and what it may be: which
 * unknown field, which values a choice allows, rather than the validator's raw anyOf trail.
 */
export function describeValidation(issues: ValidationIssue[], context = 'body'): string {
  const first = issues[0];
  if (!first) return 'does not match the schema';
  const where = (issue: ValidationIssue) => issue.instancePath.replace(/^\//, '').replace(/\//g, '.') || `the ${context}`;
  const field = where(first);
  switch (first.keyword) {
    case 'additionalProperties':
      return `${field === `the ${context}` ? `the ${context} has` : `${field} has`} an unknown field "${String(first.params.additionalProperty)}"`;
    case 'required': {
      const missing = issues
        .filter((issue) => issue.keyword === 'required' && issue.instancePath === first.instancePath)
        .map((issue) => `"${String(issue.params.missingProperty)}"`);
      // Alternatives (file: { id } | { url }) report each branch's missing field.
      if (missing.length > 1) return `${field} needs one of ${missing.join(', ')}`;
      return `${field === `the ${context}` ? '' : `${field}.`}${String(first.params.missingProperty)} is required`;
    }
    case 'enum':
      return `${field} must be one of ${(first.params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`;
    case 'const': {
      // A union of literals: list every allowed value at this path.
      const allowed = issues
        .filter((issue) => issue.keyword === 'const' && issue.instancePath === first.instancePath)
        .map((issue) => JSON.stringify(issue.params.allowedValue));
      return `${field} must be ${allowed.length > 1 ? `one of ${allowed.join(', ')}` : allowed[0]}`;
    }
    default:
      return `${field} ${first.message ?? 'does not match the schema'}`;
  }
}

/** Fastify's own errors (validation, body parsing, multipart limits) in docsort's vocabulary. */
function fromFastifyError(error: FastifyError): AppError | undefined {
  if (error.validation) {
    const context = error.validationContext ?? 'body';
    return new AppError(
      'invalid_request',
      `Invalid request ${context}: ${describeValidation(error.validation as ValidationIssue[], context)}. See GET /openapi.json for the expected shape.`,
    );
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'Send JSON (application/json) or multipart/form-data.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'The request body is too large; upload files as multipart/form-data.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('invalid_request', 'The body is not valid JSON.');
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('file_too_large', 'The file is larger than the server allows (MAX_FILE_MB); send a smaller file.');
    case 'FST_FILES_LIMIT':
      return new AppError('payload_too_large', 'Too many files in one request.');
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new AppError('payload_too_large', 'Too many form fields in one request; send only the documented fields.');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('unsupported_media_type', 'Expected multipart/form-data.');
    default:
      break;
  }
  if (error.statusCode === 415) return new AppError('unsupported_media_type', 'Send JSON (application/json) or multipart/form-data.');
  if (error.statusCode === 413)
    return new AppError('payload_too_large', 'The request body is too large; upload files as multipart/form-data.');
  if (error instanceof SyntaxError || error.statusCode === 400) return new AppError('invalid_request', error.message);
  return undefined;
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((thrown, request, reply) => {
    const error = thrown instanceof AppError ? thrown : fromFastifyError(thrown as FastifyError);
    if (!error || !isUserFacing(error)) {
      // Unexpected, or an internal error a stage wrapped: logged once with the request id (on
      // request.log); the client gets neither the message nor a stack trace.
      request.log.error({ method: request.method, url: request.url, err: error?.cause ?? thrown }, 'request failed with an internal error');
      const internal = new AppError('internal_error', `Something went wrong on our side (request ${request.id}).`);
      return reply.code(500).send(toErrorBody(internal));
    }
    const status = HTTP_STATUS_BY_CODE[error.code];
    // 4xx are the client's to fix and answered as such; a 5xx (database away, sync timeout) is the operator's to know about.
    if (status >= 500)
      request.log.error(
        {
          method: request.method,
          url: request.url,
          status,
          errorCode: error.code,
          errorMessage: error.message,
          ...(error.cause ? { err: error.cause } : {}),
        },
        'request failed',
      );
    return reply.code(status).send(toErrorBody(error));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new AppError('not_found', `No endpoint ${request.method} ${request.url.split('?')[0]}; see GET /openapi.json.`);
    return reply.code(404).send(toErrorBody(error));
  });
}
