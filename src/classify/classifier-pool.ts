/**
 * The `Classifier` port on worker threads (piscina): scoring pages and training the learned layer
 * (seconds for a few hundred examples) never hold up the event loop that serves HTTP and runs
 * jobs. Each thread is a lane with its own queue and its own trained models; runs of one cache
 * key (a saved classifier's example revision) always go to the same lane, so its model is trained
 * once and its examples are read from the store once, not once per thread.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Logger } from 'pino';
import { ENGINE_NAMES, type ClassificationOutput, type ClassifierDefinition, type TrainingExample } from '../core/classifier.js';
import type { Page } from '../core/document.js';
import { AppError, type ErrorCode } from '../core/errors.js';
import type { ChatModel, Classifier, ClassifyRequest } from '../core/ports.js';
import { reportErrorTo, type ReportError } from '../core/report-error.js';
import { describeExample } from './classify-pages.js';
import type { ClassifyTask, ClassifyTaskResult, ClassifyThreadData } from './classify.worker.js';
import type { PageScores } from './engine.js';
import { AVAILABLE_ENGINES } from './engine-registry.js';
import { onBuiltinEngine } from './in-process-classifier.js';
import { classifyWithModelServer, usesModelServer } from './llm/classify-with-model-server.js';
import { DEFAULT_MODELS_KEPT } from './model-cache.js';

export interface ClassifierPoolOptions {
  /** Classification threads; defaults to the number of cores. */
  threads?: number;
  /** Trained models kept across all threads (each keeps its share). */
  modelsKept?: number;
  /** Where failed threads and unexpected errors are reported. */
  logger?: Logger;
  /** A model server: with it the `llm` and `cascade` engines are available. Its calls run on this thread: they wait, they do not compute. */
  chat?: ChatModel | null;
}

/** One thread, started on first use, with the models it trained. */
class ClassifyLane {
  private pool: Piscina | null = null;
  inFlight = 0;

  constructor(
    private readonly threadData: ClassifyThreadData,
    private readonly reportError: ReportError,
  ) {}

  async run(task: ClassifyTask): Promise<ClassifyTaskResult> {
    this.pool ??= this.start();
    this.inFlight++;
    try {
      return (await this.pool.run(task)) as ClassifyTaskResult;
    } catch (error) {
      // The thread died or could not start; piscina starts a new one (without models) for the next task.
      this.reportError(error, 'a classification thread failed');
      throw new AppError(
        'internal_error',
        `A classification thread failed: ${error instanceof Error ? error.message : String(error)}`,
        undefined,
        { cause: error },
      );
    } finally {
      this.inFlight--;
    }
  }

  private start(): Piscina {
    const pool = new Piscina({
      filename: new URL('./classify.worker.js', import.meta.url).href,
      // One thread that stays: its models are the point of sending a key to this lane.
      minThreads: 1,
      maxThreads: 1,
      workerData: this.threadData,
    });
    pool.on('error', (error: unknown) => this.reportError(error, 'a classification thread failed outside a task'));
    return pool;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    if (pool) await pool.destroy();
  }
}

/** FNV-1a: a cheap, stable spread of cache keys over lanes. */
function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

export function createPooledClassifier(options: ClassifierPoolOptions = {}): Classifier {
  const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  const modelsKept = Math.max(1, Math.ceil((options.modelsKept ?? DEFAULT_MODELS_KEPT) / threads));
  const reportError = reportErrorTo(options.logger);
  const lanes = Array.from({ length: threads }, () => new ClassifyLane({ modelsKept }, reportError));
  /** Example reads by cache key until the lane has trained on them, so runs that arrive together read the store once. */
  const loading = new Map<string, Promise<TrainingExample[]>>();
  let closed = false;

  const laneFor = (cacheKey: string | undefined): ClassifyLane => {
    if (cacheKey !== undefined) return lanes[hashKey(cacheKey) % lanes.length];
    // Nothing to keep: the least busy lane.
    return lanes.reduce((best, lane) => (lane.inFlight < best.inFlight ? lane : best));
  };

  /** The thread's answer, or the error it stands for. */
  const unwrap = (result: ClassifyTaskResult): Extract<ClassifyTaskResult, { ok: true }> => {
    if (result.ok) return result;
    if (result.needsExamples) throw new AppError('internal_error', 'A classification thread asked for examples twice.');
    if (!result.error.unexpected) throw new AppError(result.error.code as ErrorCode, result.error.message);
    const unexpected = Object.assign(new Error(result.error.message), { stack: result.error.stack });
    reportError(unexpected, 'classification failed unexpectedly');
    throw new AppError('internal_error', result.error.message, undefined, { cause: unexpected });
  };

  /** Runs a classify or score task on the lane of its cache key, reading the examples when the lane asks for them. */
  const runTask = async (
    kind: 'classify' | 'score',
    pages: Page[],
    classifier: ClassifierDefinition,
    request: ClassifyRequest,
  ): Promise<Extract<ClassifyTaskResult, { ok: true }>> => {
    if (closed) throw new AppError('service_unavailable', 'The classifier has been closed.');
    const lane = laneFor(request.cacheKey);
    const canLoadExamples = request.loadExamples !== undefined && request.examples === undefined;
    const task: ClassifyTask = { kind, pages, classifier, cacheKey: request.cacheKey, examples: request.examples, canLoadExamples };
    const result = await lane.run(task);
    if (result.ok || !result.needsExamples) return unwrap(result);
    // The lane has no model for this key: read the examples here (they come from the store) and send them.
    // Runs queued on the lane behind this one ask too, before it has trained; they share this read.
    const key = request.cacheKey;
    const shared = key === undefined ? undefined : loading.get(key);
    const examples = shared ?? request.loadExamples!();
    if (!shared && key !== undefined) loading.set(key, examples);
    try {
      return unwrap(await lane.run({ ...task, examples: await examples }));
    } finally {
      // Once trained, the lane answers later runs of the key from its model.
      if (!shared && key !== undefined) loading.delete(key);
    }
  };

  const chat = options.chat ?? null;

  return {
    availableEngines: chat ? ENGINE_NAMES : AVAILABLE_ENGINES,

    async classifyPages(pages: Page[], request: ClassifyRequest): Promise<ClassificationOutput> {
      if (chat && usesModelServer(request.classifier)) {
        return classifyWithModelServer(pages, request.classifier, {
          chat,
          pageImage: request.pageImage,
          scoreBuiltin: async (all, classifier) => {
            const result = await runTask('score', all, onBuiltinEngine(classifier), request);
            return (result as { scores: PageScores[] }).scores;
          },
        });
      }
      const result = await runTask('classify', pages, request.classifier, request);
      return (result as { output: ClassificationOutput }).output;
    },

    describeExample,

    async warmUp() {
      await Promise.all(lanes.map(async (lane) => unwrap(await lane.run({ kind: 'warm-up' }))));
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(lanes.map((lane) => lane.close()));
    },
  };
}
