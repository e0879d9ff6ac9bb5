/**
 * The request bodies and queries of the HTTP API that the typed client sends too, described
 * once as TypeBox schemas: Fastify validates requests with them, and the client derives its
 * request types from them (type-only imports). Each schema and its type share a name.
 */
import { Type, type Static } from '@sinclair/typebox';
import { WORKSPACE_NAME_PATTERN } from './access.js';
import { ClassifierConfig, JsonObject, KeyRole, Nullable } from './api-types.js';
import { REVIEW_STATUSES, RUN_STATUSES } from './run.js';
import { WEBHOOK_EVENT_TYPES } from './webhook-event-types.js';

const EventType = Type.Union(WEBHOOK_EVENT_TYPES.map((type) => Type.Literal(type)));

export const FileReference = Type.Union(
  [
    Type.Object({ id: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
    Type.Object({ url: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }),
  ],
  { title: 'FileReference' },
);
export type FileReference = Static<typeof FileReference>;

/** The password of an encrypted PDF: kept only encrypted at rest, never in a response or a log line. */
export const PdfPassword = Type.String({
  minLength: 1,
  maxLength: 1000,
  description: 'The password of an encrypted PDF. Used to read it and kept only encrypted; never shown or logged.',
});

export const Metadata = JsonObject({ description: 'Echoed back on the run (≤ 10 KB); `usage_tags: string[]` inside it tags usage.' });

const DeleteFileAfter = Type.Boolean({
  description:
    'Delete the file (and its bytes, unless another file has them) once the run has finished. Redo needs the file, so it fails then.',
});

export const CreateRunBody = Type.Object(
  {
    classifier: Type.Optional(
      Type.Object(
        { id: Type.String({ minLength: 1 }), version: Type.Optional(Type.Integer({ minimum: 1 })) },
        { additionalProperties: false },
      ),
    ),
    config: Type.Optional(ClassifierConfig),
    file: FileReference,
    page_range: Type.Optional(Type.String({ maxLength: 200 })),
    query_model: Type.Optional(Type.String({ maxLength: 200 })),
    metadata: Type.Optional(Metadata),
    password: Type.Optional(PdfPassword),
    delete_file_after: Type.Optional(DeleteFileAfter),
  },
  { title: 'CreateRunBody', additionalProperties: false },
);
export type CreateRunBody = Static<typeof CreateRunBody>;

/** `?expand=classifier`: runs of a saved classifier carry the definition they used (`config`) too. */
export const ExpandQuery = Type.Object(
  {
    expand: Type.Optional(
      Type.Literal('classifier', {
        description: 'Include `config`, the classifier definition the run used, in runs of a saved classifier.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ExpandQuery = Static<typeof ExpandQuery>;

export const RunListQuery = Type.Object(
  {
    expand: ExpandQuery.properties.expand,
    classifier_id: Type.Optional(Type.String()),
    status: Type.Optional(Type.Union(RUN_STATUSES.map((status) => Type.Literal(status)))),
    class: Type.Optional(Type.String({ description: 'Label of the final output.' })),
    tag: Type.Optional(Type.String({ description: 'A usage tag from metadata.usage_tags.' })),
    batch_id: Type.Optional(Type.String()),
    review_status: Type.Optional(Type.Union(REVIEW_STATUSES.map((status) => Type.Literal(status)))),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text the file name contains (any case).' })),
    created_after: Type.Optional(Type.String({ format: 'date-time' })),
    created_before: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type RunListQuery = Static<typeof RunListQuery>;

/** The filters of the run list, without paging: what `GET /v1/classify_runs/counts` counts under. */
export const RunCountsQuery = Type.Omit(RunListQuery, ['limit', 'cursor']);
export type RunCountsQuery = Static<typeof RunCountsQuery>;

/** A reviewer's verdict: the document's class and, optionally, page labels and split segments to change. */
export const Review = Type.Object(
  {
    class: Type.String({ minLength: 1 }),
    pages: Type.Optional(
      Type.Array(
        Type.Object({ page: Type.Integer({ minimum: 0 }), class: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
        { maxItems: 10_000 },
      ),
    ),
    segments: Type.Optional(
      Type.Array(
        Type.Object(
          { first_page: Type.Integer({ minimum: 0 }), last_page: Type.Integer({ minimum: 0 }), class: Type.String({ minLength: 1 }) },
          { additionalProperties: false },
        ),
        {
          minItems: 1,
          maxItems: 10_000,
          description:
            "The documents of the file, in page order, covering every page once; pages not in `pages` take their segment's class.",
        },
      ),
    ),
  },
  { title: 'Review', additionalProperties: false },
);
export type Review = Static<typeof Review>;

export const ReviewBody = Type.Object({ reviewed_output: Review }, { title: 'ReviewBody', additionalProperties: false });
export type ReviewBody = Static<typeof ReviewBody>;

export const BatchBody = Type.Object(
  {
    files: Type.Array(FileReference, { minItems: 1 }),
    metadata: Type.Optional(Metadata),
    page_range: Type.Optional(Type.String({ maxLength: 200 })),
    delete_file_after: Type.Optional(DeleteFileAfter),
  },
  { title: 'BatchBody', additionalProperties: false },
);
export type BatchBody = Static<typeof BatchBody>;

export const CreateWebhookBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    events: Type.Array(EventType, {
      maxItems: WEBHOOK_EVENT_TYPES.length,
      uniqueItems: true,
      description: 'Events to receive. May be empty for a webhook that only receives the `file.routed` events of class routes naming it.',
    }),
    secret: Type.Optional(
      Type.String({ minLength: 16, maxLength: 200, description: 'Your signing secret; one is generated when absent.' }),
    ),
    name: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
        description: 'For class routes: `route: "<name>"`.',
      }),
    ),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { title: 'CreateWebhookBody', additionalProperties: false },
);
export type CreateWebhookBody = Static<typeof CreateWebhookBody>;

export const UpdateWebhookBody = Type.Object(
  {
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    events: Type.Optional(Type.Array(EventType, { maxItems: WEBHOOK_EVENT_TYPES.length, uniqueItems: true })),
    secret: Type.Optional(
      Type.String({ minLength: 16, maxLength: 200, description: 'A new signing secret; used from the next attempt on.' }),
    ),
    name: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }))),
    description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    paused: Type.Optional(
      Type.Boolean({ description: '`false` resumes a paused webhook (and clears its failure count); `true` pauses it.' }),
    ),
  },
  { title: 'UpdateWebhookBody', additionalProperties: false },
);
export type UpdateWebhookBody = Static<typeof UpdateWebhookBody>;

export const CreateKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: Type.Optional(KeyRole),
    workspace: Type.Optional(
      Type.String({
        pattern: WORKSPACE_NAME_PATTERN,
        description: 'The workspace the key sees (`default` when absent); made when it does not exist yet.',
      }),
    ),
    admin: Type.Optional(Type.Boolean({ description: 'Older spelling of `role: "admin"`.' })),
    credit_quota: Type.Optional(Nullable(Type.Number({ minimum: 0 }))),
    rate_limit_per_minute: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 }))),
  },
  { title: 'CreateKeyBody', additionalProperties: false },
);
export type CreateKeyBody = Static<typeof CreateKeyBody>;

export const UpdateKeyBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    role: Type.Optional(KeyRole),
    credit_quota: Type.Optional(Nullable(Type.Number({ minimum: 0 }))),
    rate_limit_per_minute: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 }))),
  },
  { title: 'UpdateKeyBody', additionalProperties: false },
);
export type UpdateKeyBody = Static<typeof UpdateKeyBody>;

const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (UTC)' });
export const UsageQuery = Type.Object(
  {
    from: Type.Optional(DateString),
    to: Type.Optional(DateString),
    classifier_id: Type.Optional(Type.String({ maxLength: 100 })),
    api_key_id: Type.Optional(Type.String({ maxLength: 100 })),
    tag: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type UsageQuery = Static<typeof UsageQuery>;

export const CreateEvaluationBody = Type.Object(
  {
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'The classifier version to try; the current one when absent.' })),
  },
  { additionalProperties: false },
);
export type CreateEvaluationBody = Static<typeof CreateEvaluationBody>;
