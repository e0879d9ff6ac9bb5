/**
 * `GET /metrics` in Prometheus text: runs by status, pages and credits, run latency, queue
 * depth and webhook outcomes from the database, plus this process's HTTP latency and memory.
 * Open like /healthz (no API key): bind the server to a private address or put it behind a
 * proxy if those numbers are sensitive.
 */
import type { FastifyInstance } from 'fastify';
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

  app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['health'], hide: true } }, async (_request, reply) => {
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
