/**
 * `GET /metrics` in Prometheus text: runs by status, pages and credits, run latency, queue
 * depth and webhook outcomes from the database, plus this process's HTTP latency and memory.
 * Open like /healthz by default, since scrapers rarely hold API keys and the figures span all
 * workspaces; METRICS_TOKEN makes it ask for that bearer token instead of an API key.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../core/errors.js';
import type { Deps } from '../deps.js';
import { collectStoredMetrics } from '../usage/collect-metrics.js';
import { formatMetrics, LocalHistogram, PROMETHEUS_CONTENT_TYPE } from '../usage/prometheus-text.js';

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function registerMetricsRoute(app: FastifyInstance, deps: Deps): void {
  const httpLatency = new LocalHistogram(HTTP_BUCKETS);
  app.addHook('onResponse', async (request, reply) => {
    // Route patterns, not raw URLs, keep the label set small.
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    httpLatency.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  const token = deps.config.metricsToken;
  app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['health'], hide: true } }, async (request, reply) => {
    if (token && !sameSecret(bearerOf(request.headers.authorization), token)) {
      throw new AppError('unauthorized', 'GET /metrics needs this server\'s METRICS_TOKEN as "Authorization: Bearer <token>".');
    }
    const stored = await collectStoredMetrics(deps.store.db);
    const memory = process.memoryUsage();
    const text = formatMetrics([
      ...stored,
      {
        name: 'docsort_http_request_duration_seconds',
        help: 'HTTP request latency in this process.',
        type: 'histogram',
        samples: httpLatency.samples(),
      },
      {
        name: 'docsort_process_resident_memory_bytes',
        help: 'Resident memory of this process.',
        type: 'gauge',
        samples: [{ value: memory.rss }],
      },
      {
        name: 'docsort_process_uptime_seconds',
        help: 'Seconds since this process started.',
        type: 'gauge',
        samples: [{ value: Math.round(process.uptime()) }],
      },
    ]);
    return reply.type(PROMETHEUS_CONTENT_TYPE).send(text);
  });
}

function bearerOf(header: string | undefined): string {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match?.[1]?.trim() ?? '';
}

/** Compares in constant time so the token cannot be guessed a character at a time. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
