/**
 * API keys over HTTP, for admin keys: create (the key is shown once) with a role and a workspace,
 * list (prefix only), change role and limits, revoke. Any key may read itself (`/v1/keys/current`).
 */
import { Type } from '@sinclair/typebox';
import { CreateKeyBody, UpdateKeyBody } from '../core/api-requests.js';
import { DEFAULT_ROLE, DEFAULT_WORKSPACE, type Role } from '../core/access.js';
import { ApiKeyView, CreatedApiKey } from '../core/api-types.js';
import { requireAdmin } from '../auth/admission-hook.js';
import { createApiKey, getApiKey, listApiKeys, revokeApiKey, updateApiKey } from '../auth/api-keys.queries.js';
import type { ApiKeyRow } from '../auth/api-keys.schema.js';
import { AppError } from '../core/errors.js';
import type { Deps } from '../deps.js';
import { toRfc3339 } from '../runs/run-view.js';
import { remainingCredits } from '../usage/credits.js';
import { sumCreditsByKey, sumKeyCredits } from '../usage/usage.queries.js';
import type { ApiInstance } from './api-instance.js';
import { ERROR_RESPONSES, IdParams } from './schemas.js';

const KeyList = Type.Object({ object: Type.Literal('list'), data: Type.Array(ApiKeyView) });
const KeyListQuery = Type.Object(
  {
    include_revoked: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
    workspace: Type.Optional(Type.String({ maxLength: 100, description: 'Only the keys of this workspace.' })),
  },
  { additionalProperties: false },
);

/** `role`, or the older `admin: true`; both at once must agree. */
function roleOfNewKey(body: CreateKeyBody): Role {
  if (body.admin !== undefined && body.role !== undefined && body.admin !== (body.role === 'admin')) {
    throw new AppError('invalid_request', `"admin": ${body.admin} contradicts "role": "${body.role}"; send "role" alone.`);
  }
  return body.role ?? (body.admin ? 'admin' : DEFAULT_ROLE);
}

export function toApiKeyView(key: ApiKeyRow, creditsUsed: number): ApiKeyView {
  return {
    object: 'api_key' as const,
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    role: key.role,
    workspace: key.workspace_id,
    admin: key.role === 'admin',
    credit_quota: key.credit_quota,
    credits_used: creditsUsed,
    credits_remaining: remainingCredits(key.credit_quota, creditsUsed),
    rate_limit_per_minute: key.rate_limit_per_minute,
    created_at: toRfc3339(key.created_at),
    last_used_at: key.last_used_at === null ? null : toRfc3339(key.last_used_at),
    revoked_at: key.revoked_at === null ? null : toRfc3339(key.revoked_at),
  };
}

export function registerKeyRoutes(app: ApiInstance, deps: Deps): void {
  const db = deps.store.db;
  const tags = ['keys'];

  app.post(
    '/v1/keys',
    {
      schema: {
        operationId: 'createKey',
        summary: 'Create an API key (admin); the key is in this response only',
        tags,
        body: CreateKeyBody,
        response: { 201: CreatedApiKey, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      requireAdmin(request, deps.config.authEnabled);
      const { body } = request;
      const created = await createApiKey(db, {
        name: body.name.trim(),
        role: roleOfNewKey(body),
        workspace: body.workspace ?? DEFAULT_WORKSPACE,
        creditQuota: body.credit_quota ?? null,
        rateLimitPerMinute: body.rate_limit_per_minute ?? null,
      });
      return reply.code(201).send({ ...toApiKeyView(created.row, 0), key: created.key });
    },
  );

  app.get(
    '/v1/keys',
    {
      schema: {
        operationId: 'listKeys',
        summary: 'List API keys (admin): prefixes and limits, never the keys',
        tags,
        querystring: KeyListQuery,
        response: { 200: KeyList, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      requireAdmin(request, deps.config.authEnabled);
      const { include_revoked, workspace } = request.query;
      const [keys, used] = await Promise.all([
        listApiKeys(db, { includeRevoked: include_revoked === 'true', workspace }),
        sumCreditsByKey(db),
      ]);
      return { object: 'list' as const, data: keys.map((key) => toApiKeyView(key, used.get(key.id) ?? 0)) };
    },
  );

  app.get(
    '/v1/keys/current',
    {
      schema: {
        operationId: 'getCurrentKey',
        summary: 'The key making this request: its role, workspace and credits (any role)',
        tags,
        response: { 200: ApiKeyView, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const key = request.apiKey;
      if (!key) throw new AppError('not_found', 'API keys are off on this server (AUTH=off), so no key made this request.');
      return toApiKeyView(key, await sumKeyCredits(db, key.id));
    },
  );

  app.get(
    '/v1/keys/:id',
    {
      schema: {
        operationId: 'getKey',
        summary: 'One API key (admin, or the key itself)',
        tags,
        params: IdParams,
        response: { 200: ApiKeyView, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (request.apiKey?.id !== id) requireAdmin(request, deps.config.authEnabled);
      const key = await getApiKey(db, id);
      if (!key) throw new AppError('not_found', `No API key "${id}"; list them with GET /v1/keys.`);
      return toApiKeyView(key, await sumKeyCredits(db, key.id));
    },
  );

  app.patch(
    '/v1/keys/:id',
    {
      schema: {
        operationId: 'updateKey',
        summary: "Change a key's name, role, credit quota or rate limit (admin)",
        tags,
        params: IdParams,
        body: UpdateKeyBody,
        response: { 200: ApiKeyView, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      requireAdmin(request, deps.config.authEnabled);
      const { id } = request.params;
      const { body } = request;
      const updated = await updateApiKey(db, id, { ...body, name: body.name?.trim() });
      if (!updated) throw new AppError('not_found', `No active API key "${id}"; list them with GET /v1/keys.`);
      return toApiKeyView(updated, await sumKeyCredits(db, updated.id));
    },
  );

  app.delete(
    '/v1/keys/:id',
    {
      schema: {
        operationId: 'revokeKey',
        summary: 'Revoke an API key (admin); it stops working at once',
        tags,
        params: IdParams,
        response: { 200: ApiKeyView, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      requireAdmin(request, deps.config.authEnabled);
      const { id } = request.params;
      const revoked = await revokeApiKey(db, id);
      if (!revoked) throw new AppError('not_found', `No active API key "${id}"; list them with GET /v1/keys.`);
      return toApiKeyView(revoked, await sumKeyCredits(db, revoked.id));
    },
  );
}
