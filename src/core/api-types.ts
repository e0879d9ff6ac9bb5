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
import { Type, type Static, type TInteger, type TSchema } from '@sinclair/typebox';
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

/** A list answer: `object: "list"` and its items. */
export const ListOf = <T extends TSchema>(item: T, title: string) =>
  Type.Object({ object: Type.Literal('list'), data: Type.Array(item) }, { title, additionalProperties: true });

/** A page of a cursor-paginated list: pass `next_cursor` as `cursor` for the next page. */
export const PageOf = <T extends TSchema>(item: T, title: string) =>
  Type.Object(
    { object: Type.Literal('list'), data: Type.Array(item), has_more: Type.Boolean(), next_cursor: Nullable(Type.String()) },
    { title, additionalProperties: true },
  );

export const ClassDefinition = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    keywords: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 200 })),
    route: Type.Optional(Type.String({ maxLength: 2000, description: 'Where `file.routed` goes for files of this class.' })),
  },
  { title: 'ClassDefinition', additionalProperties: false },
);
export type ClassDefinition = Static<typeof ClassDefinition>;

export const ClassifierSettings = Type.Object(
  {
    page_range: Type.Optional(Type.String({ maxLength: 200, description: '1-based pages to read, e.g. "1-3,5".' })),
    max_pages: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    threshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    mode: Type.Optional(Type.Union(CLASSIFY_MODES.map((mode) => Type.Literal(mode)))),
    engine: Type.Optional(
      Type.String({
        maxLength: 100,
        description: '`builtin` (default), `llm` or `cascade`; the last two need a model server (LLM_BASE_URL).',
      }),
    ),
    model: Type.Optional(Type.String({ maxLength: 200, description: 'Model for the llm and cascade engines; LLM_MODEL by default.' })),
    cascade_below: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: 'Cascade: documents or pages the builtin engine is less sure of than this go to the model (default 0.6).',
      }),
    ),
    review_below: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description:
          'Runs less confident than this need a person (`review_status: needs_review`); absent: only `unknown` and failed runs do.',
      }),
    ),
  },
  { title: 'ClassifierSettings', additionalProperties: false },
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
  { title: 'ClassifierConfig', additionalProperties: false },
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
  { title: 'ClassifierView', additionalProperties: true },
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
  { title: 'ClassifierVersionView', additionalProperties: true },
);
export type ClassifierVersionView = Static<typeof ClassifierVersionView>;

export const Label = Type.Object(
  { class: Type.String(), confidence: Type.Number(), reason: Type.String(), suggested_class: Type.Union([Type.String(), Type.Null()]) },
  { title: 'Label', additionalProperties: true },
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
    engine: Type.Optional(Type.Union([Type.Literal('builtin'), Type.Literal('llm')], { description: 'Which engine decided the page.' })),
  },
  { title: 'PageLabel', additionalProperties: true },
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
  { title: 'SegmentLabel', additionalProperties: true },
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
    llm: Type.Optional(
      Type.Object(
        {
          model: Type.String(),
          confidence_source: Type.Union([Type.Literal('logprobs'), Type.Literal('stated'), Type.Literal('mixed')], {
            description: 'Token log-probabilities the server returned, or the confidence the model stated (some of each: mixed).',
          }),
          calibrated: Type.Boolean(),
          calls: Type.Integer(),
          pages: Type.Array(Type.Integer(), { description: 'Pages (0-based) the model read.' }),
          input_tokens: Type.Integer(),
          output_tokens: Type.Integer(),
        },
        { additionalProperties: true, description: 'Present when the model server was asked (llm and cascade engines).' },
      ),
    ),
  },
  { title: 'ClassificationOutput', additionalProperties: true },
);
export type ClassificationOutput = Static<typeof ClassificationOutput>;

