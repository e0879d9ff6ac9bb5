/**
 * Reading the counters the triggers keep (scale-out.migration.ts). Each read touches only the
 * few rows of the counters it names, never the runs or deliveries they count.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Every counter except the per-key credit counters, summed over its shards. */
export async function readServiceCounters(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('counters')
    .select(['name', sql<number>`sum(value)`.as('value')])
    .where('name', 'not like', 'key_credits:%')
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
