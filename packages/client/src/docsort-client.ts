/**
 * A typed client for the docsort HTTP API. One method per endpoint, grouped by resource, plus
 * helpers that poll a run or batch until it is done. Errors are `DocsortError` with the
 * server's stable code.
 *
 *   const docsort = new DocsortClient({ baseUrl: 'http://127.0.0.1:8080', apiKey });
 *   const run = await docsort.classify({ classifier: { id }, file: { path: 'invoice.pdf' } });
 */
import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { DocsortError, HttpTransport, sleep, type DocsortClientOptions, type ResponseInfo } from './http.js';
import type {
  ApiKey,
  Batch,
  BatchRequest,
  Classifier,
  ClassifierConfig,
  ClassifierEvaluation,
  ClassifierVersion,
  ClassifyRun,
  CreateKeyRequest,
  Deleted,
  Example,
  CreateWebhookRequest,
  Evaluation,
  FileInput,
  FileObject,
  FileReference,
  List,
  ListPage,
  NewApiKey,
  Page,
  Review,
  RunCounts,
  RunCountsQuery,
  RunListQuery,
  RunRequest,
  RunViewQuery,
  BatchSummary,
  UpdateKeyRequest,
  UpdateWebhookRequest,
  UsageQuery,
  UsageReport,
  Webhook,
  WebhookDelivery,
  Workspace,
} from './types.js';

export interface WaitOptions {
  /** Give up after this many ms (the run goes on in the server). Default 10 minutes. */
  timeoutMs?: number;
  /** Time between polls; default 1 s. */
  intervalMs?: number;
  signal?: AbortSignal;
}

const FINAL_STATUSES = new Set(['PROCESSED', 'FAILED', 'CANCELLED']);

function isFileInput(reference: FileReference): reference is FileInput {
  return 'path' in reference || 'data' in reference;
}

async function toBlob(input: FileInput): Promise<{ blob: Blob; name: string }> {
  if ('path' in input) return { blob: await openAsBlob(input.path), name: input.name ?? path.basename(input.path) };
  const blob =
    input.data instanceof Blob ? input.data : new Blob([new Uint8Array(input.data)], { type: input.type ?? 'application/octet-stream' });
  return { blob, name: input.name };
}

const id = (value: string) => encodeURIComponent(value);

export class DocsortClient {
  private readonly http: HttpTransport;

  constructor(options: DocsortClientOptions) {
    this.http = new HttpTransport(options);
  }

  /** Remaining credits, rate limit and API version from the last response. */
  get lastResponse(): ResponseInfo {
    return this.http.lastResponse;
  }

  readonly files = {
    /** Uploads a file from disk or memory; `password` unlocks an encrypted PDF (kept encrypted by the server, never shown). */
    upload: async (input: FileInput, options: { password?: string } = {}): Promise<FileObject> => {
      const form = new FormData();
      const { blob, name } = await toBlob(input);
      form.append('file', blob, name);
      if (options.password !== undefined) form.append('password', options.password);
      return this.http.request('POST', '/v1/files', { form });
    },
    /** Has the server download a file (SSRF rules apply: public addresses only by default). */
    fromUrl: (url: string): Promise<FileObject> => this.http.request('POST', '/v1/files', { json: { url } }),
    get: (fileId: string): Promise<FileObject> => this.http.request('GET', `/v1/files/${id(fileId)}`),
    /** One page's text and lines (1-based page number). */
    page: (fileId: string, page: number): Promise<Page> => this.http.request('GET', `/v1/files/${id(fileId)}/pages/${page}`),
    /** The stored bytes as a fetch Response: stream `body`, or `arrayBuffer()` for small files. */
    content: (fileId: string): Promise<Response> => this.http.send('GET', `/v1/files/${id(fileId)}/content`),
    delete: (fileId: string): Promise<Deleted> => this.http.request('DELETE', `/v1/files/${id(fileId)}`),
  };

  readonly classifiers = {
    create: (config: ClassifierConfig): Promise<Classifier> => this.http.request('POST', '/v1/classifiers', { json: config }),
    get: (classifierId: string): Promise<Classifier> => this.http.request('GET', `/v1/classifiers/${id(classifierId)}`),
    list: (query: { limit?: number; cursor?: string } = {}): Promise<ListPage<Classifier>> =>
      this.http.request('GET', '/v1/classifiers', { query }),
    /** Every change makes a new version; runs keep the version they used. */
    update: (classifierId: string, patch: Partial<ClassifierConfig>): Promise<Classifier> =>
      this.http.request('PATCH', `/v1/classifiers/${id(classifierId)}`, { json: patch }),
    delete: (classifierId: string): Promise<Deleted> => this.http.request('DELETE', `/v1/classifiers/${id(classifierId)}`),
    versions: (classifierId: string): Promise<List<ClassifierVersion>> =>
      this.http.request('GET', `/v1/classifiers/${id(classifierId)}/versions`),
    /** Adds a labelled example the classifier learns from. */
    addExample: (classifierId: string, example: { class: string; file: { id: string } | { url: string } }): Promise<Example> =>
      this.http.request('POST', `/v1/classifiers/${id(classifierId)}/examples`, { json: example }),
    /** Accuracy, per-class precision/recall, confusion and reliability of the classifier's reviewed runs as they ran. */
    evaluation: (classifierId: string): Promise<ClassifierEvaluation> =>
      this.http.request('GET', `/v1/classifiers/${id(classifierId)}/evaluation`),
  };

