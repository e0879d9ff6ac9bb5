// Placeholder until the `serve` command lands; replaced by its implementation.
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('docsort serve: not available in this build yet\n');
  return 1;
}
