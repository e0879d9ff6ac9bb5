/**
 * Multipart requests: files are streamed into the store as they arrive; the other parts are
 * fields whose values may be JSON text (`classifier`, `config`, `metadata`, …). The assembled
 * body is checked against the same schema as the JSON form of the request.
 */
import type { FastifyRequest } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { AppError } from '../core/errors.js';
import type { Deps } from '../jobs/deps.js';
import type { FileRow } from '../store/schema.js';
import { storeFileStream } from './file-ingest.js';

export interface MultipartBody {
  files: FileRow[];
  fields: Record<string, string>;
}

export function isMultipart(request: FastifyRequest): boolean {
  return request.isMultipart();
}

export async function readMultipart(request: FastifyRequest, deps: Deps, maxFiles: number): Promise<MultipartBody> {
  const files: FileRow[] = [];
  const fields: Record<string, string> = {};
  let extraFiles = 0;
  for await (const part of request.parts({ limits: { fileSize: deps.config.maxFileBytes, files: maxFiles + 1000, fields: 100 } })) {
    if (part.type === 'file') {
      if (files.length >= maxFiles) {
        // Read past the extra files so the request ends cleanly, then refuse the whole request.
        extraFiles++;
        part.file.resume();
        continue;
      }
      files.push(await storeFileStream(deps, part.file, part.filename));
    } else {
      fields[part.fieldname] = String(part.value);
    }
  }
  if (extraFiles > 0) {
    throw new AppError('payload_too_large', `Too many files: ${files.length + extraFiles} sent, at most ${maxFiles} allowed in one request.`);
  }
  return { files, fields };
}

/** A field sent as JSON text; plain text is kept as a string. */
export function readJsonField(fields: Record<string, string>, name: string): unknown {
  const raw = fields[name];
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      throw new AppError('invalid_request', `The multipart field "${name}" is not valid JSON.`);
    }
  }
  return raw;
}

const checks = new WeakMap<TSchema, TypeCheck<TSchema>>();

/** Checks a value assembled from multipart fields against a route's JSON body schema. */
export function assertMatches<T>(schema: TSchema, value: unknown, what = 'body'): T {
  let check = checks.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    checks.set(schema, check);
  }
  if (!check.Check(value)) {
    const first = check.Errors(value).First();
    const where = first?.path ? first.path.replace(/^\//, '').replace(/\//g, '.') : what;
    throw new AppError('invalid_request', `Invalid request ${what}: ${where} ${first?.message.toLowerCase() ?? 'does not match the schema'}.`);
  }
  return value as T;
}