export const ClassifyRun = Type.Object(
  {
    object: Type.Literal('classify_run'),
    id: Type.String({ description: 'clr_…' }),
    status: Type.Union(RUN_STATUSES.map((status) => Type.Literal(status))),
    file_id: Type.String(),
    classifier: Nullable(
      Type.Object(
        { id: Type.String(), version: Type.Integer() },
        { additionalProperties: true, description: 'The saved classifier and the version the run used; null for an inline `config`.' },
      ),
    ),
    version: Nullable(Type.Integer()),
    // Sent as stored, every field kept: the wire schema stays an open object.
    config: Type.Optional(
      Type.Unsafe<ClassifierConfig>(
        Type.Object(
          {},
          {
            additionalProperties: true,
            description:
              'The classifier definition the run used: always for an inline `config`; for a saved classifier only with `?expand=classifier` (GET `/v1/classifiers/{id}/versions` has every version).',
          },
        ),
      ),
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
    failure_code: Nullable(
      Type.String({
        description:
          'The stable error code that failed the run, as in error answers: `encrypted_document` (password missing or wrong), `unreadable_document` (corrupt), `unsupported_file_type`, …',
      }),
    ),
    failure_message: Nullable(Type.String()),
    metadata: Nullable(JsonObject()),
    usage: Nullable(
      Type.Object({
        pages: Type.Integer(),
        credits: Type.Number(),
        llm_tokens: Nullable(
          Type.Object(
            { input: Type.Integer(), output: Type.Integer() },
            { description: 'Tokens sent to and received from the model server (llm and cascade engines); null when none was asked.' },
          ),
        ),
      }),
    ),
    num_pages: Nullable(Type.Integer()),
    duration_ms: Nullable(Type.Integer()),
    batch_id: Nullable(Type.String()),
    redo_of: Nullable(Type.String()),
    delete_file_after: Type.Boolean({ description: 'The file is deleted once the run has finished.' }),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { title: 'ClassifyRun', additionalProperties: true },
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
  { title: 'FileView', additionalProperties: true },
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
    failure_code: Type.Optional(Nullable(Type.String())),
  },
  { title: 'BatchFileView', additionalProperties: true },
);
export type BatchFileView = Static<typeof BatchFileView>;

const batchFields = {
  object: Type.Literal('batch'),
  id: Type.String({ description: 'batch_…' }),
  classifier_id: Type.String(),
  status: Type.Union([Type.Literal('queued'), Type.Literal('processing'), Type.Literal('processed'), Type.Literal('cancelled')], {
    description: '`cancelled` after POST /v1/batches/{id}/cancel, even if some of its files had been classified before.',
  }),
  file_count: Type.Integer(),
  counts: Type.Object(Object.fromEntries(RUN_STATUSES.map((status) => [status, Type.Integer()])) as Record<RunStatus, TInteger>, {
    title: 'BatchCounts',
    additionalProperties: true,
    description: "How many of the batch's files are in each run status (a redone file counts by its newest run).",
  }),
  metadata: Type.Union([JsonObject(), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  cancelled_at: Nullable(Type.String({ format: 'date-time' })),
};

/** A batch as `GET /v1/batches` lists it: its counts, without the per-file rows. */
export const BatchSummary = Type.Object(batchFields, { title: 'BatchSummary', additionalProperties: true });
export type BatchSummary = Static<typeof BatchSummary>;
export const BatchPage = PageOf(BatchSummary, 'BatchPage');
export type BatchPage = Static<typeof BatchPage>;

export const BatchView = Type.Object(
  {
    ...batchFields,
    files: Type.Array(BatchFileView),
    rejected_files: Type.Optional(
      Type.Array(Type.Object({ file_name: Type.Union([Type.String(), Type.Null()]), error: Type.String(), message: Type.String() }), {
        description:
          'Only in the answer to POST: files that could not be taken (unsupported, empty, too large, unknown id), each with its error.',
      }),
    ),
  },
  { title: 'BatchView', additionalProperties: true },
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
    status: Type.Union([Type.Literal('active'), Type.Literal('paused')], {
      description:
        '`paused`: its receiver failed 20 attempts in a row, so no new deliveries are made; resume it with PATCH `{ "paused": false }`.',
    }),
    failed_attempts: Type.Integer({ description: 'Attempts failed in a row; a success sets it back to 0.' }),
    paused_at: Nullable(Type.String({ format: 'date-time' })),
    created_at: Type.String({ format: 'date-time' }),
  },
  { title: 'WebhookView', additionalProperties: true },
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
  { title: 'DeliveryView', additionalProperties: true },
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
  { title: 'WorkspaceView', additionalProperties: true },
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
  { title: 'ApiKeyView', additionalProperties: true },
);
export type ApiKeyView = Static<typeof ApiKeyView>;

export const CreatedApiKey = Type.Intersect(
  [ApiKeyView, Type.Object({ key: Type.String({ description: 'The secret key, shown only in this response.' }) })],
  { title: 'CreatedApiKey' },
);
export type CreatedApiKey = Static<typeof CreatedApiKey>;

const Totals = {
  runs: Type.Integer(),
  pages: Type.Integer(),
  credits: Type.Number(),
  llm_tokens: Type.Object(
    { input: Type.Integer(), output: Type.Integer() },
    { description: 'Tokens the runs sent to and received from the model server (llm and cascade engines).' },
  ),
};

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
  { title: 'UsageReport', additionalProperties: true },
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
  { title: 'EvaluationItem', additionalProperties: true },
);
export type EvaluationItem = Static<typeof EvaluationItem>;

const ClassScores = Type.Object(
  { precision: Type.Number(), recall: Type.Number(), f1: Type.Number(), support: Type.Integer() },
  { title: 'ClassScores' },
);

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
  { title: 'EvaluationReport', additionalProperties: true },
);
export type EvaluationReport = Static<typeof EvaluationReport>;

