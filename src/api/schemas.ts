/**
 * Schemas only the server's routes use: the error body, id parameters and the error answers
 * documented on every route. The resources and request bodies the client shares are in
 * `core/api-types.ts` and `core/api-requests.ts`.
 */
import { Type, type Static } from '@sinclair/typebox';

export const ErrorBody = Type.Object(
  { success: Type.Literal(false), error: Type.String(), message: Type.String() },
  { title: 'Error', additionalProperties: true, description: 'Every error: a stable code and a message saying what to do.' },
);

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
export type IdParams = Static<typeof IdParams>;

/** Error responses documented on every route. */
export const ERROR_RESPONSES = {
  400: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  413: ErrorBody,
  415: ErrorBody,
  422: ErrorBody,
  500: ErrorBody,
};

/**
 * The same error responses, for routes whose success answer has no schema (an image, a file's
 * bytes, a deletion notice). Seen as plain JSON schemas, they leave the type provider's reply
 * type open; typed as TypeBox schemas, they would make the error body the only answer allowed.
 */
export const UNDESCRIBED_SUCCESS_ERROR_RESPONSES: Record<number, object> = ERROR_RESPONSES;

/** Raw bytes in a response or a multipart part. */
export const Binary = { type: 'string', format: 'binary' } as const;

/** A form field holding JSON text (`classifier`, `config`, `metadata`, …). */
const jsonText = (description: string) => ({ type: 'string', description: `JSON text: ${description}` });

const PASSWORD_FIELD = {
  type: 'string',
  description: 'The password of an encrypted PDF. Used to read it and kept only encrypted; never shown or logged.',
} as const;

/** The multipart form of `POST /v1/files`. */
export const UploadForm = {
  type: 'object',
  required: ['file'],
  properties: { file: Binary, password: PASSWORD_FIELD },
} as const;

/** The multipart form of the routes that start a run: the file and the JSON body's other fields as text. */
export const RunForm = {
  type: 'object',
  properties: {
    file: Binary,
    classifier: jsonText('{ "id": "cl_…", "version": 2 }'),
    config: jsonText('an inline classifier definition { "classes": [...] }'),
    metadata: jsonText('an object echoed back on the run'),
    page_range: { type: 'string', description: '1-based pages to read, e.g. "1-3,5".' },
    query_model: { type: 'string' },
    password: PASSWORD_FIELD,
    file_url: { type: 'string', description: 'Instead of `file`: a URL to fetch.' },
    categories: jsonText('[{ "name" }, …] — the seed API name for `config.classes`'),
  },
} as const;

/** The multipart form of `POST /v1/classifiers/{id}/batches`: any number of file parts. */
export const BatchForm = {
  type: 'object',
  required: ['files'],
  properties: {
    files: { type: 'array', items: Binary, description: 'One part per file (any part name).' },
    metadata: jsonText('an object echoed back on every run of the batch'),
    page_range: { type: 'string' },
  },
} as const;

/** The multipart form of `POST /v1/classifiers/{id}/examples`. */
export const ExampleForm = {
  type: 'object',
  required: ['file', 'class'],
  properties: { file: Binary, class: { type: 'string' } },
} as const;
