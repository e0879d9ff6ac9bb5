#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm install` through the `prepare` script).
import { fileURLToPath } from 'node:url';
import { runWithArenaLimit, shouldRelaunch, watchSupervisor } from '../dist/src/cli/relaunch.js';

if (shouldRelaunch()) {
  // See relaunch.ts: the command runs in a child started with a malloc arena limit.
  process.exitCode = await runWithArenaLimit(fileURLToPath(import.meta.url), process.argv.slice(2));
} else {
  watchSupervisor();
  const { main } = await import('../dist/src/cli/main.js');
  process.exitCode = await main(process.argv.slice(2));
}
