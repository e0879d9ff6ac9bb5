/** Bytes in a local folder (`DATA_DIR/blobs/ab/abcd…`): the embedded default, one machine or a shared file system. */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { BlobBackend } from '../blob-store.js';

export function createLocalBlobBackend(directory: string): BlobBackend {
  fs.mkdirSync(directory, { recursive: true });
  const pathFor = (sha256: string): string => path.join(directory, sha256.slice(0, 2), sha256);
  return {
    description: `local ${directory}`,
    localPath: pathFor,

    async put(sha256, _size, filePath) {
      const target = pathFor(sha256);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      try {
        await fsp.rename(filePath, target);
      } catch (error) {
        // The scratch folder may sit on another file system than the blobs (a mounted volume).
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
        await fsp.copyFile(filePath, `${target}.part`);
        await fsp.rename(`${target}.part`, target);
      }
    },

    async has(sha256) {
      return fs.existsSync(pathFor(sha256));
    },

    async openRead(sha256) {
      try {
        const handle = await fsp.open(pathFor(sha256));
        return handle.createReadStream();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },

    async remove(sha256) {
      await fsp.rm(pathFor(sha256), { force: true });
    },
  };
}
