/** API keys over HTTP, for admin keys: create (the key is shown once), list (prefix only), change limits, revoke. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireAdmin } from '../auth/admission-hook.js';
import { createApiKey, getApiKey, listApiKeys, revokeApiKey, updateApiKey } from '../auth/api-keys.queries.js';
import type { ApiKeyRow } from '../auth/api-keys.schema.js';
import { AppError } from '../core/errors.js';
import type { Deps } from '../deps.js';
import { toRfc3339 } from '../runs/run-view.js';
import { remainingCredits } from '../usage/credits.js';
import { sumCreditsByKey, sumKeyCredits } from '../usage/usage.queries.js';
import { ERROR_RESPONSES, IdParams } from './schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const ApiKeyView = Type.Object(
  {
    object: Type.Literal('api_key'),
    id: Type.String({ description: 'key_…' }),
    name: Type.String(),
    prefix: Type.String({ description: 'The first characters of the key, to tell keys apart.' }),
    admin: Type.Boolean({ description: 'May manage keys.' }),
    credit_quota: Nullable(Type.Number({ description: 'Credits the key may spend in total; null = unlimited.' })),
    credits_used: Type.Number(),
    credits_remaining: Nullable(Type.Number()),
    rate_limit_per_minute: Nullable(Type.Integer({ description: 'null = the server default (RATE_LIMIT_PER_MINUTE).' })),
    created_at: Type.String({ format: 'date-time' }),
    last_used_at: Nullable(Type.String({ format: 'date-time' })),
    revoked_at: Nullable(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: true },
);

const CreatedApiKey = Type.Intersect([ApiKeyView, Type.Object({ key: Type.String({ description: 'The secret key, shown only in this response.' }) })]);

export const CreateKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    admin: Type.Optional(Type.Boolean()),
    credit_quota: Type.Optional(Nullable(Type.Number({ minimum: 0 }))),
    rate_limit_per_minute: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 }))),
  },
  { additionalProperties: false },
);
export type CreateKeyBody = Static<typeof CreateKeyBody>;

export const UpdateKeyBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    credit_quota: Type.Optional(Nullable(Type.Number({ minimum: 0 }))),
    rate_limit_per_minute: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 }))),
  },
  { additionalProperties: false },
);
export type UpdateKeyBody = Static<typeof UpdateKeyBody>;

const KeyList = Type.Object({ object: Type.Literal('list'), data: Type.Array(ApiKeyView) });
const KeyListQuery = Type.Object({ include_revoked: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) }, { additionalProperties: false });

export function toApiKeyView(key: ApiKeyRow, creditsUsed: number) {
  return {
    object: 'api_key' as const,
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    admin: key.is_admin === 1,
    credit_quota: key.credit_quota,
    credits_used: creditsUsed,
    credits_remaining: remainingCredits(key.credit_quota, creditsUsed),
    rate_limit_per_minute: key.rate_limit_per_minute,
    created_at: toRfc3339(key.created_at),
    last_used_at: key.last_used_at === null ? null : toRfc3339(key.last_used_at),
    revoked_at: key.revoked_at === null ? null : toRfc3339(key.revoked_at),
  };
}

export function registerKeyRoutes(app: FastifyInstance, deps: Deps): void {
  const db = deps.store.db;
  const tags = ['keys'];

  app.post('/v1/keys', { schema: { summary: 'Create an API key (admin); the key is in this response only', tags, body: CreateKeyBody, response: { 201: CreatedApiKey, ...ERROR_RESPONSES } } }, async (request, reply) => {
    requireAdmin(request, deps.config.authEnabled);
    const body = request.body as CreateKeyBody;
    const created = await createApiKey(db, {
      name: body.name.trim(),
      isAdmin: body.admin ?? false,
      creditQuota: body.credit_quota ?? null,
      rateLimitPerMinute: body.rate_limit_per_minute ?? null,
    });
    return reply.code(201).send({ ...toApiKeyView(created.row, 0), key: created.key });
  });

  app.get('/v1/keys', { schema: { summary: 'List API keys (admin): prefixes and limits, never the keys', tags, querystring: KeyListQuery, response: { 200: KeyList, ...ERROR_RESPONSES } } }, async (request) => {
    requireAdmin(request, deps.config.authEnabled);
    const { include_revoked } = request.query as Static<typeof KeyListQuery>;
    const [keys, used] = await Promise.all([listApiKeys(db, { includeRevoked: include_revoked === 'true' }), sumCreditsByKey(db)]);
    return { object: 'list', data: keys.map((key) => toApiKeyView(key, used.get(key.id) ?? 0)) };
  });

  app.get('/v1/keys/:id', { schema: { summary: 'One API key (admin, or the key itself)', tags, params: IdParams, response: { 200: ApiKeyView, ...ERROR_RESPONSES } } }, async (request) => {
    const { id } = request.params as IdParams;
    if (request.apiKey?.id !== id) requireAdmin(request, deps.config.authEnabled);
    const key = await getApiKey(db, id);
    if (!key) throw new AppError('not_found', `No API key "${id}"; list them with GET /v1/keys.`);
    return toApiKeyView(key, await sumKeyCredits(db, key.id));
  });

  app.patch('/v1/keys/:id', { schema: { summary: 'Change a key\'s name, credit quota or rate limit (admin)', tags, params: IdParams, body: UpdateKeyBody, response: { 200: ApiKeyView, ...ERROR_RESPONSES } } }, async (request) => {
    requireAdmin(request, deps.config.authEnabled);
    const { id } = request.params as IdParams;
    const body = request.body as UpdateKeyBody;
    const updated = await updateApiKey(db, id, { ...body, name: body.name?.trim() });
    if (!updated) throw new AppError('not_found', `No active API key "${id}"; list them with GET /v1/keys.`);
    return toApiKeyView(updated, await sumKeyCredits(db, updated.id));
  });

  app.delete('/v1/keys/:id', { schema: { summary: 'Revoke an API key (admin); it stops working at once', tags, params: IdParams, response: { 200: ApiKeyView, ...ERROR_RESPONSES } } }, async (request) => {
    requireAdmin(request, deps.config.authEnabled);
    const { id } = request.params as IdParams;
    const revoked = await revokeApiKey(db, id);
    if (!revoked) throw new AppError('not_found', `No active API key "${id}"; list them with GET /v1/keys.`);
    return toApiKeyView(revoked, await sumKeyCredits(db, revoked.id));
  });
}
