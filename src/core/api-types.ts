/**
 * The resources the HTTP API answers with, described once as TypeBox schemas: the server
 * serializes its responses with them (and `/openapi.json` is generated from them), and the
 * server's views and the typed client (`docsort/client`, through type-only imports) take their
 * types from them. Each schema and its type share a name.
 *
 * Where a field's wire schema is looser than the values the server ever sends (a run status in a
 * batch, a failure reason, a delivery's event type), `Type.Unsafe` keeps the wire schema as it is
 * and gives the field its precise type.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ROLES, type Role } from './access.js';
import { CLASSIFY_MODES } from './classifier.js';
import { REVIEW_STATUSES, RUN_STATUSES, type FailureReason as KnownFailureReason, type RunStatus } from './run.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhook-event-types.js';

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A run status where the wire schema says only "string". */
const RunStatusString = Type.Unsafe<RunStatus>(Type.String());

/** Clients must tolerate reasons added later, so the type stays open beyond the known ones. */
export type FailureReason = KnownFailureReason | (string & {});
const FailureReasonString = Type.Unsafe<FailureReason>(Type.String());

/** A free-form JSON object: its fields can be read as `unknown`; the wire schema stays an open object. */
export const JsonObject = (options: { description?: string } = {}) =>
  Type.Unsafe<Record<string, unknown>>(Type.Object({}, { additionalProperties: true, ...options }));

const EventType = Type.Union(WEBHOOK_EVENT_TYPES.map((type) => Type.Literal(type)));

export const ClassDefinition = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    keywords: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 200 })),
    route: Type.Optional(Type.String({ maxLength: 2000, description: 'Where `file.routed` goes for files of this class.' })),
  },
  { additionalProperties: false },
);
export type ClassDefinition = Static<typeof ClassDefinition>;

