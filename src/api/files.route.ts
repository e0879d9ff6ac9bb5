/** Files: upload (multipart or URL), look up, read one page (text or PNG), delete. */
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { PdfPassword } from '../core/api-requests.js';
import { Deleted, FileView, PageView } from '../core/api-types.js';
import { AppError } from '../core/errors.js';
import type { ExtractedDocument } from '../core/document.js';
import type { Deps } from '../deps.js';
import { readRequestedPage, renderRequestedPage } from '../runs/read-requested-page.js';
import { keepPdfPassword } from '../runs/runs.service.js';
import { toRfc3339 } from '../runs/run-view.js';
import { deleteStoredFile } from '../store/delete-stored-file.js';
import type { FileRow } from '../store/schema.js';
import { storeFileFromUrl } from './file-ingest.js';
import type { ApiInstance } from './api-instance.js';
import { assertMatches, readMultipart } from './multipart-body.js';
import { Binary, ERROR_RESPONSES, IdParams, UNDESCRIBED_SUCCESS_ERROR_RESPONSES, UploadForm } from './schemas.js';
import { requireFile } from './lookups.js';

export function toFileView(file: FileRow): FileView {
  return {
    object: 'file' as const,
    id: file.id,
    name: file.name,
    status: file.num_pages === null ? ('uploaded' as const) : ('processed' as const),
    type: file.type,
    mime_type: file.mime_type,
    size: file.size,
    sha256: file.sha256,
    num_pages: file.num_pages,
    source_url: file.source_url,
    created_at: toRfc3339(file.created_at),
  };
}

const UrlBody = Type.Object(
  { url: Type.String({ minLength: 1, maxLength: 4000 }), password: Type.Optional(PdfPassword) },
  { additionalProperties: false },
);
const urlBody = TypeCompiler.Compile(UrlBody);
const PageParams = Type.Object({ id: Type.String(), n: Type.String({ pattern: '^[0-9]{1,6}$', description: '1-based page number.' }) });
const PageQuery = Type.Object(
  {
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('png')])),
    words: Type.Optional(
      Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'Include word boxes (0..1 of the page).' }),
    ),
    max_size: Type.Optional(
      Type.String({
        pattern: '^[0-9]{2,4}$',
        description: 'With `format=png`: the longer side of the image at most this many pixels (16–4000), e.g. 240 for a thumbnail.',
      }),
    ),
  },
  { additionalProperties: false },
);

