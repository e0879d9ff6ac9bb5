/**
 * The numbers behind GET /metrics. Run, page, queue and webhook figures are read from the
 * database at scrape time, so they cover every API and worker process; request latency is per
 * process (each process serves its own /metrics).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { countDeliveryOutcomes } from '../notify/webhooks.queries.js';
import type { HistogramSample, MetricFamily } from './prometheus-text.js';

/** Seconds: from a born-digital page (tens of ms) to a long OCR job. */
export const RUN_DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export async function collectStoredMetrics(db: Kysely<Database>): Promise<MetricFamily[]> {
  const [runs, pages, durations, jobs, deliveries] = await Promise.all([
    db
      .selectFrom('classify_runs')
      .select((eb) => ['status', eb.fn.countAll<number>().as('count')])
      .groupBy('status')
      .execute(),
    db
      .selectFrom('classify_runs')
      .select([sql<number>`coalesce(sum(num_pages), 0)`.as('pages'), sql<number>`coalesce(sum(credits), 0)`.as('credits')])
      .where('status', '=', 'PROCESSED')
      .executeTakeFirst(),
    db
      .selectFrom('classify_runs')
      .select([
        ...RUN_DURATION_BUCKETS.map((bound, index) =>
          sql<number>`coalesce(sum(case when duration_ms <= ${sql.lit(Math.round(bound * 1000))} then 1 else 0 end), 0)`.as(`b${index}`),
        ),
        sql<number>`count(*)`.as('count'),
        sql<number>`coalesce(sum(duration_ms), 0)`.as('sum_ms'),
      ])
      .where('status', '=', 'PROCESSED')
      .where('duration_ms', 'is not', null)
      .executeTakeFirst(),
    db
      .selectFrom('jobs')
      .select((eb) => ['type', 'status', eb.fn.countAll<number>().as('count')])
      .where('status', 'in', ['queued', 'running'])
      .groupBy(['type', 'status'])
      .execute(),
    countDeliveryOutcomes(db),
  ]);

  const durationRow = (durations ?? {}) as Record<string, unknown>;
  const durationSample: HistogramSample = {
    bounds: RUN_DURATION_BUCKETS,
    cumulativeCounts: RUN_DURATION_BUCKETS.map((_, index) => Number(durationRow[`b${index}`] ?? 0)),
    count: Number(durationRow.count ?? 0),
    sum: Number(durationRow.sum_ms ?? 0) / 1000,
  };

  return [
    {
      name: 'docsort_classify_runs',
      help: 'Classify runs by status.',
      type: 'gauge',
      samples: runs.map((row) => ({ labels: { status: row.status }, value: Number(row.count) })),
    },
    {
      name: 'docsort_pages_processed_total',
      help: 'Pages read by processed runs.',
      type: 'counter',
      samples: [{ value: Number(pages?.pages ?? 0) }],
    },
    {
      name: 'docsort_credits_charged_total',
      help: 'Credits charged to processed runs.',
      type: 'counter',
      samples: [{ value: Number(pages?.credits ?? 0) }],
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
      samples: ['pending', 'succeeded', 'failed'].map((status) => ({ labels: { status }, value: deliveries.byStatus[status] ?? 0 })),
    },
    {
      name: 'docsort_webhook_failed_attempts_total',
      help: 'Webhook delivery attempts that got no 2xx answer.',
      type: 'counter',
      samples: [{ value: deliveries.failedAttempts }],
    },
  ];
}
