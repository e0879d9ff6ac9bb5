/**
 * `docsort keys create|list|revoke`: manage API keys straight in the database the server uses
 * (same DATA_DIR / DATABASE_URL), so an operator can always get in, even with no key at hand.
 * `create` prints the new key alone on the last line of stdout, for scripts.
 */
import { loadCommandConfig } from './load-command-config.js';
import { parseCommandLine, UsageError } from './parse-command-line.js';
import { openStoreForConfig } from '../app.js';
import { countActiveKeys, createApiKey, listApiKeys, revokeApiKey } from '../auth/api-keys.queries.js';
import type { ApiKeyRow } from '../auth/api-keys.schema.js';
import { DEFAULT_ROLE, DEFAULT_WORKSPACE, isRole, isWorkspaceName, ROLES, type Role } from '../core/access.js';

const HELP = `Usage:
  docsort keys create --name NAME [--workspace W] [--role ROLE] [--credit-quota N] [--rate-limit N]
  docsort keys list [--workspace W] [--all] [--json]
  docsort keys revoke KEY_ID

create        Makes a key and prints it once (last line of stdout). The first key is an admin key.
  --workspace W     the one workspace whose files, classifiers, runs, batches and webhooks the key
                    sees (default: default); made when it does not exist yet
  --role ROLE       read (read only), review (read and review runs), write (everything in the
                    workspace; the default) or admin (also keys and workspaces)
  --admin           the same as --role admin
  --credit-quota N  credits the key may spend in total (402 out_of_credits after)
  --rate-limit N    requests per minute (default: RATE_LIMIT_PER_MINUTE)
list          Shows id, name, prefix, workspace, role and limits of active keys (--all adds revoked
              ones, --workspace W only that workspace's).
revoke        Stops a key at once.

Uses the same DATA_DIR / DATABASE_URL / DATABASE_SCHEMA as \`docsort serve\`.`;

const KEYS_OPTIONS = {
  name: { type: 'string' },
  admin: { type: 'boolean', default: false },
  role: { type: 'string' },
  workspace: { type: 'string' },
  'credit-quota': { type: 'string' },
  'rate-limit': { type: 'string' },
  all: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export async function run(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (!action || action === '--help' || action === '-h' || action === 'help') {
    process.stdout.write(HELP + '\n');
    return action ? 0 : 2;
  }
  let parsed: ReturnType<typeof parseCommandLine<typeof KEYS_OPTIONS>>;
  try {
    parsed = parseCommandLine(rest, KEYS_OPTIONS);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`docsort keys: ${error.message}\n\n${HELP}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  if (!['create', 'list', 'revoke'].includes(action)) {
    process.stderr.write(`docsort keys: unknown action "${action}"\n\n${HELP}\n`);
    return 2;
  }

  const config = loadCommandConfig('keys');
  if (!config) return 2;

  const store = await openStoreForConfig(config);
  try {
    if (action === 'create') return await createKey(store.db, parsed.values);
    if (action === 'list')
      return await listKeys(
        store.db,
        { includeRevoked: parsed.values.all ?? false, workspace: parsed.values.workspace },
        parsed.values.json ?? false,
      );
    return await revokeKey(store.db, parsed.positionals[0]);
  } finally {
    await store.close();
  }
}

type Db = Awaited<ReturnType<typeof openStoreForConfig>>['db'];

function parseLimit(raw: string | undefined, flag: string): number | null | Error {
  if (raw === undefined) return null;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) return new Error(`${flag} must be a number ≥ 0, got "${raw}"`);
  return value;
}

/** `--role`, or `--admin`; both at once must agree. */
function parseRole(values: { role?: string; admin?: boolean }): Role | Error {
  if (values.role === undefined) return values.admin ? 'admin' : DEFAULT_ROLE;
  if (!isRole(values.role)) return new Error(`--role must be one of ${ROLES.join(', ')}, got "${values.role}"`);
  if (values.admin && values.role !== 'admin') return new Error(`--admin contradicts --role ${values.role}; give --role alone`);
  return values.role;
}

async function createKey(
  db: Db,
  values: { name?: string; admin?: boolean; role?: string; workspace?: string; 'credit-quota'?: string; 'rate-limit'?: string },
): Promise<number> {
  const name = values.name?.trim();
  if (!name) {
    process.stderr.write('docsort keys create: --name is required (a label that tells you where the key is used)\n');
    return 2;
  }
  const workspace = values.workspace ?? DEFAULT_WORKSPACE;
  if (!isWorkspaceName(workspace)) {
    process.stderr.write(
      `docsort keys create: --workspace must be lower-case letters, digits, "-" and "_" (at most 63, starting with a letter or digit), got "${workspace}"\n`,
    );
    return 2;
  }
  const role = parseRole(values);
  if (role instanceof Error) {
    process.stderr.write(`docsort keys create: ${role.message}\n`);
    return 2;
  }
  const creditQuota = parseLimit(values['credit-quota'], '--credit-quota');
  const rateLimit = parseLimit(values['rate-limit'], '--rate-limit');
  for (const value of [creditQuota, rateLimit]) {
    if (value instanceof Error) {
      process.stderr.write(`docsort keys create: ${value.message}\n`);
      return 2;
    }
  }
  // The first key must be able to manage the others, or nobody could through the API.
  const firstKey = (await countActiveKeys(db)) === 0;
  const created = await createApiKey(db, {
    name,
    role: firstKey ? 'admin' : role,
    workspace,
    creditQuota: creditQuota as number | null,
    rateLimitPerMinute: rateLimit === null ? null : Math.round(rateLimit as number),
  });
  const made = created.row;
  process.stderr.write(
    `Created ${made.role} key ${made.id} "${name}" in workspace "${made.workspace_id}".${firstKey && role !== 'admin' ? ' It is the first key, so it is an admin key.' : ''} It is shown only now; store it safely.\n`,
  );
  process.stdout.write(`${created.key}\n`);
  return 0;
}

function describeKey(key: ApiKeyRow): string {
  const limits = [
    `workspace ${key.workspace_id}`,
    key.role,
    key.credit_quota !== null ? `quota ${key.credit_quota} credits` : null,
    key.rate_limit_per_minute !== null ? `${key.rate_limit_per_minute}/min` : null,
    key.revoked_at !== null ? `revoked ${new Date(key.revoked_at).toISOString()}` : null,
  ].filter(Boolean);
  return `${key.id}  ${key.prefix}…  ${key.name}${limits.length ? `  (${limits.join(', ')})` : ''}`;
}

async function listKeys(db: Db, filter: { includeRevoked: boolean; workspace?: string }, json: boolean): Promise<number> {
  const keys = await listApiKeys(db, filter);
  if (json) {
    const rows = keys.map(({ hash: _hash, ...key }) => key);
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  } else if (keys.length === 0) {
    process.stdout.write('No keys. Create one with: docsort keys create --name NAME\n');
  } else {
    for (const key of keys) process.stdout.write(describeKey(key) + '\n');
  }
  return 0;
}

async function revokeKey(db: Db, id: string | undefined): Promise<number> {
  if (!id) {
    process.stderr.write('docsort keys revoke: give the key id (see `docsort keys list`)\n');
    return 2;
  }
  const revoked = await revokeApiKey(db, id);
  if (!revoked) {
    process.stderr.write(`docsort keys revoke: no active key with id "${id}"\n`);
    return 1;
  }
  process.stdout.write(`Revoked ${revoked.id} "${revoked.name}".\n`);
  return 0;
}
