/**
 * Who may do what. Every file, classifier, run, batch, example, webhook and usage row belongs to
 * one workspace, and so does every API key: a key sees its own workspace only. Within it, the
 * key's role says what it may do. Roles are ordered: each may do everything the ones below it may.
 *
 * - `read`: read only.
 * - `review`: read, and review runs (`PATCH /v1/classify_runs/:id`), nothing else.
 * - `write`: everything in its workspace.
 * - `admin`: everything in its workspace, and keys and workspaces (of every workspace).
 */
export const ROLES = ['read', 'review', 'write', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Where existing data and keys live, and where a key goes when no workspace is named. */
export const DEFAULT_WORKSPACE = 'default';

/** The role of a new key when none is named: what every non-admin key could do before roles. */
export const DEFAULT_ROLE: Role = 'write';

/** Workspace names: short, lower-case, safe in URLs, logs and file names. */
export const WORKSPACE_NAME_PATTERN = '^[a-z0-9][a-z0-9_-]{0,62}$';
const WORKSPACE_NAME = new RegExp(WORKSPACE_NAME_PATTERN);

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isWorkspaceName(value: string): boolean {
  return WORKSPACE_NAME.test(value);
}

/** Whether a key with `role` may do what needs `needed`. */
export function roleAllows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** Routes whose role is not the one their method implies (method and Fastify route pattern). */
const ROUTE_ROLES: ReadonlyMap<string, Role> = new Map<string, Role>([
  ['PATCH /v1/classify_runs/:id', 'review'],
  // Any key may read itself; the route lets an admin read the others.
  ['GET /v1/keys/current', 'read'],
  ['GET /v1/keys/:id', 'read'],
]);

/** Route prefixes only admins reach, whatever the method. */
const ADMIN_PREFIXES = ['/v1/keys', '/v1/workspaces'];

/**
 * The least role a request needs: reads need `read`, every other method `write`, key and
 * workspace management `admin`. A new route gets the strict answer unless it is listed here, so
 * forgetting it errs towards refusing.
 */
export function requiredRole(method: string, routePattern: string): Role {
  const listed = ROUTE_ROLES.get(`${method} ${routePattern}`);
  if (listed) return listed;
  if (ADMIN_PREFIXES.some((prefix) => routePattern === prefix || routePattern.startsWith(`${prefix}/`))) return 'admin';
  return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
}
