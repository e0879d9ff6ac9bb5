/**
 * Reading the counters the triggers keep (scale-out.migration.ts). Each read touches only the
 * few rows of the counters it names, never the runs or deliveries they count.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * The named counters, summed over their shards; counters never bumped are absent. Looked up by
 * primary key, so the cost is the number of names, whatever else the table holds.
 */
export async function readCounters(db: Kysely<Database>, names: readonly string[]): Promise<Map<string, number>> {
  if (names.length === 0) return new Map();
  const rows = await db
    .selectFrom('counters')
    .select(['name', sql<number>`sum(value)`.as('value')])
    .where('name', 'in', names)
    .groupBy('name')
    .execute();
  return new Map(rows.map((row) => [row.name, Number(row.value)]));
}

/** Credits charged to runs of one key. */
export async function readKeyCredits(db: Kysely<Database>, apiKeyId: string): Promise<number> {
  const row = await db
    .selectFrom('counters')
    .select(sql<number>`coalesce(sum(value), 0)`.as('value'))
    .where('name', '=', `key_credits:${apiKeyId}`)
    .executeTakeFirst();
  return Number(row?.value ?? 0);
}

/** Credits charged to runs of each key that has any. */
export async function readCreditsByKey(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('counters')
    .select(['name', sql<number>`sum(value)`.as('value')])
    .where('name', 'like', 'key_credits:%')
    .groupBy('name')
    .execute();
  return new Map(rows.map((row) => [row.name.slice('key_credits:'.length), Number(row.value)]));
}
