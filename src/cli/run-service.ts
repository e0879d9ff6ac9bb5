/** Shared by `serve` and `worker`: read the configuration, start the app, stop it cleanly on a signal. */
import { describeConfig, type Config } from '../config.js';
import { loadCommandConfig } from './load-command-config.js';
import { createApp, type AppOptions } from '../app.js';
import { createInitialKeyIfNone, describeInitialKey } from '../auth/initial-key.js';

export async function runService(
  name: string,
  argv: string[],
  options: (config: Config) => Omit<AppOptions, 'logger'>,
  help: string,
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${help}\n\nConfiguration (environment variables):\n\n${describeConfig()}\n`);
    return 0;
  }
  if (argv.length > 0) {
    process.stderr.write(`docsort ${name}: unexpected argument "${argv[0]}"; configure it with environment variables (see --help).\n`);
    return 2;
  }
  const config = loadCommandConfig(name);
  if (!config) return 2;
  const app = await createApp(config, options(config));
  if (app.server && config.authEnabled) {
    const initialKey = await createInitialKeyIfNone(app.deps.store);
    if (initialKey) process.stdout.write(`${describeInitialKey(initialKey)}\n`);
  }
  // start() logs the ready line (address, store, files, workers, engines).
  const address = await app.start();
  const stopRequested = new Promise<void>((resolve) => {
    let stopping = 0;
    const stop = (signal: NodeJS.Signals) => {
      // One stop request often arrives twice (a process-group signal that the supervising process
      // also passes on, see relaunch.ts): repeats within a second are the same request. A later
      // Ctrl-C means "now": stop without waiting for running jobs.
      if (stopping > 0) {
        if (signal === 'SIGINT' && Date.now() - stopping > 1_000) {
          app.deps.logger.warn({ signal }, `docsort ${name} stopping at once`);
          process.exit(130);
        }
        return;
      }
      stopping = Date.now();
      app.deps.logger.info({ signal }, `docsort ${name} stopping`);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  // One plain line whatever the log level, so scripts and supervisors can tell the process is
  // ready; written once stop signals are handled.
  process.stdout.write(`docsort ${name} started${address ? `, listening on ${address}` : ''}\n`);
  await stopRequested;
  await app.close();
  return 0;
}
