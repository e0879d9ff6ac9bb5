/**
 * The API's admission plugin: API keys, version header, rate limits and roles on every /v1 route,
 * and the same facts written into the OpenAPI document (security schemes, the role each
 * operation needs, 401/403/429 answers).
 */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { ErrorBody } from './schemas.js';
import { isApiPath, registerAdmission } from '../auth/admission-hook.js';
import { API_VERSION_HEADER, API_VERSIONS, CURRENT_API_VERSION } from '../auth/api-version.js';
import { createRateLimiter } from '../auth/rate-limiter.js';
import { requiredRole } from '../core/access.js';

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
    // Documented whatever AUTH is, so the document (and clients generated from it) is the same for every deployment.
    schema.security = [{ bearer: [] }, { apiKey: [] }];
    if (deps.config.authEnabled) {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const role = requiredRole(methods[0], route.url);
      const note = `Needs an API key with role \`${role}\` or above, and sees only the key's workspace.`;
      // HEAD routes share their GET route's schema: say it once.
      if (typeof schema.description !== 'string') schema.description = note;
      else if (!schema.description.includes(note)) schema.description = `${schema.description}\n\n${note}`;
    }
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
    schema.response = { 401: ErrorBody, 402: ErrorBody, 403: ErrorBody, 429: ErrorBody, ...response };
  });
}
