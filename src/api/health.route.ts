/** `GET /healthz` (database reachable) and `GET /openapi.json` (generated from the route schemas). */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../core/errors.js';
import type { Deps } from '../deps.js';
import { pingDatabase } from '../store/migrations.js';

export function registerHealthRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/healthz', { schema: { summary: 'Liveness and database reachability', tags: ['service'] } }, async () => {
    try {
      await pingDatabase(deps.store);
    } catch (error) {
      // The client is told only "not reachable"; the cause (refused, auth, timeout) is the operator's.
      throw new AppError('service_unavailable', 'The database is not reachable.', undefined, { cause: error });
    }
    return { status: 'ok', database: deps.store.dialect.name };
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
