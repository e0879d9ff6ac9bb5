/** The quota check a run makes once its pages are known, before it is classified. */
import type { Kysely } from 'kysely';
import { AppError } from '../core/errors.js';
import type { Database } from '../store/schema.js';
import { getApiKey } from '../auth/api-keys.queries.js';
import { computeRunCredits, remainingCredits, roundCredits } from './credits.js';
import { sumKeyCredits } from './usage.queries.js';

/**
 * Throws out_of_credits (the run fails with OUT_OF_CREDITS) when charging `pages` would
 * overdraw the quota of the key that created the run. Runs without a key or quota pass.
 */
export async function assertRunWithinQuota(
  db: Kysely<Database>,
  apiKeyId: string | null | undefined,
  pages: number,
  creditsPerPage: number,
): Promise<void> {
  if (!apiKeyId) return;
  const key = await getApiKey(db, apiKeyId);
  if (!key || key.credit_quota === null) return;
  const cost = computeRunCredits(pages, creditsPerPage);
  const used = await sumKeyCredits(db, key.id);
  if (roundCredits(used + cost) > key.credit_quota) {
    const left = remainingCredits(key.credit_quota, used);
    throw new AppError(
      'out_of_credits',
      `This run needs ${cost} credits but its API key has ${left} left of a ${key.credit_quota}-credit quota; ask an admin to raise it.`,
      {
        credits_needed: cost,
        credits_remaining: left,
      },
    );
  }
}
