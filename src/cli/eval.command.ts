// Placeholder until the `eval` command lands; replaced by its implementation.
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('docsort eval: not available in this build yet\n');
  return 1;
}
