/**
 * Usage sums over classify runs: every run records its pages and credits when it finishes, and
 * which key created it. Days are UTC, counted as whole days since the epoch so one query works
 * on both dialects.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import '../auth/api-keys.schema.js';
import { roundCredits } from './credits.js';
import { readCreditsByKey, readKeyCredits } from '../store/counters.queries.js';

const DAY_MS = 86_400_000;

export interface UsageFilters {
  /** Only runs of this workspace are counted. */
  workspaceId: string;
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  classifierId?: string;
  apiKeyId?: string;
  tag?: string;
}

export interface UsageTotals {
  runs: number;
  pages: number;
  credits: number;
  llm_tokens: { input: number; output: number };
}

export interface UsageReport {
  totals: UsageTotals;
  by_day: Array<UsageTotals & { day: string }>;
  by_classifier: Array<UsageTotals & { classifier_id: string | null }>;
  by_key: Array<UsageTotals & { api_key_id: string | null }>;
  by_tag: Array<UsageTotals & { tag: string }>;
}

function runsInRange(db: Kysely<Database>, filters: UsageFilters) {
  let query = db
    .selectFrom('classify_runs')
    .where('classify_runs.workspace_id', '=', filters.workspaceId)
    .where('classify_runs.created_at', '>=', filters.from)
    .where('classify_runs.created_at', '<', filters.to);
  if (filters.classifierId) query = query.where('classify_runs.classifier_id', '=', filters.classifierId);
  if (filters.apiKeyId) query = query.where('classify_runs.api_key_id', '=', filters.apiKeyId);
  const tag = filters.tag;
  if (tag) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('run_tags')
          .select('run_tags.run_id')
          .whereRef('run_tags.run_id', '=', 'classify_runs.id')
          .where('run_tags.tag', '=', tag),
      ),
    );
  }
  return query;
}

const sums = {
  runs: sql<number>`count(*)`,
  pages: sql<number>`coalesce(sum(case when classify_runs.credits is not null then classify_runs.num_pages else 0 end), 0)`,
  credits: sql<number>`coalesce(sum(classify_runs.credits), 0)`,
  llmInput: sql<number>`coalesce(sum(classify_runs.llm_input_tokens), 0)`,
  llmOutput: sql<number>`coalesce(sum(classify_runs.llm_output_tokens), 0)`,
};

function toTotals(row: { runs: unknown; pages: unknown; credits: unknown; llm_input: unknown; llm_output: unknown }): UsageTotals {
  return {
    runs: Number(row.runs),
    pages: Number(row.pages),
    credits: roundCredits(Number(row.credits)),
    llm_tokens: { input: Number(row.llm_input), output: Number(row.llm_output) },
  };
}

export async function summariseUsage(db: Kysely<Database>, filters: UsageFilters): Promise<UsageReport> {
  const base = () => runsInRange(db, filters);
  const select = [
    sums.runs.as('runs'),
    sums.pages.as('pages'),
    sums.credits.as('credits'),
    sums.llmInput.as('llm_input'),
    sums.llmOutput.as('llm_output'),
  ] as const;
  const dayExpression = sql<number>`(classify_runs.created_at / ${sql.lit(DAY_MS)})`;

  const [totals, byDay, byClassifier, byKey, byTag] = await Promise.all([
    base()
      .select([...select])
      .executeTakeFirst(),
    base()
      .select([dayExpression.as('day'), ...select])
      .groupBy(dayExpression)
      .orderBy(dayExpression)
      .execute(),
    base()
      .select(['classify_runs.classifier_id', ...select])
      .groupBy('classify_runs.classifier_id')
      .orderBy('classify_runs.classifier_id')
      .execute(),
    base()
      .select(['classify_runs.api_key_id', ...select])
      .groupBy('classify_runs.api_key_id')
      .orderBy('classify_runs.api_key_id')
      .execute(),
    base()
      .innerJoin('run_tags', 'run_tags.run_id', 'classify_runs.id')
      .select(['run_tags.tag', ...select])
      .groupBy('run_tags.tag')
      .orderBy('run_tags.tag')
      .execute(),
  ]);

  return {
    totals: totals ? toTotals(totals) : { runs: 0, pages: 0, credits: 0, llm_tokens: { input: 0, output: 0 } },
    by_day: byDay.map((row) => ({ day: new Date(Math.floor(Number(row.day)) * DAY_MS).toISOString().slice(0, 10), ...toTotals(row) })),
    by_classifier: byClassifier.map((row) => ({ classifier_id: row.classifier_id, ...toTotals(row) })),
    by_key: byKey.map((row) => ({ api_key_id: row.api_key_id, ...toTotals(row) })),
    by_tag: byTag.map((row) => ({ tag: row.tag, ...toTotals(row) })),
  };
}

/** Credits a key has spent in total (the quota counts every run the key ever created), from its counter. */
export async function sumKeyCredits(db: Kysely<Database>, apiKeyId: string): Promise<number> {
  return roundCredits(await readKeyCredits(db, apiKeyId));
}

/** Credits spent by each key that has spent any. */
export async function sumCreditsByKey(db: Kysely<Database>): Promise<Map<string, number>> {
  const byKey = await readCreditsByKey(db);
  return new Map([...byKey].map(([key, credits]) => [key, roundCredits(credits)]));
}
