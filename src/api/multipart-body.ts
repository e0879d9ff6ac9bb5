/**
 * Multipart requests: files are streamed into the store as they arrive; the other parts are
 * fields whose values may be JSON text (`classifier`, `config`, `metadata`, …). The assembled
 * body is checked against the same schema as the JSON form of the request.
 */
import type { FastifyRequest } from 'fastify';
import type { Static, TSchema } from '@sinclair/typebox';
import type { TypeCheck } from '@sinclair/typebox/compiler';
import { AppError } from '../core/errors.js';
import { checkJsonValue, checkText, hasNulCharacter } from '../core/json-limits.js';
import type { Deps } from '../deps.js';
import type { FileRow } from '../store/schema.js';
import { discardStoredFiles, storeFileStream } from './file-ingest.js';

/** Form fields are small JSON values (classifier, config, metadata, …); these bound the memory one request can take. */
export const MAX_FIELDS = 30;
export const MAX_FIELD_BYTES = 1024 * 1024;

export interface RejectedFile {
  file_name: string | null;
  error: AppError;
}

export interface MultipartBody {
  files: FileRow[];
  fields: Record<string, string>;
  /** Files that could not be stored (unsupported, empty, too large), in the order sent. */
  rejected: RejectedFile[];
}

export interface MultipartOptions {
  /** Answer per file: a file that cannot be stored lands in `rejected` instead of failing the request. */
  perFile?: boolean;
  /** The form fields the route reads; any other is refused, as the JSON form refuses unknown fields. */
  fields?: readonly string[];
}

/**
 * The multipart parser's own errors (no boundary, a boundary the body does not use, a body that
 * ends mid-part) are the client's framing mistakes; they carry no code, only these messages.
 */
function isFramingError(error: unknown): boolean {
  return error instanceof Error && !(error instanceof AppError) && /multipart|boundary/i.test(error.message);
}

function framingError(error: Error): AppError {
  return new AppError(
    'invalid_request',
    `The multipart body could not be read (${error.message}); check that the boundary in Content-Type is the one the body uses and that the body is complete.`,
  );
}

/**
 * Reads every part; files are stored in the request's workspace. A file that cannot be stored is
 * drained and recorded in `rejected`, so the request always ends cleanly; with `perFile: false`
 * the first such error is thrown afterwards.
 */
export async function readMultipart(
  request: FastifyRequest,
  deps: Deps,
  maxFiles: number,
  options: MultipartOptions = {},
): Promise<MultipartBody> {
  const files: FileRow[] = [];
  const fields: Record<string, string> = {};
  const rejected: RejectedFile[] = [];
  let extraFiles = 0;
  try {
    for await (const part of request.parts({
      // One byte over the limit reaches the blob store, which refuses the file by itself, so an
      // oversize file in a batch is one rejected file rather than the end of the request (the
      // plugin is registered with throwFileSizeLimit off, api/server.ts).
      limits: { fileSize: deps.config.maxFileBytes + 1, files: maxFiles + 1000, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES },
    })) {
      if (part.type === 'file') {
        if (files.length + rejected.length >= maxFiles) {
          // Read past the extra files so the request ends cleanly, then refuse the whole request.
          extraFiles++;
          part.file.resume();
          continue;
        }
        try {
          if (part.filename && hasNulCharacter(part.filename))
            throw new AppError('invalid_request', 'The file name contains a NUL character (U+0000); rename the file.');
          files.push(await storeFileStream(deps, request.workspaceId, part.file, part.filename));
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          part.file.resume();
          rejected.push({ file_name: part.filename ?? null, error });
        }
      } else {
        // Fields are kept in memory, so they are capped; a cut-off value would only read as broken JSON.
        if (part.valueTruncated)
          throw new AppError(
            'payload_too_large',
            `The form field "${part.fieldname}" is longer than ${MAX_FIELD_BYTES / 1024 / 1024} MB; send less, or upload it as a file.`,
          );
        if (options.fields && !options.fields.includes(part.fieldname))
          throw new AppError(
            'invalid_request',
            `The multipart field "${part.fieldname}" is not one this endpoint reads; send only ${options.fields.length > 0 ? options.fields.map((name) => `"${name}"`).join(', ') : 'the file'}.`,
          );
        const value = String(part.value);
        checkText(value, `The multipart field "${part.fieldname}"`);
        fields[part.fieldname] = value;
      }
    }
    if (extraFiles > 0) {
      throw new AppError(
        'payload_too_large',
        `Too many files: ${files.length + rejected.length + extraFiles} sent, at most ${maxFiles} allowed in one request.`,
      );
    }
    if (!options.perFile && rejected.length > 0) throw rejected[0].error;
  } catch (error) {
    await discardStoredFiles(deps, files);
    throw isFramingError(error) ? framingError(error as Error) : error;
  }
  return { files, fields, rejected };
}

/** A field sent as JSON text; plain text is kept as a string. */
export function readJsonField(fields: Record<string, string>, name: string): unknown {
  const raw = fields[name];
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      throw new AppError('invalid_request', `The multipart field "${name}" is not valid JSON.`);
    }
    checkJsonValue(value, `The multipart field "${name}"`);
    return value;
  }
  return raw;
}

/**
 * Checks a value against a route's request schema, compiled once by the caller
 * (`TypeCompiler.Compile`), and gives it the schema's type. For bodies Fastify does not validate
 * with that schema: one assembled from multipart fields, or a JSON body of a route that takes
 * JSON or multipart (its schema is declared per content type, which the type provider cannot
 * see, so the body arrives as `unknown` even though Fastify has checked it).
 */
export function assertMatches<T extends TSchema>(check: TypeCheck<T>, value: unknown, what = 'body'): Static<T> {
  if (check.Check(value)) return value;
  const first = check.Errors(value).First();
  const where = first?.path ? first.path.replace(/^\//, '').replace(/\//g, '.') : what;
  throw new AppError(
    'invalid_request',
    `Invalid request ${what}: ${where} ${first?.message.toLowerCase() ?? 'does not match the schema'}.`,
  );
}
