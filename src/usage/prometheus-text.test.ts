import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMetrics, LocalHistogram } from './prometheus-text.js';

describe('prometheus text', () => {
  it('writes help, type and escaped labels', () => {
    const text = formatMetrics([
      {
        name: 'docsort_runs',
        help: 'Runs by status',
        type: 'gauge',
        samples: [
          { labels: { status: 'PROCESSED' }, value: 3 },
          { labels: { status: 'a"b\\c' }, value: 0 },
        ],
      },
    ]);
    assert.equal(
      text,
      '# HELP docsort_runs Runs by status\n# TYPE docsort_runs gauge\ndocsort_runs{status="PROCESSED"} 3\ndocsort_runs{status="a\\"b\\\\c"} 0\n',
    );
  });

  it('writes cumulative histogram buckets with +Inf, sum and count', () => {
    const histogram = new LocalHistogram([0.1, 1]);
    histogram.observe({ route: '/x' }, 0.05);
    histogram.observe({ route: '/x' }, 0.5);
    histogram.observe({ route: '/x' }, 5);
    const text = formatMetrics([{ name: 'h_seconds', help: 'h', type: 'histogram', samples: histogram.samples() }]);
    assert.match(text, /h_seconds_bucket\{route="\/x",le="0.1"\} 1\n/);
    assert.match(text, /h_seconds_bucket\{route="\/x",le="1"\} 2\n/);
    assert.match(text, /h_seconds_bucket\{route="\/x",le="\+Inf"\} 3\n/);
    assert.match(text, /h_seconds_sum\{route="\/x"\} 5.55\n/);
    assert.match(text, /h_seconds_count\{route="\/x"\} 3\n/);
  });
});
