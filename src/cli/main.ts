/** The `docsort` command: dispatches to one module per command, loaded only when used. */

interface CommandModule {
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  extract: { summary: 'Read files into pages of text (text layer or OCR)', load: () => import('./extract.command.js') },
  classify: { summary: 'Classify files with a classifier definition or a class list', load: () => import('./classify.command.js') },
  eval: { summary: 'Evaluate a classifier on a labelled manifest', load: () => import('./eval.command.js') },
  serve: { summary: 'Run the HTTP API (and in-process workers on embedded defaults)', load: () => import('./serve.command.js') },
  worker: { summary: 'Run job workers only (scale-out on PostgreSQL)', load: () => import('./worker.command.js') },
  keys: { summary: 'Create, list and revoke API keys', load: () => import('./keys.command.js') },
  openapi: { summary: 'Print the OpenAPI document of the HTTP API', load: () => import('./openapi.command.js') },
};

export function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return [
    'Usage: docsort <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `docsort <command> --help` for the options of one command.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(helpText() + '\n');
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`docsort: unknown command "${name}"\n\n${helpText()}\n`);
    return 2;
  }
  try {
    const module = await command.load();
    return await module.run(rest);
  } catch (error) {
    // A command reports its own expected failures; anything reaching here is a bug, shown in one line.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`docsort ${name}: ${message}\n`);
    return 1;
  }
}
