/**
 * The numbers behind GET /metrics. Run, page, delivery and credit figures come from the counters
 * the database keeps as runs and deliveries change, so they cover every API and worker process
 * and cost the same however many runs there are; queue depth counts only open jobs. Request
 * latency is per process (each process serves its own /metrics).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { readCounters } from '../store/counters.queries.js';
import { RUN_DURATION_BOUNDS_MS } from '../store/scale-out.migration.js';
import type { HistogramSample, MetricFamily } from './prometheus-text.js';

/** Seconds: from a born-digital page (tens of ms) to a long OCR job. */
export const RUN_DURATION_BUCKETS = RUN_DURATION_BOUNDS_MS.map((bound) => bound / 1000);

const RUN_STATUSES = ['PENDING', 'PROCESSING', 'PROCESSED', 'FAILED', 'CANCELLED'];
const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'];

/** Every counter /metrics shows (the triggers in scale-out.migration.ts keep them). */
const METRIC_COUNTERS = [
  ...RUN_STATUSES.map((status) => `runs:${status}`),
  'pages_processed',
  'credits_charged',
  'run_duration_count',
  'run_duration_sum_ms',
  ...RUN_DURATION_BOUNDS_MS.map((bound) => `run_duration_le:${bound}`),
  ...DELIVERY_STATUSES.map((status) => `deliveries:${status}`),
  'webhook_failed_attempts',
];

export async function collectStoredMetrics(db: Kysely<Database>): Promise<MetricFamily[]> {
  const [counters, jobs] = await Promise.all([
    readCounters(db, METRIC_COUNTERS),
    db
      .selectFrom('jobs')
      .select((eb) => ['type', 'status', eb.fn.countAll<number>().as('count')])
      .where('status', 'in', ['queued', 'running'])
      .groupBy(['type', 'status'])
      .execute(),
  ]);
  const counter = (name: string) => counters.get(name) ?? 0;

  let cumulative = 0;
  const durationSample: HistogramSample = {
    bounds: RUN_DURATION_BUCKETS,
    cumulativeCounts: RUN_DURATION_BOUNDS_MS.map((bound) => (cumulative += counter(`run_duration_le:${bound}`))),
    count: counter('run_duration_count'),
    sum: counter('run_duration_sum_ms') / 1000,
  };
  const runStatuses = RUN_STATUSES.filter((status) => counters.has(`runs:${status}`));

  return [
    {
      name: 'docsort_classify_runs',
      help: 'Classify runs by status.',
      type: 'gauge',
      samples: runStatuses.map((status) => ({ labels: { status }, value: counter(`runs:${status}`) })),
    },
    {
      name: 'docsort_pages_processed_total',
      help: 'Pages read by processed runs.',
      type: 'counter',
      samples: [{ value: counter('pages_processed') }],
    },
    {
      name: 'docsort_credits_charged_total',
      help: 'Credits charged to processed runs.',
      type: 'counter',
      samples: [{ value: Math.round(counter('credits_charged') * 1e6) / 1e6 }],
    },
    {
      name: 'docsort_classify_run_duration_seconds',
      help: 'Time from a run starting to be processed to its result.',
      type: 'histogram',
      samples: [durationSample],
    },
    {
      name: 'docsort_queue_jobs',
      help: 'Jobs waiting (queued, incl. scheduled retries) or running, by job type.',
      type: 'gauge',
      samples: jobs.map((row) => ({ labels: { type: row.type, status: row.status }, value: Number(row.count) })),
    },
    {
      name: 'docsort_webhook_deliveries',
      help: 'Webhook deliveries by status (pending includes ones waiting for a retry).',
      type: 'gauge',
      samples: DELIVERY_STATUSES.map((status) => ({ labels: { status }, value: counter(`deliveries:${status}`) })),
    },
    {
      name: 'docsort_webhook_failed_attempts_total',
      help: 'Webhook delivery attempts that got no 2xx answer.',
      type: 'counter',
      samples: [{ value: counter('webhook_failed_attempts') }],
    },
  ];
}
