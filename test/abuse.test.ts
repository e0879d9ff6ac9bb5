/**
 * eval/abuse.ts against the real server on both databases: every bad request answers the status
 * and code it must, and none answers 500.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runAbuse } from '../eval/abuse.js';
import { DIALECTS } from './helpers/test-database.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

for (const dialect of DIALECTS) {
  describe(`abuse cases (${dialect})`, () => {
    let server: TestServer;
    before(async () => {
      // A small file limit, so the oversize cases send 1 MB rather than 500.
      server = await startTestServer(dialect, { MAX_FILE_MB: '1' }, { workers: 1 });
    });
    after(() => server.close());

    it('answers every bad request with its documented 4xx code, and none with a 500', async () => {
      const results = await runAbuse({ url: server.url, maxFileMb: 1 });
      const wrong = results.filter((result) => !result.ok);
      assert.ok(results.length > 50, `only ${results.length} cases ran`);
      assert.equal(results.filter((result) => result.skipped).length, 0);
      assert.deepEqual(
        wrong.map((result) => `${result.name}: expected ${result.expected}, got ${result.got}${result.note ? ` (${result.note})` : ''}`),
        [],
      );
    });
  });
}
