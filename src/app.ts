/**
 * The composition root: configuration → store, queue, extractor and classifier → HTTP API
 * and/or workers. The only place where adapters are chosen and wired together.
 */
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';
import type { ChatModel, Classifier, Extractor } from './core/ports.js';
import { reportErrorTo } from './core/report-error.js';
import { createPooledClassifier } from './classify/index.js';
import { createExtractor } from './extract/index.js';
import { createChatCompletionsClient, retryDelays } from './net/chat-completions.js';
import type { ApiInstance } from './api/api-instance.js';
import { buildServer, CORE_ROUTES, type RouteModule } from './api/server.js';
import type { Deps } from './deps.js';
import { createJobQueue } from './jobs/queue.js';
import { ConcurrencyLimit } from './core/concurrency-limit.js';
import { DELIVER_WEBHOOK_JOB } from './notify/emit-event.js';
import { createJobRegistry } from './registered-jobs.js';
import { RunWaiters } from './runs/run-waiters.js';
import { listenForRunsClosedElsewhere } from './runs/runs.service.js';
import { createWorker, type Worker } from './jobs/worker.js';
import { openBlobStore } from './store/blobs/open-blob-store.js';
import { openStore, storeOptionsFromConfig, type Store } from './store/database.js';
import { registerKeyRoutes } from './api/keys.route.js';
import { registerMetricsRoute } from './api/metrics.route.js';
import { registerUsageRoutes } from './api/usage.route.js';
import { registerWebhookRoutes } from './api/webhooks.route.js';
import { registerConsoleRoutes } from './api/console.route.js';
import { registerWorkspaceRoutes } from './api/workspaces.route.js';
import { registerAuth } from './api/auth.plugin.js';
import { registerQuotaCheck } from './usage/quota.js';
import { scheduleHousekeeping } from './retention/housekeeping.job.js';

export interface AppOptions {
  /** Serve the HTTP API. */
  api: boolean;
  /** Jobs this process runs at once; 0 for none. */
  workers: number;
  extractor?: Extractor;
  classifier?: Classifier;
  logger?: Logger;
}

export interface App {
  config: Config;
  deps: Deps;
  server: ApiInstance | null;
  worker: Worker | null;
  /** Starts listening (API) and working (workers); answers the address the API listens on. */
  start(): Promise<string | null>;
  /** Stops taking work, lets running jobs finish within `graceMs` (SHUTDOWN_GRACE_SECONDS) and gives the rest back to the queue, closes everything. */
  close(graceMs?: number): Promise<void>;
}

export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel, base: { pid: process.pid } });
}

/** Opens the configured database and applies migrations (the CLI's `keys` command uses it too). */
export function openStoreForConfig(config: Config, logger?: Logger): Promise<Store> {
  return openStore({ ...storeOptionsFromConfig(config), reportError: reportErrorTo(logger) });
}

/** Route modules of the API, in registration order. */
export const API_ROUTES: RouteModule[] = [
  ...CORE_ROUTES,
  registerKeyRoutes,
  registerWorkspaceRoutes,
  registerWebhookRoutes,
  registerUsageRoutes,
  registerMetricsRoute,
  registerConsoleRoutes,
];

/** Hooks that run before the routes (authentication, quotas). */
export const API_PLUGINS: RouteModule[] = [registerAuth, registerQuotaCheck];

/** Page requests beyond this many waiting are answered 503: a client retrying in a loop cannot queue without bound. */
const MAX_WAITING_PAGE_REQUESTS = 32;

/**
 * Classification jobs and webhook deliveries claim from the same queue but in slots of their own:
 * a receiver that never answers holds a delivery slot for its timeout, never a classify slot.
 */
