/**
 * Servers for end-to-end tests: the real app on a free port (in this process), or a real
 * `docsort` child process (for crash tests), on a test database of either dialect.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from 'pino';
import { createApp, type App } from '../../src/app.js';
import type { Extractor } from '../../src/core/ports.js';
import type { Environment } from '../../src/config.js';
import type { DialectName } from '../../src/store/database.js';
import { repoRoot } from './repo-paths.js';
import { DOCSORT_BIN } from './run-cli.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export { corpusDir, corpusFile, repoRoot } from './repo-paths.js';

export interface TestServer {
  url: string;
  app: App;
  database: TestDatabase;
  close(): Promise<void>;
}

/** Environment every test server shares: API keys off (loopback only), quiet logs. */
export const TEST_ENV: Environment = { AUTH: 'off', LOG_LEVEL: 'silent', JOB_POLL_MS: '100' };

export interface TestServerOptions {
  workers?: number;
  database?: TestDatabase;
  /** A logger to read what the app logs (e.g. pino writing to a stream); LOG_LEVEL does not apply to it. */
  logger?: Logger;
  /** An extractor in place of the real one, at the port. */
  extractor?: Extractor;
}

export async function startTestServer(dialect: DialectName, env: Environment = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase(dialect));
  const config = database.config({ ...TEST_ENV, ...env });
  const app = await createApp(config, {
    api: true,
    workers: options.workers ?? config.workerConcurrency,
    logger: options.logger,
    extractor: options.extractor,
  });
  const url = await app.start();
  if (!url) throw new Error('the test server did not listen');
  return {
    url,
    app,
    database,
    async close() {
      await app.close(2000);
      if (!options.database) await database.drop();
    },
  };
}

/** Starts `node bin/docsort.js <command>` on the test database; resolves once it has started. */
export async function spawnDocsort(command: 'worker' | 'serve', database: TestDatabase, env: Environment = {}): Promise<ChildProcess> {
  return (await spawnDocsortProcess(command, database, env)).child;
}

/** Starts `docsort serve` as a child process; resolves with it and the address it listens on. */
export async function spawnDocsortServer(database: TestDatabase, env: Environment = {}): Promise<{ child: ChildProcess; url: string }> {
  const { child, readyLine } = await spawnDocsortProcess('serve', database, env);
  const url = /listening on (\S+)/.exec(readyLine)?.[1];
  if (!url) throw new Error(`docsort serve said where it listens in no way the test understood: ${readyLine}`);
  return { child, url };
}

async function spawnDocsortProcess(
  command: 'worker' | 'serve',
  database: TestDatabase,
  env: Environment,
): Promise<{ child: ChildProcess; readyLine: string }> {
  const child = spawn(process.execPath, [DOCSORT_BIN, command], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, ...database.env, ...TEST_ENV, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const readyLine = await new Promise<string>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // The plain ready line, printed once the process handles stop signals (log lines that
      // mention "started" come earlier).
      const ready = new RegExp(`^docsort ${command} started.*$`, 'm').exec(output);
      if (ready) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(ready[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`docsort ${command} exited with ${code}: ${output}`)));
  });
  return { child, readyLine };
}

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

export interface JsonResponse<T = any> {
  status: number;
  body: T;
}

export async function requestJson<T = any>(
  url: string,
  init: { method?: string; json?: unknown; form?: FormData } = {},
): Promise<JsonResponse<T>> {
  const response = await fetch(url, {
    method: init.method ?? (init.json !== undefined || init.form ? 'POST' : 'GET'),
    headers: init.json !== undefined ? { 'content-type': 'application/json' } : undefined,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.form,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Polls until `accept` holds; tests never assert how long that took. */
export async function waitUntil<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 60_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)?.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