  readonly evaluations = {
    /** Classifies the reviewed runs again with `version` (the current one when absent), as a job; see `evaluations.wait`. */
    start: (classifierId: string, version?: number): Promise<Evaluation> =>
      this.http.request('POST', `/v1/classifiers/${id(classifierId)}/evaluations`, { json: version === undefined ? {} : { version } }),
    get: (evaluationId: string): Promise<Evaluation> => this.http.request('GET', `/v1/evaluations/${id(evaluationId)}`),
    /** Polls until the evaluation succeeded or failed. */
    wait: (evaluationId: string, options: WaitOptions = {}): Promise<Evaluation> =>
      this.poll(
        () => this.evaluations.get(evaluationId),
        (evaluation) => evaluation.status === 'succeeded' || evaluation.status === 'failed',
        options,
        `evaluation ${evaluationId}`,
      ),
  };

  /** Classifies and waits for the result (up to the server's sync limit; then a 504 `timeout` error with `details.run_id`). */
  async classify(request: RunRequest): Promise<ClassifyRun> {
    return this.http.request('POST', '/v1/classify', await this.runBody(request));
  }

  readonly runs = {
    /** Starts a run and returns at once (status PENDING); see `runs.wait`. */
    create: async (request: RunRequest): Promise<ClassifyRun> =>
      this.http.request('POST', '/v1/classify_runs', await this.runBody(request)),
    /** `{ expand: 'classifier' }` adds `config`, the definition a run of a saved classifier used. */
    get: (runId: string, query: RunViewQuery = {}): Promise<ClassifyRun> =>
      this.http.request('GET', `/v1/classify_runs/${id(runId)}`, { query: { ...query } }),
    list: (query: RunListQuery = {}): Promise<ListPage<ClassifyRun>> =>
      this.http.request('GET', '/v1/classify_runs', { query: { ...query } }),
    /** How many runs each filter value would list: the review queue's counts (`review_status: 'needs_review'`). */
    counts: (query: RunCountsQuery = {}): Promise<RunCounts> =>
      this.http.request('GET', '/v1/classify_runs/counts', { query: { ...query } }),
    cancel: (runId: string): Promise<ClassifyRun> => this.http.request('POST', `/v1/classify_runs/${id(runId)}/cancel`),
    /** A fresh run of the same file with the classifier's current version. */
    redo: (runId: string): Promise<ClassifyRun> => this.http.request('POST', `/v1/classify_runs/${id(runId)}/redo`),
    /** Records a reviewer's verdict; it sticks, trains the classifier and may re-route the file. */
    review: (runId: string, review: Review): Promise<ClassifyRun> =>
      this.http.request('PATCH', `/v1/classify_runs/${id(runId)}`, { json: { reviewed_output: review } }),
    /** Polls until the run is PROCESSED, FAILED or CANCELLED. */
    wait: (runId: string, options: WaitOptions = {}): Promise<ClassifyRun> =>
      this.poll(
        () => this.runs.get(runId),
        (run) => FINAL_STATUSES.has(run.status),
        options,
        `run ${runId}`,
      ),
  };

  /** Starts a run and polls it to the end: the async path in one call. */
  async classifyAsync(request: RunRequest, options: WaitOptions = {}): Promise<ClassifyRun> {
    const run = await this.runs.create(request);
    return this.runs.wait(run.id, options);
  }

  readonly batches = {
    /** Up to the server's batch limit (30 by default) of uploads, ids or URLs through one saved classifier. */
    create: async (classifierId: string, request: BatchRequest): Promise<Batch> => {
      const path = `/v1/classifiers/${id(classifierId)}/batches`;
      const uploads = request.files.filter(isFileInput);
      if (uploads.length === 0) return this.http.request('POST', path, { json: request });
      if (uploads.length !== request.files.length) {
        // Mixed references: upload the local files first, then send ids.
        const files = await Promise.all(
          request.files.map(async (file) => (isFileInput(file) ? { id: (await this.files.upload(file)).id } : file)),
        );
        return this.http.request('POST', path, { json: { ...request, files } });
      }
      const form = new FormData();
      for (const upload of uploads) {
        const { blob, name } = await toBlob(upload);
        form.append('file', blob, name);
      }
      if (request.metadata) form.append('metadata', JSON.stringify(request.metadata));
      if (request.page_range) form.append('page_range', request.page_range);
      return this.http.request('POST', path, { form });
    },
    get: (batchId: string): Promise<Batch> => this.http.request('GET', `/v1/batches/${id(batchId)}`),
    /** Newest first, each with its counts by run status. */
    list: (query: { classifier_id?: string; limit?: number; cursor?: string } = {}): Promise<ListPage<BatchSummary>> =>
      this.http.request('GET', '/v1/batches', { query: { ...query } }),
    /** Cancels the runs that have not finished; finished ones keep their results. */
    cancel: (batchId: string): Promise<Batch> => this.http.request('POST', `/v1/batches/${id(batchId)}/cancel`),
    /** Polls until every file of the batch is done. */
    wait: (batchId: string, options: WaitOptions = {}): Promise<Batch> =>
      this.poll(
        () => this.batches.get(batchId),
        (batch) => batch.status === 'processed' || batch.status === 'cancelled',
        options,
        `batch ${batchId}`,
      ),
  };

