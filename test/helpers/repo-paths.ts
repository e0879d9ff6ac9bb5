/** Where the repository and the shared corpus are, found from this compiled file (dist/test/helpers). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const corpusDir = path.resolve(repoRoot, '../shared/corpus');

export function corpusFile(relative: string): string {
  return path.join(corpusDir, relative);
}