export const ClassifierEvaluationView = Type.Intersect(
  [
    Type.Object({
      object: Type.Literal('classifier_evaluation'),
      classifier_id: Type.String(),
      version: Type.Integer({ description: "The classifier's current version." }),
    }),
    EvaluationReport,
  ],
  { title: 'ClassifierEvaluationView' },
);
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
  { title: 'EvaluationView', additionalProperties: true },
);
export type EvaluationView = Static<typeof EvaluationView>;
export const EvaluationList = ListOf(EvaluationView, 'EvaluationList');
export type EvaluationList = Static<typeof EvaluationList>;

/** `GET /v1/classify_runs/counts`: runs per filter value, each dimension counted under the other filters. */
export const RunCounts = Type.Object(
  {
    object: Type.Literal('classify_run_counts'),
    total: Type.Integer(),
    by_review_status: Type.Record(Type.String(), Type.Integer()),
    by_status: Type.Record(Type.String(), Type.Integer()),
    by_class: Type.Record(Type.String(), Type.Integer()),
    by_classifier: Type.Record(Type.String(), Type.Integer()),
    by_tag: Type.Record(Type.String(), Type.Integer()),
  },
  { title: 'RunCounts', additionalProperties: true },
);
export type RunCounts = Static<typeof RunCounts>;

export const RunPage = PageOf(ClassifyRun, 'ClassifyRunPage');
export type RunPage = Static<typeof RunPage>;
export const ClassifierPage = PageOf(ClassifierView, 'ClassifierPage');
export type ClassifierPage = Static<typeof ClassifierPage>;
export const ClassifierVersionList = ListOf(ClassifierVersionView, 'ClassifierVersionList');
export type ClassifierVersionList = Static<typeof ClassifierVersionList>;

export const ExampleView = Type.Object(
  {
    object: Type.Literal('example'),
    id: Type.String({ description: 'ex_…' }),
    classifier_id: Type.String(),
    class: Type.String(),
    source: Type.String({ description: '`example` (uploaded) or `review` (from a reviewed run).' }),
    file_id: Nullable(Type.String()),
    run_id: Nullable(Type.String()),
    num_pages: Type.Integer(),
    created_at: Type.String({ format: 'date-time' }),
  },
  { title: 'ExampleView', additionalProperties: true },
);
export type ExampleView = Static<typeof ExampleView>;
export const ExampleList = ListOf(ExampleView, 'ExampleList');
export type ExampleList = Static<typeof ExampleList>;

/** What a DELETE answers. */
export const Deleted = Type.Object(
  { object: Type.String(), id: Type.String(), deleted: Type.Literal(true) },
  { title: 'Deleted', additionalProperties: true },
);
export type Deleted = Static<typeof Deleted>;

/** One page of a file as `GET /v1/files/{id}/pages/{n}` answers it in JSON. */
export const PageView = Type.Object(
  {
    object: Type.Literal('page'),
    file_id: Type.String(),
    page: Type.Integer({ description: '1-based, as asked for.' }),
    num_pages: Type.Integer(),
    text: Type.String(),
  },
  { title: 'PageView', additionalProperties: true, description: 'Also the lines (and, with `?words=true`, word boxes) of the page.' },
);
export type PageView = Static<typeof PageView>;
