/**
 * `docsort openapi [--output FILE]`: the OpenAPI document of this version of the API, without a
 * running server, for client generators. It is the document `GET /openapi.json` serves (which
 * does not depend on the configuration), built on a throwaway SQLite database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { parseCommandLine, UsageError } from './parse-command-line.js';

const HELP = `Usage: docsort openapi [--output FILE]

Prints the OpenAPI 3 document of the HTTP API (the one GET /openapi.json serves), or writes it
to FILE. Generate a client from it, e.g. npx openapi-typescript FILE -o docsort-api.d.ts.`;

/** The document as JSON text, the way `docs/openapi.json` is kept (2-space indent, final newline). */
export async function renderOpenApiDocument(): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-openapi-'));
  try {
    const app = await createApp(loadConfig({ DATA_DIR: dataDir, AUTH: 'off', LOG_LEVEL: 'silent' }), { api: true, workers: 0 });
    try {
      await app.server?.ready();
      return `${JSON.stringify(app.server?.swagger(), null, 2)}\n`;
    } finally {
      await app.close(0);
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function run(argv: string[]): Promise<number> {
  let values: { output?: string; help?: boolean };
  try {
    ({ values } = parseCommandLine(argv, { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } }));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`docsort openapi: ${error.message}\n\n${HELP}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const document = await renderOpenApiDocument();
  if (values.output) fs.writeFileSync(values.output, document);
  else process.stdout.write(document);
  return 0;
}