export function registerFileRoutes(app: ApiInstance, deps: Deps): void {
  app.post(
    '/v1/files',
    {
      schema: {
        summary: 'Upload a file (multipart part `file`) or fetch one from a URL (JSON `{ "url" }`)',
        operationId: 'createFile',
        tags: ['files'],
        consumes: ['multipart/form-data', 'application/json'],
        body: { content: { 'application/json': { schema: UrlBody } } },
        multipartBody: UploadForm,
        response: { 201: FileView, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      let file: FileRow;
      let password: string | undefined;
      if (request.isMultipart()) {
        const { files, fields } = await readMultipart(request, deps, 1, { fields: ['password'] });
        if (files.length === 0) throw new AppError('invalid_request', 'No file in the request; send it in the multipart part "file".');
        file = files[0];
        password = fields.password;
      } else {
        // Fastify has checked a JSON body against UrlBody already; this gives it its type.
        const body = request.body === undefined ? undefined : assertMatches(urlBody, request.body);
        if (!body?.url)
          throw new AppError('invalid_request', 'Send the file as multipart/form-data (part "file") or JSON { "url": "https://…" }.');
        file = await storeFileFromUrl(deps, request.workspaceId, body.url);
        password = body.password;
      }
      if (password) await keepPdfPassword(deps, file, password);
      return reply.code(201).send(toFileView(file));
    },
  );

  app.get(
    '/v1/files/:id',
    {
      schema: {
        summary: 'A stored file',
        operationId: 'getFile',
        tags: ['files'],
        params: IdParams,
        response: { 200: FileView, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { id } = request.params;
      return toFileView(await requireFile(deps, request.workspaceId, id));
    },
  );

  app.get(
    '/v1/files/:id/pages/:n',
    {
      schema: {
        summary: 'One page: its text and lines (JSON; `?words=true` adds word boxes), or `?format=png` for an image of it',
        operationId: 'getFilePage',
        tags: ['files'],
        params: PageParams,
        querystring: PageQuery,
        response: {
          200: { description: 'The page', content: { 'application/json': { schema: PageView }, 'image/png': { schema: Binary } } },
          ...UNDESCRIBED_SUCCESS_ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const { id, n } = request.params;
      const { format, words, max_size } = request.query;
      const file = await requireFile(deps, request.workspaceId, id);
      const pageNumber = Number(n);
      if (pageNumber < 1) throw new AppError('invalid_request', 'Pages are numbered from 1.');
      if (file.num_pages !== null && pageNumber > file.num_pages)
        throw new AppError('not_found', `The file has ${file.num_pages} pages; there is no page ${pageNumber}.`);
      if (max_size !== undefined && format !== 'png') throw new AppError('invalid_request', 'max_size goes with format=png.');
      if (format === 'png') {
        const maxDimension = max_size === undefined ? undefined : Number(max_size);
        if (maxDimension !== undefined && !(maxDimension >= 16 && maxDimension <= 4000))
          throw new AppError('invalid_request', `max_size must be between 16 and 4000 pixels (got ${max_size}).`);
        const png = await renderRequestedPage(deps, file, pageNumber - 1, { maxDimension });
        // A file's bytes never change under its id, so its pages can be kept by the browser.
        return reply.type('image/png').header('cache-control', 'private, max-age=86400').send(png);
      }
      let document: ExtractedDocument;
      try {
        document = await readRequestedPage(deps, file, pageNumber - 1, { words: words === 'true' });
      } catch (error) {
        // A page past the end is a missing page here, as it is once the page count is known (404, not a bad range).
        if (error instanceof AppError && error.code === 'invalid_page_range') throw new AppError('not_found', error.message);
        throw error;
      }
      const page = document.pages[0];
      if (!page) throw new AppError('not_found', `The file has ${document.num_pages} pages; there is no page ${pageNumber}.`);
      return { ...page, object: 'page', file_id: file.id, page: pageNumber, num_pages: document.num_pages };
    },
  );

  app.get(
    '/v1/files/:id/content',
    {
      schema: {
        summary: 'The stored bytes of a file, as uploaded (for the next step after routing)',
        operationId: 'getFileContent',
        tags: ['files'],
        params: IdParams,
        response: {
          200: { description: 'The bytes, with the type detected at upload', content: { 'application/octet-stream': { schema: Binary } } },
          ...UNDESCRIBED_SUCCESS_ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const file = await requireFile(deps, request.workspaceId, id);
      // Streamed from the blob store: a large file never sits in memory.
      const stream = await deps.blobs.openRead(file.sha256).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'not_found')
          throw new AppError('not_found', `The bytes of file "${id}" are no longer stored.`);
        throw error;
      });
      const name = (file.name ?? `${file.id}.${file.type}`).replace(/["\\\r\n]/g, '_');
      return reply
        .type(file.mime_type)
        .header('content-length', String(file.size))
        .header(
          'content-disposition',
          `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
        )
        .send(stream);
    },
  );

  app.delete(
    '/v1/files/:id',
    {
      schema: {
        summary: 'Delete a file (its bytes go when no other file has them)',
        operationId: 'deleteFile',
        tags: ['files'],
        params: IdParams,
        response: { 200: Deleted, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { id } = request.params;
      const file = await requireFile(deps, request.workspaceId, id);
      await deleteStoredFile(deps.store.db, deps.blobs, file);
      return { object: 'file', id: file.id, deleted: true as const };
    },
  );
}
