// Placeholder until the `extract` command lands; replaced by its implementation.
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('docsort extract: not available in this build yet\n');
  return 1;
}
