/** The Fastify instance the routes are registered on. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';

/**
 * With the TypeBox type provider, `request.body`, `request.query` and `request.params` have the
 * types of the route's schemas (and a handler's answer is checked against its response schema),
 * so a route cannot read a field its schema does not declare.
 */
export type ApiInstance = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
