/**
 * Credit quotas per key. A key with a quota may spend that many credits in total; every /v1
 * response to it carries what is left in `docsort-credits-remaining`. A request that would
 * start runs with nothing left is answered 402 out_of_credits; a queued run whose pages would
 * overdraw the quota fails with OUT_OF_CREDITS before it is classified.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../core/errors.js';
import type { Deps } from '../deps.js';
import { admissionPath, isApiPath } from '../auth/admission-hook.js';
import { remainingCredits } from './credits.js';
import { sumKeyCredits } from './usage.queries.js';

export const CREDITS_REMAINING_HEADER = 'docsort-credits-remaining';

/** Routes that start classify runs (method and Fastify route pattern); a test checks each exists. */
export const RUN_STARTING_ROUTES: ReadonlySet<string> = new Set([
  'POST /v1/classify',
  'POST /v1/classify_runs',
  'POST /v1/classifiers/:id/classify',
  'POST /v1/classifiers/:id/batches',
  'POST /v1/classify_runs/:id/redo',
]);

export function startsRuns(method: string, routePattern: string | undefined): boolean {
  return routePattern !== undefined && RUN_STARTING_ROUTES.has(`${method} ${routePattern}`);
}

/** Runs after authentication: adds the remaining-credits header and refuses new runs at zero. */
export function registerQuotaCheck(app: FastifyInstance, deps: Deps): void {
  const db = deps.store.db;
  app.addHook('onRequest', async (request, reply) => {
    const key = request.apiKey;
    if (!key || key.credit_quota === null || !isApiPath(admissionPath(request))) return;
    const remaining = remainingCredits(key.credit_quota, await sumKeyCredits(db, key.id)) ?? 0;
    reply.header(CREDITS_REMAINING_HEADER, String(remaining));
    if (remaining <= 0 && startsRuns(request.method, request.routeOptions.url)) {
      throw new AppError(
        'out_of_credits',
        `This API key has used all ${key.credit_quota} credits of its quota; ask an admin to raise it (PATCH /v1/keys/${key.id}).`,
        {
          credit_quota: key.credit_quota,
          credits_remaining: 0,
        },
      );
    }
  });
}
