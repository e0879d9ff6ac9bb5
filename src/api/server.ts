/**
 * The HTTP API: Fastify with JSON-schema validation, multipart uploads and an OpenAPI document
 * generated from the route schemas. Each resource registers its routes from its own module;
 * features add theirs through `routes` and cross-cutting hooks (auth, quotas) through `plugins`.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import type { Deps } from '../deps.js';
import type { ApiInstance } from './api-instance.js';
import { registerBatchRoutes } from './batches.route.js';
import { registerClassifierClassifyRoutes } from './classifier-classify.route.js';
import { registerClassifierRoutes } from './classifiers.route.js';
import { registerClassifyRunRoutes } from './classify-runs.route.js';
import { registerEvaluationRoutes } from './evaluations.route.js';
import { installErrorHandler } from './error-response.js';
import { registerFileRoutes } from './files.route.js';
import { registerHealthRoutes } from './health.route.js';
import { installRequestGuards } from './request-guards.js';
import { SWAGGER_OPTIONS } from './openapi-document.js';
import { fastifyLoggerOptions } from './request-log.js';

/** Registers one resource's routes. */
export type RouteModule = (app: ApiInstance, deps: Deps) => void | Promise<void>;

export const CORE_ROUTES: RouteModule[] = [
  registerHealthRoutes,
  registerFileRoutes,
  registerClassifierRoutes,
  registerClassifierClassifyRoutes,
  registerClassifyRunRoutes,
  registerBatchRoutes,
  registerEvaluationRoutes,
];

export interface ServerOptions {
  routes?: RouteModule[];
  /** Run before any route is registered: hooks such as authentication. */
  plugins?: RouteModule[];
  logger?: FastifyBaseLogger;
}

export async function buildServer(deps: Deps, options: ServerOptions = {}): Promise<ApiInstance> {
  const untyped = Fastify({
    ...(options.logger ? fastifyLoggerOptions(options.logger) : { logger: false }),
    bodyLimit: 1024 * 1024,
    // Wrong types are errors, not silently converted; unknown fields are refused, not dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    genReqId: () => `req_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
  }) as unknown as FastifyInstance;
  // Types only: requests are still validated by Fastify's own Ajv with the options above.
  const app = untyped.withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandler(app);
  installRequestGuards(app);
  // The API speaks JSON and multipart only; anything else is answered 415 before a handler sees it.
  app.removeContentTypeParser('text/plain');
  // A file over the limit is refused by the blob store as it streams (api/multipart-body.ts), per file.
  await app.register(multipart, { throwFileSizeLimit: false, limits: { fileSize: deps.config.maxFileBytes + 1, fieldSize: 1024 * 1024 } });
  await app.register(swagger, SWAGGER_OPTIONS);
  for (const plugin of options.plugins ?? []) await plugin(app, deps);
  for (const register of options.routes ?? CORE_ROUTES) await register(app, deps);
  return app;
}
