/**
 * Per-key request rate limit: a token bucket per key, refilled continuously, kept in the database
 * so every API process draws from the same bucket (N processes do not give a key N times its
 * limit). Taking a token is one upsert that refills, takes and reports in the same statement, so
 * two processes taking at once cannot both spend the last token.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export interface RateLimitDecision {
  allowed: boolean;
  /** Requests per minute this key may make. */
  limit: number;
  /** Whole requests left in the bucket after this one. */
  remaining: number;
  /** Seconds until the next request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
}

export interface RateLimiter {
  /** Takes one token from `key`'s bucket if it has one. `perMinute` ≤ 0 means unlimited. */
  take(key: string, perMinute: number): Promise<RateLimitDecision>;
}

export interface RateLimiterOptions {
  /** Burst size: requests a key may make at once after being idle. Capped at the per-minute limit. */
  burst: number;
  now?: () => number;
}

export function createRateLimiter(db: Kysely<Database>, options: RateLimiterOptions): RateLimiter {
  const burst = Math.max(1, options.burst);
  const now = options.now ?? Date.now;
  return {
    async take(key, perMinute) {
      if (perMinute <= 0) return { allowed: true, limit: 0, remaining: 0, retryAfterSeconds: 0, resetSeconds: 0 };
      const capacity = Math.max(1, Math.min(burst, perMinute));
      const at = now();
      const cap = sql`cast(${capacity} as double precision)`;
      // A changed limit starts a full bucket, as a new key does; otherwise refill for the time since the last request.
      const refilled = sql`case
        when rate_limit_buckets.per_minute <> excluded.per_minute then ${cap}
        when rate_limit_buckets.tokens + (case when excluded.updated_at > rate_limit_buckets.updated_at
               then excluded.updated_at - rate_limit_buckets.updated_at else 0 end) * excluded.per_minute / 60000.0 > ${cap} then ${cap}
        else rate_limit_buckets.tokens + (case when excluded.updated_at > rate_limit_buckets.updated_at
               then excluded.updated_at - rate_limit_buckets.updated_at else 0 end) * excluded.per_minute / 60000.0
      end`;
      const row = await db
        .insertInto('rate_limit_buckets')
        .values({ key_id: key, tokens: capacity - 1, per_minute: perMinute, allowed: 1, updated_at: at })
        .onConflict((oc) =>
          oc.column('key_id').doUpdateSet({
            tokens: sql`case when ${refilled} >= 1 then ${refilled} - 1 else ${refilled} end`,
            allowed: sql`case when ${refilled} >= 1 then 1 else 0 end`,
            per_minute: sql`excluded.per_minute`,
            updated_at: sql`case when excluded.updated_at > rate_limit_buckets.updated_at then excluded.updated_at else rate_limit_buckets.updated_at end`,
          }),
        )
        .returning(['tokens', 'allowed'])
        .executeTakeFirstOrThrow();
      const tokens = Number(row.tokens);
      const allowed = Number(row.allowed) === 1;
      const perMs = perMinute / 60_000;
      const missing = allowed ? 0 : 1 - tokens;
      return {
        allowed,
        limit: perMinute,
        remaining: Math.floor(tokens),
        retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(missing / perMs / 1000)),
        resetSeconds: Math.ceil((capacity - tokens) / perMs / 1000),
      };
    },
  };
}
