/**
 * 200 seeded mutants of corpus files through the extractor (and every fifth through the HTTP
 * API): no crash, no hang, no code outside the documented list. The 5,000-mutant figure in
 * BENCHMARKS.md comes from `node dist/eval/fuzz.js --seed 1 --count 5000`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MUTATIONS, runFuzz } from './fuzz.js';

describe('fuzzing extraction and the API', () => {
  it('survives 200 mutants without a crash, a hang or an undocumented code', async () => {
    // A short deadline keeps the run near a few minutes; a mutant that needs longer answers `timeout`, which is documented.
    const summary = await runFuzz({ seed: 20261203, count: 200, httpEvery: 5, deadlineMs: 5000 });
    assert.equal(summary.mutants, 200);
    assert.equal(summary.httpRequests, 40);
    for (const mutation of MUTATIONS) assert.ok((summary.byMutation[mutation] ?? 0) > 10, `${mutation} mutants ran`);
    assert.deepEqual(summary.findings, []);
    // Mutants must reach past the first checks sometimes, or the run proves little.
    assert.ok((summary.outcomes.ok ?? 0) > 10, JSON.stringify(summary.outcomes));
  });
});
