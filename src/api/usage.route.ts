/**
 * `GET /v1/usage`: runs, pages and credits summed by UTC day, classifier, key and usage tag,
 * with the calling key's quota. Only the runs of the key's workspace count; a non-admin key sees
 * only its own usage.
 */
import { UsageQuery } from '../core/api-requests.js';
import { UsageReport } from '../core/api-types.js';
import { AppError } from '../core/errors.js';
import type { Deps } from '../deps.js';
import { remainingCredits } from '../usage/credits.js';
import { summariseUsage, sumKeyCredits } from '../usage/usage.queries.js';
import type { ApiInstance } from './api-instance.js';
import { ERROR_RESPONSES } from './schemas.js';

const DAY_MS = 86_400_000;

function parseDay(value: string, name: string): number {
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new AppError('invalid_request', `"${name}" must be a date like 2026-11-01.`);
  return ms;
}

export function registerUsageRoutes(app: ApiInstance, deps: Deps): void {
  const db = deps.store.db;
  app.get(
    '/v1/usage',
    {
      schema: {
        operationId: 'getUsage',
        summary: 'Pages and credits by day, classifier, key and usage tag',
        tags: ['usage'],
        querystring: UsageQuery,
        response: { 200: UsageReport, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { query } = request;
      const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
      const toDay = query.to ? parseDay(query.to, 'to') : today;
      const fromDay = query.from ? parseDay(query.from, 'from') : toDay - 29 * DAY_MS;
      if (fromDay > toDay) throw new AppError('invalid_request', '"from" is after "to".');
      if (toDay - fromDay > 366 * DAY_MS) throw new AppError('invalid_request', 'Ask for at most 366 days at a time.');

      const key = request.apiKey;
      let apiKeyId = query.api_key_id;
      if (key && key.role !== 'admin') {
        if (apiKeyId && apiKeyId !== key.id)
          throw new AppError('forbidden', 'A non-admin key sees only its own usage; leave out api_key_id or use an admin key.');
        apiKeyId = key.id;
      }
      const report = await summariseUsage(db, {
        workspaceId: request.workspaceId,
        from: fromDay,
        to: toDay + DAY_MS,
        classifierId: query.classifier_id,
        apiKeyId,
        tag: query.tag,
      });
      const used = key ? await sumKeyCredits(db, key.id) : 0;
      return {
        object: 'usage' as const,
        from: new Date(fromDay).toISOString().slice(0, 10),
        to: new Date(toDay).toISOString().slice(0, 10),
        credits_per_page: deps.config.creditsPerPage,
        ...report,
        quota: key
          ? {
              api_key_id: key.id,
              credit_quota: key.credit_quota,
              credits_used: used,
              credits_remaining: remainingCredits(key.credit_quota, used),
            }
          : null,
      };
    },
  );
}
