/** Shared by `serve` and `worker`: read the configuration, start the app, stop it cleanly on a signal. */
import { describeConfig, type Config } from '../config.js';
import { loadCommandConfig } from './load-command-config.js';
import { createApp, type AppOptions } from '../app.js';
import { createInitialKeyIfNone, describeInitialKey } from '../auth/initial-key.js';

export async function runService(name: string, argv: string[], options: (config: Config) => Omit<AppOptions, 'logger'>, help: string): Promise<number> {
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
  const address = await app.start();
  app.deps.logger.info({ address, database: app.deps.store.dialect.name, workers: app.worker ? config.workerConcurrency : 0 }, `docsort ${name} started`);
  // One plain line whatever the log level, so scripts and supervisors can tell the process is ready.
  process.stdout.write(`docsort ${name} started${address ? `, listening on ${address}` : ''}\n`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      app.deps.logger.info({ signal }, `docsort ${name} stopping`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await app.close();
  return 0;
}
