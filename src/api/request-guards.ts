/**
 * Checks every request's parsed JSON body, query and path parameters against the limits of
 * `core/json-limits.ts` before the route schema sees them, so a value nested 100,000 deep or a
 * NUL character is a 400 here and never a stack overflow or a database error later.
 */
import type { FastifyInstance } from 'fastify';
import { checkJsonValue } from '../core/json-limits.js';

export function installRequestGuards(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    checkJsonValue(request.params, 'The request path');
    checkJsonValue(request.query, 'The query string');
    // Multipart bodies are read by the route (api/multipart-body.ts checks their fields).
    if (request.body !== undefined && !request.isMultipart()) checkJsonValue(request.body, 'The request body');
  });
}
