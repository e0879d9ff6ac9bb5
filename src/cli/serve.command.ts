/** `docsort serve`: the HTTP API, with in-process workers unless WORKER_CONCURRENCY=0. */
import { runService } from './run-service.js';

const HELP = `Usage: docsort serve

Runs the HTTP API on HOST:PORT (default 127.0.0.1:8080). Embedded by default: a SQLite file and
stored files under DATA_DIR, jobs run in this process. With DATABASE_URL=postgres://… any number
of serve and worker processes share one database; WORKER_CONCURRENCY=0 makes this process API-only.`;

export async function run(argv: string[]): Promise<number> {
  return runService('serve', argv, (config) => ({ api: true, workers: config.workerConcurrency }), HELP);
}
