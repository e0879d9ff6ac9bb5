/**
 * Signals between processes sharing one PostgreSQL database (LISTEN/NOTIFY): "a job was queued"
 * wakes idle workers elsewhere at once, "a run finished" wakes API processes waiting for it.
 * Signals are hints only — every waiter also polls — so a lost one costs latency, never work.
 * SQLite runs in one process (or a few on one machine) and does without them.
 */
import pg from 'pg';
import type { ReportError } from '../core/report-error.js';

export type NotificationHandler = (payload: string) => void;

export interface Notifications {
  /** Subscribes to a channel; the connection is opened on the first subscription. */
  listen(topic: string, handler: NotificationHandler): Promise<void>;
  notify(topic: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

const RECONNECT_MS = 1000;

/** Channel names are per schema, so installations sharing a database do not wake each other. */
function channelFor(schema: string, topic: string): string {
  return `docsort_${schema}_${topic}`.slice(0, 63);
}

export function createPgNotifications(
  url: string,
  schema: string,
  pool: pg.Pool,
  reportError: ReportError = () => undefined,
): Notifications {
  const handlers = new Map<string, NotificationHandler[]>();
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  async function connect(): Promise<pg.Client> {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      for (const handler of handlers.get(message.channel) ?? []) handler(message.payload ?? '');
    });
    next.on('error', (error) => {
      // The connection broke: subscribe again on a fresh one; waiters keep polling meanwhile.
      reportError(error, 'the PostgreSQL notification connection broke; reconnecting');
      client = null;
      connecting = null;
      // Ending a connection that already broke can only fail the same way again.
      next.end().catch(() => undefined);
      if (!closed) retry = setTimeout(reconnect, RECONNECT_MS);
    });
    await next.connect();
    for (const channel of handlers.keys()) await next.query(`LISTEN "${channel}"`);
    client = next;
    return next;
  }

  function reconnect(): void {
    ensureConnected().catch((error: unknown) => {
      reportError(error, 'could not reconnect for PostgreSQL notifications; waiters poll until it is back');
      // Keep trying: a database restart outlasts one attempt, and without signals every wait is a poll.
      if (!closed) retry = setTimeout(reconnect, RECONNECT_MS * 5);
    });
  }

  function ensureConnected(): Promise<pg.Client> {
    if (client) return Promise.resolve(client);
    connecting ??= connect().catch((error) => {
      connecting = null;
      throw error;
    });
    return connecting;
  }

  return {
    async listen(topic, handler) {
      const channel = channelFor(schema, topic);
      const known = handlers.get(channel);
      if (known) {
        known.push(handler);
        return;
      }
      handlers.set(channel, [handler]);
      const connection = await ensureConnected();
      await connection.query(`LISTEN "${channel}"`);
    },
    async notify(topic, payload) {
      await pool.query('SELECT pg_notify($1, $2)', [channelFor(schema, topic), payload]);
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      const current = client ?? (connecting ? await connecting.catch(() => null) : null);
      client = null;
      await current?.end().catch(() => undefined);
    },
  };
}