  readonly webhooks = {
    create: (request: CreateWebhookRequest): Promise<Webhook> => this.http.request('POST', '/v1/webhooks', { json: request }),
    list: (): Promise<List<Webhook>> => this.http.request('GET', '/v1/webhooks'),
    /** Without its secret: that is answered only by `create` and `rotateSecret`. */
    get: (webhookId: string): Promise<Webhook> => this.http.request('GET', `/v1/webhooks/${id(webhookId)}`),
    /** Changes URL, events, name, description or secret (your own; the answer does not show it). */
    update: (webhookId: string, patch: UpdateWebhookRequest): Promise<Webhook> =>
      this.http.request('PATCH', `/v1/webhooks/${id(webhookId)}`, { json: patch }),
    /** A new generated signing secret, in this answer only; the next attempt signs with it. */
    rotateSecret: (webhookId: string): Promise<Webhook> => this.http.request('POST', `/v1/webhooks/${id(webhookId)}/rotate_secret`),
    delete: (webhookId: string): Promise<Deleted> => this.http.request('DELETE', `/v1/webhooks/${id(webhookId)}`),
    deliveries: (
      webhookId: string,
      query: { limit?: number; cursor?: string; status?: 'pending' | 'succeeded' | 'failed' } = {},
    ): Promise<ListPage<WebhookDelivery>> => this.http.request('GET', `/v1/webhooks/${id(webhookId)}/deliveries`, { query }),
    /** Sends the event of a delivery again, with the same event id. */
    redeliver: (webhookId: string, deliveryId: string): Promise<WebhookDelivery> =>
      this.http.request('POST', `/v1/webhooks/${id(webhookId)}/deliveries/${id(deliveryId)}/redeliver`),
  };

  readonly keys = {
    create: (request: CreateKeyRequest): Promise<NewApiKey> => this.http.request('POST', '/v1/keys', { json: request }),
    list: (query: { include_revoked?: boolean; workspace?: string } = {}): Promise<List<ApiKey>> =>
      this.http.request('GET', '/v1/keys', {
        query: { include_revoked: query.include_revoked ? 'true' : undefined, workspace: query.workspace },
      }),
    get: (keyId: string): Promise<ApiKey> => this.http.request('GET', `/v1/keys/${id(keyId)}`),
    /** The key this client uses: its role, workspace and credits (any role may ask). */
    current: (): Promise<ApiKey> => this.http.request('GET', '/v1/keys/current'),
    update: (keyId: string, patch: UpdateKeyRequest): Promise<ApiKey> =>
      this.http.request('PATCH', `/v1/keys/${id(keyId)}`, { json: patch }),
    revoke: (keyId: string): Promise<ApiKey> => this.http.request('DELETE', `/v1/keys/${id(keyId)}`),
  };

  readonly workspaces = {
    /** Every workspace and its number of active keys (admin). */
    list: (): Promise<List<Workspace>> => this.http.request('GET', '/v1/workspaces'),
  };

  /** Runs, pages and credits by day, classifier, key and usage tag, with this key's quota. */
  usage(query: UsageQuery = {}): Promise<UsageReport> {
    return this.http.request('GET', '/v1/usage', { query: { ...query } });
  }

  private async runBody(request: RunRequest): Promise<{ json?: unknown; form?: FormData }> {
    if (!isFileInput(request.file)) return { json: request };
    const form = new FormData();
    const { blob, name } = await toBlob(request.file);
    form.append('file', blob, name);
    for (const field of ['classifier', 'config', 'metadata'] as const) {
      if (request[field] !== undefined) form.append(field, JSON.stringify(request[field]));
    }
    if (request.page_range) form.append('page_range', request.page_range);
    if (request.query_model) form.append('query_model', request.query_model);
    if (request.password !== undefined) form.append('password', request.password);
    return { form };
  }

  private async poll<T>(load: () => Promise<T>, done: (value: T) => boolean, options: WaitOptions, what: string): Promise<T> {
    const deadline = Date.now() + (options.timeoutMs ?? 600_000);
    const interval = options.intervalMs ?? 1000;
    for (;;) {
      const value = await load();
      if (done(value)) return value;
      if (Date.now() + interval > deadline) {
        throw new DocsortError(
          0,
          'timeout',
          `Gave up waiting for ${what} after ${options.timeoutMs ?? 600_000} ms; it goes on in the server.`,
          {},
          null,
        );
      }
      await sleep(interval, options.signal);
    }
  }
}
