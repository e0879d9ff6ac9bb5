/** `GET /healthz` (database reachable) and `GET /openapi.json` (generated from the route schemas). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../core/errors.js';
import type { Deps } from '../deps.js';
import { pingDatabase } from '../store/migrations.js';
import { ErrorBody } from './schemas.js';

const Health = Type.Object(
  { status: Type.Literal('ok'), database: Type.String({ description: 'sqlite or postgres' }) },
  { title: 'Health', additionalProperties: true },
);

export function registerHealthRoutes(app: FastifyInstance, deps: Deps): void {
  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'getHealth',
        summary: 'Liveness and database reachability',
        tags: ['service'],
        // Open: no key needed, whatever AUTH is.
        security: [],
        response: { 200: Health, 503: ErrorBody },
      },
    },
    async () => {
      try {
        await pingDatabase(deps.store);
      } catch (error) {
        // The client is told only "not reachable"; the cause (refused, auth, timeout) is the operator's.
        throw new AppError('service_unavailable', 'The database is not reachable.', undefined, { cause: error });
      }
      return { status: 'ok' as const, database: deps.store.dialect.name };
    },
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
