/**
 * Request and response schemas shared by several routes. Each schema and its type share a
 * name; Fastify validates requests with them and `/openapi.json` is generated from them.
 */
import { Type, type Static } from '@sinclair/typebox';
import { CLASSIFY_MODES } from '../core/classifier.js';
import { RUN_STATUSES } from '../core/run.js';

export const ErrorBody = Type.Object(
  { success: Type.Literal(false), error: Type.String(), message: Type.String() },
  { additionalProperties: true, description: 'Every error: a stable code and a message saying what to do.' },
);

export const ClassDefinition = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    keywords: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 200 })),
    route: Type.Optional(Type.String({ maxLength: 2000, description: 'Where `file.routed` goes for files of this class.' })),
  },
  { additionalProperties: false },
);

export const ClassifierSettings = Type.Object(
  {
    page_range: Type.Optional(Type.String({ maxLength: 200, description: '1-based pages to read, e.g. "1-3,5".' })),
    max_pages: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    threshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    mode: Type.Optional(Type.Union(CLASSIFY_MODES.map((mode) => Type.Literal(mode)))),
    engine: Type.Optional(Type.String({ maxLength: 100 })),
    model: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const ClassifierConfig = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    classes: Type.Array(ClassDefinition, { minItems: 1, maxItems: 500 }),
    settings: Type.Optional(ClassifierSettings),
  },
  { additionalProperties: false },
);
export type ClassifierConfig = Static<typeof ClassifierConfig>;

export const Label = Type.Object(
  { class: Type.String(), confidence: Type.Number(), reason: Type.String(), suggested_class: Type.Union([Type.String(), Type.Null()]) },
  { additionalProperties: true },
);

export const ClassificationOutput = Type.Object(
  {
    classification: Label,
    confidence_scores: Type.Record(Type.String(), Type.Number()),
    pages: Type.Array(
      Type.Object(
        {
          page: Type.Integer({ description: '0-based page of the file.' }),
          class: Type.String(),
          confidence: Type.Number(),
          reason: Type.String(),
          suggested_class: Type.Union([Type.String(), Type.Null()]),
          confidence_scores: Type.Optional(Type.Record(Type.String(), Type.Number())),
        },
        { additionalProperties: true },
      ),
    ),
    segments: Type.Array(
      Type.Object(
        {
          class: Type.String(),
          first_page: Type.Integer(),
          last_page: Type.Integer(),
          confidence: Type.Number(),
          reason: Type.String({ description: 'Why these pages are one document and why it has this class.' }),
        },
        { additionalProperties: true },
      ),
    ),
    mode: Type.String(),
    engine: Type.String(),
  },
  { additionalProperties: true },
);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const ClassifyRun = Type.Object(
  {
    object: Type.Literal('classify_run'),
    id: Type.String({ description: 'clr_…' }),
    status: Type.Union(RUN_STATUSES.map((status) => Type.Literal(status))),
    file_id: Type.String(),
    classifier: Nullable(Type.Object({ id: Type.String() })),
    version: Nullable(Type.Integer()),
    config: Type.Object({}, { additionalProperties: true, description: 'The classifier definition the run used.' }),
    page_range: Nullable(Type.String()),
    query_model: Nullable(Type.String()),
    output: Nullable(ClassificationOutput),
    initial_output: Nullable(ClassificationOutput),
    reviewed_output: Nullable(ClassificationOutput),
    reviewed: Type.Boolean(),
    failure_reason: Nullable(Type.String()),
    failure_message: Nullable(Type.String()),
    metadata: Nullable(Type.Object({}, { additionalProperties: true })),
    usage: Nullable(Type.Object({ pages: Type.Integer(), credits: Type.Number() })),
    num_pages: Nullable(Type.Integer()),
    duration_ms: Nullable(Type.Integer()),
    batch_id: Nullable(Type.String()),
    redo_of: Nullable(Type.String()),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: true },
);

export const FileReference = Type.Union([
  Type.Object({ id: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  Type.Object({ url: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }),
]);
export type FileReference = Static<typeof FileReference>;

export const Metadata = Type.Object({}, { additionalProperties: true, description: 'Echoed back on the run (≤ 10 KB); `usage_tags: string[]` inside it tags usage.' });

export const CreateRunBody = Type.Object(
  {
    classifier: Type.Optional(Type.Object({ id: Type.String({ minLength: 1 }), version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false })),
    config: Type.Optional(ClassifierConfig),
    file: FileReference,
    page_range: Type.Optional(Type.String({ maxLength: 200 })),
    query_model: Type.Optional(Type.String({ maxLength: 200 })),
    metadata: Type.Optional(Metadata),
  },
  { additionalProperties: false },
);
export type CreateRunBody = Static<typeof CreateRunBody>;

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
