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

const HELP = `Usage:
  docsort keys create --name NAME [--admin] [--credit-quota N] [--rate-limit N]
  docsort keys list [--all] [--json]
  docsort keys revoke KEY_ID

create        Makes a key and prints it once (last line of stdout). The first key is an admin key.
  --admin           may manage keys through /v1/keys
  --credit-quota N  credits the key may spend in total (402 out_of_credits after)
  --rate-limit N    requests per minute (default: RATE_LIMIT_PER_MINUTE)
list          Shows id, name, prefix and limits of active keys (--all adds revoked ones).
revoke        Stops a key at once.

Uses the same DATA_DIR / DATABASE_URL / DATABASE_SCHEMA as \`docsort serve\`.`;

const KEYS_OPTIONS = {
  name: { type: 'string' },
  admin: { type: 'boolean', default: false },
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
    if (action === 'list') return await listKeys(store.db, parsed.values.all ?? false, parsed.values.json ?? false);
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

async function createKey(
  db: Db,
  values: { name?: string; admin?: boolean; 'credit-quota'?: string; 'rate-limit'?: string },
): Promise<number> {
  const name = values.name?.trim();
  if (!name) {
    process.stderr.write('docsort keys create: --name is required (a label that tells you where the key is used)\n');
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
  const isAdmin = (values.admin ?? false) || (await countActiveKeys(db)) === 0;
  const created = await createApiKey(db, {
    name,
    isAdmin,
    creditQuota: creditQuota as number | null,
    rateLimitPerMinute: rateLimit === null ? null : Math.round(rateLimit as number),
  });
  process.stderr.write(`Created ${isAdmin ? 'admin ' : ''}key ${created.row.id} "${name}". It is shown only now; store it safely.\n`);
  process.stdout.write(`${created.key}\n`);
  return 0;
}

function describeKey(key: ApiKeyRow): string {
  const limits = [
    key.is_admin ? 'admin' : null,
    key.credit_quota !== null ? `quota ${key.credit_quota} credits` : null,
    key.rate_limit_per_minute !== null ? `${key.rate_limit_per_minute}/min` : null,
    key.revoked_at !== null ? `revoked ${new Date(key.revoked_at).toISOString()}` : null,
  ].filter(Boolean);
  return `${key.id}  ${key.prefix}…  ${key.name}${limits.length ? `  (${limits.join(', ')})` : ''}`;
}

async function listKeys(db: Db, includeRevoked: boolean, json: boolean): Promise<number> {
  const keys = await listApiKeys(db, { includeRevoked });
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
