/**
 * What every /v1 request passes before its route runs, in this order: a valid API key (401),
 * a known `docsort-version` (400), the key's rate limit (429 with Retry-After; none with auth off;
 * counted in the database, so it holds across API processes), the key's role for the route (403,
 * `core/access.ts`). The key's workspace is set on the request for every lookup the route makes.
 * Routes outside
 * /v1 (health, metrics, the OpenAPI document) are open. The key is looked up by hash on every
 * request, so a revoked key stops working at once on every process.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { AppError } from '../core/errors.js';
import { DEFAULT_WORKSPACE, requiredRole, roleAllows } from '../core/access.js';
import type { Database } from '../store/schema.js';
import { hashApiKey, keyMatchesHash, readPresentedKey } from './api-key.js';
import type { ApiKeyRow } from './api-keys.schema.js';
import { findActiveKeyByHash, touchApiKey } from './api-keys.queries.js';
import { API_VERSION_HEADER, resolveApiVersion } from './api-version.js';
import type { RateLimiter } from './rate-limiter.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The key that authenticated this request; null when auth is off or the route is open. */
    apiKey: ApiKeyRow | null;
    /** The dated API version the request speaks. */
    apiVersion: string;
    /** The workspace every lookup of this request is confined to: the key's, or `default` with auth off. */
    workspaceId: string;
  }
}

export interface AdmissionOptions {
  db: Kysely<Database>;
  /** False only with AUTH=off on a loopback address (checked by the config). */
  authEnabled: boolean;
  rateLimiter: RateLimiter;
  /** Requests per minute for keys without their own limit; 0 turns rate limiting off. */
  defaultRateLimitPerMinute: number;
}

export function isApiPath(url: string): boolean {
  return url === '/v1' || url.startsWith('/v1/') || url.startsWith('/v1?');
}

export function registerAdmission(app: FastifyInstance, options: AdmissionOptions): void {
  app.decorateRequest('apiKey', null);
  app.decorateRequest('apiVersion', '');
  app.decorateRequest('workspaceId', DEFAULT_WORKSPACE);
  app.addHook('onRequest', async (request, reply) => {
    if (!isApiPath(admissionPath(request))) return;
    request.apiKey = options.authEnabled ? await authenticate(options.db, request) : null;
    request.workspaceId = request.apiKey?.workspace_id ?? DEFAULT_WORKSPACE;
    request.apiVersion = resolveApiVersion(request.headers[API_VERSION_HEADER]);
    reply.header(API_VERSION_HEADER, request.apiVersion);
    await applyRateLimit(options, request, reply);
    checkRole(request);
  });
}

/**
 * The path the router matched, not the raw URL: `/%761/keys` is routed to `/v1/keys` (the router
 * decodes percent-escapes), so judging the raw text would let it through without a key.
 */
export function admissionPath(request: FastifyRequest): string {
  const routed = request.routeOptions.url;
  if (routed) return routed;
  try {
    return decodeURIComponent(request.url);
  } catch {
    return request.url;
  }
}

async function authenticate(db: Kysely<Database>, request: FastifyRequest): Promise<ApiKeyRow> {
  const presented = readPresentedKey(request.headers);
  if (!presented) {
    throw new AppError(
      'unauthorized',
      'Send an API key as "Authorization: Bearer <key>" or "x-api-key: <key>" (create one with `docsort keys create --name NAME`).',
    );
  }
  const key = presented.length <= 200 ? await findActiveKeyByHash(db, hashApiKey(presented)) : undefined;
  if (!key || !keyMatchesHash(presented, key.hash)) {
    throw new AppError('unauthorized', 'The API key is not valid or has been revoked; check it or create a new one.');
  }
  await touchApiKey(db, key);
  return key;
}

async function applyRateLimit(options: AdmissionOptions, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  // Limits are per key: with auth off there is no key to count against.
  if (!request.apiKey) return;
  const perMinute = request.apiKey.rate_limit_per_minute ?? options.defaultRateLimitPerMinute;
  if (perMinute <= 0) return;
  const decision = await options.rateLimiter.take(request.apiKey.id, perMinute);
  reply.header('ratelimit-limit', String(decision.limit));
  reply.header('ratelimit-remaining', String(decision.remaining));
  reply.header('ratelimit-reset', String(decision.resetSeconds));
  if (!decision.allowed) {
    reply.header('retry-after', String(decision.retryAfterSeconds));
    throw new AppError(
      'rate_limited',
      `Too many requests for this API key (${decision.limit} a minute); retry after ${decision.retryAfterSeconds} s.`,
      {
        retry_after: decision.retryAfterSeconds,
      },
    );
  }
}

/** Refuses a request its key's role does not cover. With auth off there is no key and no role to check. */
function checkRole(request: FastifyRequest): void {
  const key = request.apiKey;
  const route = request.routeOptions.url;
  // Unmatched paths are answered 404 by the router, whoever asks.
  if (!key || !route) return;
  const needed = requiredRole(request.method, route);
  if (roleAllows(key.role, needed)) return;
  throw new AppError(
    'forbidden',
    `This API key has role "${key.role}"; ${request.method} ${route} needs "${needed}" or above. Ask an admin for a key with that role.`,
    { role: key.role, required_role: needed },
  );
}

/**
 * For what only an admin key may do inside a route open to others (reading another key). With
 * auth off (no key, and the admission hook said so), everyone is admin; a request that reached
 * here without a key while auth is on never is.
 */
export function requireAdmin(request: FastifyRequest, authEnabled: boolean): void {
  if (authEnabled && request.apiKey?.role !== 'admin') {
    throw new AppError('forbidden', 'This needs an admin API key (the first key, or one created with `docsort keys create --role admin`).');
  }
}

/** Whether the request may act as an admin: an admin key, or auth off. */
export function isAdminRequest(request: FastifyRequest, authEnabled: boolean): boolean {
  return !authEnabled || request.apiKey?.role === 'admin';
}
