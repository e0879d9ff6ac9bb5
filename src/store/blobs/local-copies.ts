/**
 * Local copies of stored bytes for readers that need a path (MuPDF, sharp): fetched once into a
 * cache folder on this machine and kept while they fit in `maxBytes`, so reading a file's pages
 * and then rendering its page images fetches it once. A copy in use is never evicted; the least
 * recently used ones go first.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

export interface LocalCopiesOptions {
  directory: string;
  maxBytes: number;
  /** Writes the bytes of `sha256` to `target` (a fresh file). */
  fetch(sha256: string, target: string): Promise<void>;
}

export interface LocalCopies {
  use<T>(sha256: string, use: (filePath: string) => Promise<T>): Promise<T>;
  evict(sha256: string): Promise<void>;
}

interface Copy {
  size: number;
  usedAt: number;
  users: number;
}

export function createLocalCopies(options: LocalCopiesOptions): LocalCopies {
  // A previous run's copies may be stale (their blob deleted elsewhere): start empty.
  fs.rmSync(options.directory, { recursive: true, force: true });
  fs.mkdirSync(options.directory, { recursive: true });
  const copies = new Map<string, Copy>();
  const fetching = new Map<string, Promise<void>>();
  const pathFor = (sha256: string) => path.join(options.directory, sha256);

  async function fetchOnce(sha256: string): Promise<void> {
    if (copies.has(sha256)) return;
    let pending = fetching.get(sha256);
    if (!pending) {
      pending = (async () => {
        const partial = `${pathFor(sha256)}.${randomBytes(4).toString('hex')}.part`;
        try {
          await options.fetch(sha256, partial);
          const { size } = await fsp.stat(partial);
          await fsp.rename(partial, pathFor(sha256));
          copies.set(sha256, { size, usedAt: Date.now(), users: 0 });
        } catch (error) {
          await fsp.rm(partial, { force: true });
          throw error;
        } finally {
          fetching.delete(sha256);
        }
      })();
      fetching.set(sha256, pending);
    }
    await pending;
  }

  async function trim(): Promise<void> {
    let total = [...copies.values()].reduce((sum, copy) => sum + copy.size, 0);
    if (total <= options.maxBytes) return;
    const idle = [...copies.entries()].filter(([, copy]) => copy.users === 0).sort((a, b) => a[1].usedAt - b[1].usedAt);
    for (const [sha256, copy] of idle) {
      if (total <= options.maxBytes) break;
      copies.delete(sha256);
      total -= copy.size;
      await fsp.rm(pathFor(sha256), { force: true });
    }
  }

  return {
    async use(sha256, use) {
      let copy = copies.get(sha256);
      // A copy fetched for this call may be evicted by another call's trim before this one takes it: fetch again then.
      while (!copy) {
        await fetchOnce(sha256);
        copy = copies.get(sha256);
      }
      copy.users += 1;
      copy.usedAt = Date.now();
      try {
        return await use(pathFor(sha256));
      } finally {
        copy.users -= 1;
        await trim();
      }
    },

    async evict(sha256) {
      const copy = copies.get(sha256);
      if (!copy || copy.users > 0) return;
      copies.delete(sha256);
      await fsp.rm(pathFor(sha256), { force: true });
    },
  };
}
