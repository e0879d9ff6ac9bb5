/** `docsort worker`: runs queued jobs only; start as many as needed beside the API processes. */
import { runService } from './run-service.js';

const HELP = `Usage: docsort worker

Runs jobs (classify runs and every other registered job type) from the shared database, up to
WORKER_CONCURRENCY at once (at least 1). Use the same DATABASE_URL and DATA_DIR (shared storage)
as the API processes.`;

export async function run(argv: string[]): Promise<number> {
  return runService('worker', argv, (config) => ({ api: false, workers: Math.max(1, config.workerConcurrency) }), HELP);
}
