/**
 * The API's admission plugin: API keys, version header and rate limits on every /v1 route, and
 * the same facts written into the OpenAPI document (security schemes, 401/429 answers).
 */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { ErrorBody } from './schemas.js';
import { isApiPath, registerAdmission } from '../auth/admission-hook.js';
import { API_VERSION_HEADER, API_VERSIONS, CURRENT_API_VERSION } from '../auth/api-version.js';
import { createRateLimiter } from '../auth/rate-limiter.js';

export function registerAuth(app: FastifyInstance, deps: Deps): void {
  registerAdmission(app, {
    db: deps.store.db,
    authEnabled: deps.config.authEnabled,
    rateLimiter: createRateLimiter(deps.store.db, { burst: deps.config.rateLimitBurst }),
    defaultRateLimitPerMinute: deps.config.rateLimitPerMinute,
  });
  app.addHook('onRoute', (route) => {
    if (!isApiPath(route.url) || !route.schema) return;
    const schema = route.schema as Record<string, unknown>;
    if (deps.config.authEnabled) schema.security = [{ bearer: [] }, { apiKey: [] }];
    const headers = (schema.headers as Record<string, unknown> | undefined) ?? {
      type: 'object',
      properties: {
        [API_VERSION_HEADER]: {
          type: 'string',
          enum: [...API_VERSIONS],
          description: `Dated API version; ${CURRENT_API_VERSION} when absent.`,
        },
      },
    };
    schema.headers = headers;
    const response = (schema.response as Record<string, unknown> | undefined) ?? {};
    schema.response = { 401: ErrorBody, 402: ErrorBody, 429: ErrorBody, ...response };
  });
}