function createWorkers(deps: Deps, registry: ReturnType<typeof createJobRegistry>, concurrency: number, logger: Logger): Worker {
  const common = { queue: deps.queue, registry, deps, leaseMs: deps.config.jobLeaseMs, pollMs: deps.config.jobPollMs, logger };
  const workers = [
    createWorker({ ...common, concurrency, types: registry.names().filter((type) => type !== DELIVER_WEBHOOK_JOB) }),
    createWorker({ ...common, concurrency: deps.config.webhookConcurrency, types: [DELIVER_WEBHOOK_JOB] }),
  ];
  return {
    id: workers[0].id,
    start: () => {
      for (const worker of workers) worker.start();
    },
    stop: async (graceMs) => {
      await Promise.all(workers.map((worker) => worker.stop(graceMs)));
    },
    activeCount: () => workers.reduce((sum, worker) => sum + worker.activeCount(), 0),
  };
}

/** The model server of the llm and cascade engines, when the operator configured one. */
export function createChatModel(config: Config): ChatModel | null {
  if (!config.llmBaseUrl || !config.llmModel) return null;
  return createChatCompletionsClient({
    baseUrl: config.llmBaseUrl,
    apiKey: config.llmApiKey,
    defaultModel: config.llmModel,
    timeoutMs: config.llmTimeoutMs,
    maxConcurrency: config.llmMaxConcurrency,
    vision: config.llmVision,
    maxInputTokens: config.llmMaxInputTokens,
    retryDelaysMs: retryDelays(config.llmMaxRetries),
  });
}

export async function createApp(config: Config, options: AppOptions): Promise<App> {
  const logger = options.logger ?? createLogger(config);
  const store = await openStoreForConfig(config, logger);
  const extractor = options.extractor ?? createExtractor({ limits: { maxFileBytes: config.maxFileBytes }, logger });
  const chat = createChatModel(config);
  const classifier = options.classifier ?? createPooledClassifier({ logger, chat });
  const registry = createJobRegistry();
  const queue = createJobQueue(store, {
    leaseMs: config.jobLeaseMs,
    defaultMaxAttempts: config.jobMaxAttempts,
    jobTypes: registry.contracts(),
    logger,
  });
  // An injected extractor (tests) serves page requests too; otherwise they get one thread of their own.
  const pageExtractor = options.extractor ?? createExtractor({ threads: 1, limits: { maxFileBytes: config.maxFileBytes }, logger });
  const deps: Deps = {
    config,
    store,
    blobs: openBlobStore(config, store),
    extractor,
    pageExtractor,
    pageSlots: new ConcurrencyLimit(config.pageConcurrency, MAX_WAITING_PAGE_REQUESTS, 'page requests'),
    classifier,
    queue,
    runWaiters: new RunWaiters(),
    logger,
  };
  const worker = options.workers > 0 ? createWorkers(deps, registry, options.workers, logger) : null;
  const server = options.api ? await buildServer(deps, { routes: API_ROUTES, plugins: API_PLUGINS, logger }) : null;
  if (server) await listenForRunsClosedElsewhere(deps);

  let closed = false;
  return {
    config,
    deps,
    server,
    worker,
    async start() {
      // Warming up runs beside serving: a request arriving meanwhile simply waits for the same start-up.
      extractor.warmUp?.().catch((error: unknown) => logger.warn({ err: error }, 'extractor warm-up failed'));
      classifier.warmUp?.().catch((error: unknown) => logger.warn({ err: error }, 'classifier warm-up failed'));
      if (worker) {
        // Any worker process may run it; the slot id keeps it to one run per interval.
        await scheduleHousekeeping(deps);
        worker.start();
      }
      const address = server ? await server.listen({ host: config.host, port: config.port }) : null;
      // The one line an operator looks for at start: where it listens and what it runs on. The
      // store is named by dialect only: a DATABASE_URL carries the password.
      logger.info(
        {
          address,
          store: store.dialect.name,
          files: deps.blobs.description,
          workers: worker ? options.workers : 0,
          engines: classifier.availableEngines,
          // The model server by address only: its key stays out of the log.
          llm: chat ? { server: chat.server, model: chat.defaultModel } : null,
        },
        'docsort ready',
      );
      return address;
    },
    async close(graceMs = config.shutdownGraceMs) {
      if (closed) return;
      closed = true;
      await server?.close();
      await worker?.stop(graceMs);
      await extractor.close();
      if (pageExtractor !== extractor) await pageExtractor.close();
      await classifier.close();
      await store.close();
    },
  };
}
