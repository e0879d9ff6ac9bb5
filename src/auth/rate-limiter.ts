/**
 * Per-key request rate limit: a token bucket per key, refilled continuously. It lives in the
 * memory of one API process, so with N API processes a key can make up to N times the limit;
 * that keeps the check off the database on every request.
 */

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

interface Bucket {
  tokens: number;
  updatedAt: number;
  perMinute: number;
  capacity: number;
}

export interface RateLimiterOptions {
  /** Burst size: requests a key may make at once after being idle. Capped at the per-minute limit. */
  burst: number;
  /** Buckets kept before idle ones are dropped (a full bucket carries no state worth keeping). */
  maxBuckets?: number;
  now?: () => number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly burst: number;
  private readonly maxBuckets: number;
  private readonly now: () => number;

  constructor(options: RateLimiterOptions) {
    this.burst = Math.max(1, options.burst);
    this.maxBuckets = options.maxBuckets ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Takes one token from `key`'s bucket if it has one. `perMinute` ≤ 0 means unlimited. */
  take(key: string, perMinute: number): RateLimitDecision {
    if (perMinute <= 0) return { allowed: true, limit: 0, remaining: 0, retryAfterSeconds: 0, resetSeconds: 0 };
    const now = this.now();
    const bucket = this.refill(key, perMinute, now);
    const perMs = perMinute / 60_000;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    const missing = allowed ? 0 : 1 - bucket.tokens;
    return {
      allowed,
      limit: perMinute,
      remaining: Math.floor(bucket.tokens),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(missing / perMs / 1000)),
      resetSeconds: Math.ceil((bucket.capacity - bucket.tokens) / perMs / 1000),
    };
  }

  private refill(key: string, perMinute: number, now: number): Bucket {
    const capacity = Math.max(1, Math.min(this.burst, perMinute));
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.perMinute !== perMinute) {
      if (!bucket && this.buckets.size >= this.maxBuckets) this.dropFullBuckets(now);
      bucket = { tokens: capacity, updatedAt: now, perMinute, capacity };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed * perMinute) / 60_000);
    bucket.updatedAt = now;
    return bucket;
  }

  private dropFullBuckets(now: number): void {
    for (const [key, bucket] of this.buckets) {
      const tokens = bucket.tokens + ((now - bucket.updatedAt) * bucket.perMinute) / 60_000;
      if (tokens >= bucket.capacity) this.buckets.delete(key);
    }
  }
}
