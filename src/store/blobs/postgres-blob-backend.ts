/**
 * Bytes in PostgreSQL: the scale-out default, so API and worker processes on any machine need
 * only `DATABASE_URL`. A blob is split into chunks of `chunkBytes` (1 MiB) and streamed in and out
 * one chunk at a time, so memory stays flat however large the file. The chunks and the `blobs`
 * row commit in one transaction (one WAL flush for the whole file, not one per chunk): a blob is
 * there exactly when its row is, and a second process storing the same bytes at once waits for
 * the first and then adds nothing (every insert ignores a conflict).
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { BlobBackend } from '../blob-store.js';

export const DEFAULT_CHUNK_BYTES = 1024 * 1024;

export function createPostgresBlobBackend(db: Kysely<Database>, chunkBytes = DEFAULT_CHUNK_BYTES): BlobBackend {
  return {
    description: 'postgres',

    async put(sha256, size, filePath) {
      await db.transaction().execute(async (trx) => {
        let index = 0;
        // highWaterMark makes every chunk but the last exactly chunkBytes long.
        for await (const chunk of fs.createReadStream(filePath, { highWaterMark: chunkBytes })) {
          await trx
            .insertInto('blob_chunks')
            .values({ sha256, idx: index, data: chunk as Buffer })
            .onConflict((oc) => oc.columns(['sha256', 'idx']).doNothing())
            .execute();
          index += 1;
        }
        await trx
          .insertInto('blobs')
          .values({ sha256, size, chunk_count: index, created_at: Date.now() })
          .onConflict((oc) => oc.column('sha256').doNothing())
          .execute();
      });
    },

    async has(sha256) {
      const row = await db.selectFrom('blobs').select('sha256').where('sha256', '=', sha256).executeTakeFirst();
      return row !== undefined;
    },

    async openRead(sha256) {
      const blob = await db.selectFrom('blobs').select('chunk_count').where('sha256', '=', sha256).executeTakeFirst();
      if (!blob) return undefined;
      let next = 0;
      return new Readable({
        // One chunk in flight: the stream asks for the next only when the reader has taken the last.
        highWaterMark: 1,
        objectMode: false,
        read() {
          if (next >= blob.chunk_count) {
            this.push(null);
            return;
          }
          const index = next++;
          db.selectFrom('blob_chunks')
            .select('data')
            .where('sha256', '=', sha256)
            .where('idx', '=', index)
            .executeTakeFirst()
            .then(
              (row) => {
                if (!row) this.destroy(new Error(`Chunk ${index} of blob ${sha256} is missing.`));
                else this.push(row.data);
              },
              (error: unknown) => this.destroy(error as Error),
            );
        },
      });
    },

    async remove(sha256) {
      // The row first: from then on the blob is absent, whatever happens to its chunks.
      await db.deleteFrom('blobs').where('sha256', '=', sha256).execute();
      await db.deleteFrom('blob_chunks').where('sha256', '=', sha256).execute();
    },
  };
}
