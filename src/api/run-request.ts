/**
 * Reads a "classify this file" request in either form — JSON with `file: { id } | { url }`, or
 * multipart with the file in part `file` and the other fields as JSON text — into the input of
 * `createRun`.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifyRequest } from 'fastify';
import { CreateRunBody } from '../core/api-requests.js';
import { AppError } from '../core/errors.js';
import type { Deps } from '../deps.js';
import { createRun, type CreateRunInput } from '../runs/runs.service.js';
import type { FileRow, RunRow } from '../store/schema.js';
import { discardStoredFiles } from './file-ingest.js';
import { assertMatches, readJsonField, readMultipart } from './multipart-body.js';
import { resolveFileReference } from './lookups.js';

const createRunBody = TypeCompiler.Compile(CreateRunBody);
/** The fields of CreateRunBody, sent as multipart fields. */
const RUN_FIELDS = ['classifier', 'config', 'metadata', 'file', 'page_range', 'query_model', 'password', 'delete_file_after'] as const;
/** What the job-based seed API sends in their place. */
const SEED_ALIASES = ['file_url', 'categories'] as const;

/**
 * Reads the request and creates its run. A file uploaded with a request that is then refused
 * (a bad field, an unknown classifier, bad settings) is removed again.
 */
export async function createRunFromRequest(request: FastifyRequest, deps: Deps): Promise<RunRow> {
  const uploaded: FileRow[] = [];
  try {
    return await createRun(deps, await readRunRequest(request, deps, uploaded));
  } catch (error) {
    await discardStoredFiles(deps, uploaded);
    throw error;
  }
}

/** `uploaded` receives the file this request stored (an upload or a download), so a caller can remove it if the request fails. */
export async function readRunRequest(request: FastifyRequest, deps: Deps, uploaded: FileRow[] = []): Promise<CreateRunInput> {
  let body: CreateRunBody;
  if (request.isMultipart()) {
    const { files, fields } = await readMultipart(request, deps, 1, { fields: [...RUN_FIELDS, ...SEED_ALIASES] });
    uploaded.push(...files);
    const assembled: Record<string, unknown> = {};
    for (const name of RUN_FIELDS) {
      const value = readJsonField(fields, name);
      if (value !== undefined) assembled[name] = value;
    }
    // The job-based seed API sends `file_url` and `categories`; accept them as aliases.
    if (fields.file_url && !assembled.file) assembled.file = { url: fields.file_url };
    if (files.length > 0) {
      if (assembled.file)
        throw new AppError('invalid_request', 'Send the file either as an upload or as "file": { "id" | "url" }, not both.');
      assembled.file = { id: files[0].id };
    }
    if (!assembled.config && fields.categories) {
      const categories = readJsonField(fields, 'categories');
      if (!Array.isArray(categories)) throw new AppError('invalid_request', '"categories" must be a JSON array of { "name" } objects.');
      assembled.config = { classes: categories };
    }
    if (!assembled.file)
      throw new AppError('invalid_request', 'No file: upload one in the multipart part "file", or send "file": { "id" } or { "url" }.');
    body = assertMatches(createRunBody, assembled);
  } else {
    if (request.body === undefined || request.body === null || typeof request.body !== 'object') {
      throw new AppError(
        'invalid_request',
        'Send JSON { "classifier": { "id" } | "config": {…}, "file": { "id" } | { "url" } } or multipart/form-data.',
      );
    }
    // Fastify has checked a JSON body against CreateRunBody already; this gives it its type.
    body = assertMatches(createRunBody, request.body);
  }
  const fileId = (await resolveFileReference(deps, request.workspaceId, body.file, uploaded)).id;
  return {
    workspaceId: request.workspaceId,
    fileId,
    classifier: body.classifier,
    config: body.config,
    pageRange: body.page_range ?? null,
    queryModel: body.query_model ?? null,
    metadata: body.metadata ?? null,
    deleteFileAfter: body.delete_file_after ?? false,
    apiKeyId: request.apiKey?.id ?? null,
    password: body.password ?? null,
  };
}
