import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { createProgressReporter, estimateRemainingMs, formatDuration, formatProgressBar } from './progress.js';

function capture(isTTY: boolean) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number; text: () => string };
  let written = '';
  stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
  stream.isTTY = isTTY;
  stream.columns = 100;
  stream.text = () => written;
  return stream;
}

describe('progress over many files', () => {
  it('estimates the time left from the pace so far', () => {
    assert.equal(estimateRemainingMs({ done: 0, total: 10, elapsedMs: 5000 }), null);
    assert.equal(estimateRemainingMs({ done: 2, total: 10, elapsedMs: 5000 }), 20_000);
    assert.equal(formatDuration(65_000), '1m05s');
    assert.equal(formatDuration(3_720_000), '1h02m');
    assert.equal(formatProgressBar({ done: 1, total: 4, elapsedMs: 1000 }, 8), '[##......] 1/4 25% ETA 3s');
  });

  it('draws a bar in place on a terminal and keeps result lines whole on stdout', () => {
    const out = capture(false);
    const err = capture(true);
    let clock = 0;
    const progress = createProgressReporter(2, { out, err }, () => clock);
    clock = 10_000;
    progress.printResult('a.pdf  invoice');
    progress.advance();
    progress.finish();
    assert.equal(out.text(), 'a.pdf  invoice\n');
    assert.match(err.text(), /\r\x1b\[2K/);
    assert.match(err.text(), /1\/2 50% ETA 10s/);
    assert.match(err.text(), /\] 1\/2 50% ETA 10s\n$/);
  });

  it('writes plain progress lines when stderr is not a terminal', () => {
    const out = capture(false);
    const err = capture(false);
    let clock = 0;
    const progress = createProgressReporter(2, { out, err }, () => clock);
    clock = 3000;
    progress.advance();
    clock = 6000;
    progress.advance();
    progress.finish();
    assert.equal(err.text(), 'progress: 1/2 files, ETA 3s\nprogress: 2/2 files, done in 6s\n');
    assert.doesNotMatch(err.text(), /\r|\x1b/);
  });
});