export const ClassifierSettings = Type.Object(
  {
    page_range: Type.Optional(Type.String({ maxLength: 200, description: '1-based pages to read, e.g. "1-3,5".' })),
    max_pages: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    threshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    mode: Type.Optional(Type.Union(CLASSIFY_MODES.map((mode) => Type.Literal(mode)))),
    engine: Type.Optional(Type.String({ maxLength: 100 })),
    model: Type.Optional(Type.String({ maxLength: 200 })),
    review_below: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description:
          'Runs less confident than this need a person (`review_status: needs_review`); absent: only `unknown` and failed runs do.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ClassifierSettings = Static<typeof ClassifierSettings>;

/** A classifier definition as the API takes it (create, inline `config`) and shows it. */
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

export const ClassifierView = Type.Object(
  {
    object: Type.Literal('classifier'),
    id: Type.String({ description: 'cl_…' }),
    version: Type.Integer(),
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    classes: Type.Array(ClassDefinition),
    settings: ClassifierSettings,
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: true },
);
export type ClassifierView = Static<typeof ClassifierView>;

/** One version of a classifier, as `GET /v1/classifiers/:id/versions` lists it. */
export const ClassifierVersionView = Type.Object(
  {
    object: Type.Literal('classifier_version'),
    classifier_id: Type.String(),
    version: Type.Integer(),
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    classes: Type.Array(ClassDefinition),
    settings: ClassifierSettings,
    created_at: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: true },
);
export type ClassifierVersionView = Static<typeof ClassifierVersionView>;

export const Label = Type.Object(
  { class: Type.String(), confidence: Type.Number(), reason: Type.String(), suggested_class: Type.Union([Type.String(), Type.Null()]) },
  { additionalProperties: true },
);
export type Label = Static<typeof Label>;

export const PageLabel = Type.Object(
  {
    page: Type.Integer({ description: '0-based page of the file.' }),
    class: Type.String(),
    confidence: Type.Number(),
    reason: Type.String(),
    suggested_class: Type.Union([Type.String(), Type.Null()]),
    confidence_scores: Type.Optional(Type.Record(Type.String(), Type.Number())),
  },
  { additionalProperties: true },
);
export type PageLabel = Static<typeof PageLabel>;

export const SegmentLabel = Type.Object(
  {
    class: Type.String(),
    first_page: Type.Integer(),
    last_page: Type.Integer(),
    confidence: Type.Number(),
    reason: Type.String({ description: 'Why these pages are one document and why it has this class.' }),
  },
  { additionalProperties: true },
);
export type SegmentLabel = Static<typeof SegmentLabel>;

export const ClassificationOutput = Type.Object(
  {
    classification: Label,
    confidence_scores: Type.Record(Type.String(), Type.Number()),
    pages: Type.Array(PageLabel),
    segments: Type.Array(SegmentLabel),
    mode: Type.String(),
    engine: Type.String(),
  },
  { additionalProperties: true },
);
export type ClassificationOutput = Static<typeof ClassificationOutput>;

export const ClassifyRun = Type.Object(
  {
    object: Type.Literal('classify_run'),
    id: Type.String({ description: 'clr_…' }),
    status: Type.Union(RUN_STATUSES.map((status) => Type.Literal(status))),
    file_id: Type.String(),
    classifier: Nullable(Type.Object({ id: Type.String() })),
    version: Nullable(Type.Integer()),
    // Sent as stored, every field kept: the wire schema stays an open object.
    config: Type.Unsafe<ClassifierConfig>(
      Type.Object({}, { additionalProperties: true, description: 'The classifier definition the run used.' }),
    ),
    page_range: Nullable(Type.String()),
    query_model: Nullable(Type.String()),
    /** The final output: reviewed when reviewed, otherwise initial. Present when PROCESSED. */
    output: Nullable(ClassificationOutput),
    initial_output: Nullable(ClassificationOutput),
    reviewed_output: Nullable(ClassificationOutput),
    reviewed: Type.Boolean(),
    review_status: Nullable(
      Type.Union(
        REVIEW_STATUSES.map((status) => Type.Literal(status)),
        {
          description:
            '`needs_review` (unknown, below `settings.review_below`, or FAILED), `reviewed`, `auto_accepted`; null while PENDING or PROCESSING and for CANCELLED runs.',
        },
      ),
    ),
    file_name: Nullable(Type.String({ description: 'The name the file was uploaded with.' })),
    reviewed_from: Nullable(
      Type.String({
        description:
          'The run whose review this run carries: the run it redoes, or an earlier reviewed run of the same bytes and classifier.',
      }),
    ),
    failure_reason: Nullable(FailureReasonString),
    failure_message: Nullable(Type.String()),
    metadata: Nullable(JsonObject()),
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
export type ClassifyRun = Static<typeof ClassifyRun>;

export const FileView = Type.Object(
  {
    object: Type.Literal('file'),
    id: Type.String({ description: 'file_…' }),
    name: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([Type.Literal('uploaded'), Type.Literal('processed')], {
      description: '`processed` once its pages have been read.',
    }),
    type: Type.String({ description: 'Detected from the bytes: pdf, jpeg, png, gif, webp, bmp, tiff.' }),
    mime_type: Type.String(),
    size: Type.Integer(),
    sha256: Type.String(),
    num_pages: Type.Union([Type.Integer(), Type.Null()]),
    source_url: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: true },
);
export type FileView = Static<typeof FileView>;

export const BatchFileView = Type.Object(
  {
    file_id: Type.String(),
    file_name: Type.Union([Type.String(), Type.Null()]),
    run_id: Type.String(),
    status: RunStatusString,
    class: Type.Union([Type.String(), Type.Null()]),
    confidence: Type.Union([Type.Number(), Type.Null()]),
    reason: Type.Union([Type.String(), Type.Null()]),
    reviewed: Type.Boolean(),
    failure_reason: Type.Union([FailureReasonString, Type.Null()]),
  },
  { additionalProperties: true },
);
export type BatchFileView = Static<typeof BatchFileView>;

export const BatchView = Type.Object(
  {
    object: Type.Literal('batch'),
    id: Type.String({ description: 'batch_…' }),
    classifier_id: Type.String(),
    status: Type.Union([Type.Literal('queued'), Type.Literal('processing'), Type.Literal('processed')]),
    file_count: Type.Integer(),
    files: Type.Array(BatchFileView),
    metadata: Type.Union([JsonObject(), Type.Null()]),
    rejected_files: Type.Optional(
      Type.Array(Type.Object({ file_name: Type.Union([Type.String(), Type.Null()]), error: Type.String(), message: Type.String() }), {
        description:
          'Only in the answer to POST: files that could not be taken (unsupported, empty, too large, unknown id), each with its error.',
      }),
    ),
    created_at: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: true },
);
export type BatchView = Static<typeof BatchView>;

export const WebhookView = Type.Object(
  {
    object: Type.Literal('webhook'),
    id: Type.String({ description: 'wh_…' }),
    name: Nullable(Type.String({ description: 'A class `route` may name this webhook instead of giving its URL.' })),
    url: Type.String(),
    events: Type.Array(EventType),
    description: Nullable(Type.String()),
    source: Type.Union([Type.Literal('api'), Type.Literal('route')], { description: '`route`: created for a class route URL.' }),
    secret: Type.Optional(
      Type.String({
        description: 'HMAC-SHA256 key of the `docsort-signature` header; only in the answers of create and rotate_secret, never again.',
      }),
    ),
    created_at: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: true },
);
export type WebhookView = Static<typeof WebhookView>;

const AttemptView = Type.Object({
  attempt: Type.Integer(),
  status_code: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  duration_ms: Type.Integer(),
  response_body: Nullable(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
});

export const DeliveryView = Type.Object(
  {
    object: Type.Literal('webhook_delivery'),
    id: Type.String({ description: 'dlv_…' }),
    webhook_id: Type.String(),
    event_id: Type.String({ description: 'evt_…: the same on every attempt and redelivery of the event.' }),
    event_type: Type.Unsafe<WebhookEventType>(Type.String()),
    status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
    attempts: Type.Integer(),
    next_attempt_at: Nullable(Type.String({ format: 'date-time' })),
    last_status_code: Nullable(Type.Integer()),
    last_error: Nullable(Type.String()),
    delivered_at: Nullable(Type.String({ format: 'date-time' })),
    created_at: Type.String({ format: 'date-time' }),
    attempt_log: Type.Array(AttemptView),
  },
  { additionalProperties: true },
);
export type DeliveryView = Static<typeof DeliveryView>;

/** What a key may do in its workspace: `read` < `review` < `write` < `admin`. */
export const KeyRole = Type.Unsafe<Role>(
  Type.String({
    enum: [...ROLES],
    description:
      '`read`: read only; `review`: read and review runs; `write`: everything in the workspace; `admin`: also keys and workspaces.',
  }),
);

export const WorkspaceView = Type.Object(
  {
    object: Type.Literal('workspace'),
    id: Type.String({ description: 'The name, e.g. `default`.' }),
    active_keys: Type.Integer({ description: 'Keys of the workspace that are not revoked.' }),
    created_at: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: true },
);
export type WorkspaceView = Static<typeof WorkspaceView>;

export const ApiKeyView = Type.Object(
  {
    object: Type.Literal('api_key'),
    id: Type.String({ description: 'key_…' }),
    name: Type.String(),
    prefix: Type.String({ description: 'The first characters of the key, to tell keys apart.' }),
    role: KeyRole,
    workspace: Type.String({ description: 'The one workspace whose files, classifiers, runs, batches and webhooks the key sees.' }),
    admin: Type.Boolean({ description: 'Role `admin`: may manage keys and workspaces.' }),
    credit_quota: Nullable(Type.Number({ description: 'Credits the key may spend in total; null = unlimited.' })),
    credits_used: Type.Number(),
    credits_remaining: Nullable(Type.Number()),
    rate_limit_per_minute: Nullable(Type.Integer({ description: 'null = the server default (RATE_LIMIT_PER_MINUTE).' })),
    created_at: Type.String({ format: 'date-time' }),
    last_used_at: Nullable(Type.String({ format: 'date-time' })),
    revoked_at: Nullable(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: true },
);
export type ApiKeyView = Static<typeof ApiKeyView>;

export const CreatedApiKey = Type.Intersect([
  ApiKeyView,
  Type.Object({ key: Type.String({ description: 'The secret key, shown only in this response.' }) }),
]);
export type CreatedApiKey = Static<typeof CreatedApiKey>;

const Totals = { runs: Type.Integer(), pages: Type.Integer(), credits: Type.Number() };

export const UsageReport = Type.Object(
  {
    object: Type.Literal('usage'),
    from: Type.String({ format: 'date', description: 'First UTC day counted.' }),
    to: Type.String({ format: 'date', description: 'Last UTC day counted.' }),
    credits_per_page: Type.Number({ description: 'The rate runs are charged at.' }),
    totals: Type.Object(Totals),
    by_day: Type.Array(Type.Object({ day: Type.String({ format: 'date' }), ...Totals })),
    by_classifier: Type.Array(Type.Object({ classifier_id: Nullable(Type.String()), ...Totals })),
    by_key: Type.Array(Type.Object({ api_key_id: Nullable(Type.String()), ...Totals })),
    by_tag: Type.Array(Type.Object({ tag: Type.String(), ...Totals })),
    quota: Nullable(
      Type.Object({
        api_key_id: Type.String(),
        credit_quota: Nullable(Type.Number()),
        credits_used: Type.Number(),
        credits_remaining: Nullable(Type.Number()),
      }),
    ),
  },
  { additionalProperties: true },
);
export type UsageReport = Static<typeof UsageReport>;

/** One reviewed run in an evaluation: what a person said and what the engine (or the evaluated version) said. */
export const EvaluationItem = Type.Object(
  {
    run_id: Type.String(),
    file_name: Nullable(Type.String()),
    version: Nullable(Type.Integer({ description: 'The classifier version that gave `predicted`.' })),
    reviewed_class: Type.String(),
    predicted: Nullable(Type.String({ description: 'null when the file could not be classified again (see `error`).' })),
    confidence: Type.Number(),
    error: Nullable(Type.String()),
  },
  { additionalProperties: true },
);
export type EvaluationItem = Static<typeof EvaluationItem>;

const ClassScores = Type.Object({ precision: Type.Number(), recall: Type.Number(), f1: Type.Number(), support: Type.Integer() });

/** Accuracy of predictions against reviewed classes: the numbers behind the console's evaluation screen. */
export const EvaluationReport = Type.Object(
  {
    runs: Type.Integer({ description: 'Reviewed runs scored (those that could not be classified again are left out).' }),
    accuracy: Type.Number(),
    macro_f1: Type.Number(),
    ece: Type.Number({ description: 'Expected calibration error over 10 equal-width confidence bins.' }),
    per_class: Type.Record(Type.String(), ClassScores),
    confusion: Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer()), {
      description: 'confusion[reviewed class][predicted class] = runs',
    }),
    reliability: Type.Array(
      Type.Object({
        lower: Type.Number(),
        upper: Type.Number(),
        count: Type.Integer(),
        mean_confidence: Type.Number(),
        accuracy: Type.Number(),
      }),
    ),
    items: Type.Array(EvaluationItem),
  },
  { additionalProperties: true },
);
export type EvaluationReport = Static<typeof EvaluationReport>;

export const ClassifierEvaluationView = Type.Intersect([
  Type.Object({
    object: Type.Literal('classifier_evaluation'),
    classifier_id: Type.String(),
    version: Type.Integer({ description: "The classifier's current version." }),
  }),
  EvaluationReport,
]);
export type ClassifierEvaluationView = Static<typeof ClassifierEvaluationView>;

export const EvaluationView = Type.Object(
  {
    object: Type.Literal('evaluation'),
    id: Type.String({ description: 'eval_…' }),
    classifier_id: Type.String(),
    version: Type.Integer({ description: 'The version the reviewed runs were classified with again.' }),
    status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
    total: Type.Integer(),
    done: Type.Integer(),
    error: Nullable(Type.String()),
    report: EvaluationReport,
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: true },
);
export type EvaluationView = Static<typeof EvaluationView>;

/** `GET /v1/classify_runs/counts`: runs per filter value, each dimension counted under the other filters. */
export const RunCounts = Type.Object({
  object: Type.Literal('classify_run_counts'),
  total: Type.Integer(),
  by_review_status: Type.Record(Type.String(), Type.Integer()),
  by_status: Type.Record(Type.String(), Type.Integer()),
  by_class: Type.Record(Type.String(), Type.Integer()),
  by_classifier: Type.Record(Type.String(), Type.Integer()),
  by_tag: Type.Record(Type.String(), Type.Integer()),
});
export type RunCounts = Static<typeof RunCounts>;
