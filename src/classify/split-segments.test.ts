import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PageScores } from './engine.js';
import { splitPageRuns } from './split-segments.js';
import { buildPages } from '../../test/helpers/build-test-pages.js';

function scoresFor(labels: string[]): PageScores[] {
  return labels.map((label, page) => ({
    page,
    probabilities: {
      statement: label === 'statement' ? 0.9 : 0.05,
      stub: label === 'stub' ? 0.9 : 0.05,
      unknown: label === 'unknown' ? 0.9 : 0.05,
    },
    evidence: {},
    opening: 0,
    informativeness: 1,
  }));
}

describe('splitPageRuns', () => {
  it('starts a new document where the page counter restarts, also within one class', () => {
    // The later pages say at the top that the transactions go on, with rows below, as a real
    // statement does (a "continued" in a page's last lines says the next page belongs to it).
    const later = (counter: string) => ({
      lines: [
        'Example Bank',
        'Transactions (continued)',
        '03/02 Card payment 12.00',
        '03/04 Transfer 100.00',
        '03/09 Salary 2,000.00',
        counter,
      ],
    });
    const pages = buildPages([
      { lines: ['Example Bank', 'Account statement', 'Page 1 of 2'] },
      later('Page 2 of 2'),
      { lines: ['Example Bank', 'Account statement', 'Page 1 of 3'] },
      later('Page 2 of 3'),
      later('Page 3 of 3'),
    ]);
    const runs = splitPageRuns(pages, scoresFor(['statement', 'statement', 'statement', 'statement', 'statement']));
    assert.deepEqual(
      runs.map((run) => [run.first, run.last]),
      [
        [0, 1],
        [2, 4],
      ],
    );
  });

  it('starts a new document where the class changes', () => {
    const pages = buildPages([{ lines: ['a'] }, { lines: ['b'] }, { lines: ['c'] }]);
    const runs = splitPageRuns(pages, scoresFor(['statement', 'stub', 'stub']));
    assert.deepEqual(
      runs.map((run) => [run.first, run.last]),
      [
        [0, 0],
        [1, 2],
      ],
    );
  });

  it('starts a new document where pages turn confidently unknown, a document the classes do not cover', () => {
    const pages = buildPages([{ lines: ['a'] }, { lines: ['b'] }, { lines: ['c'] }, { lines: ['d'] }]);
    const runs = splitPageRuns(pages, scoresFor(['stub', 'stub', 'unknown', 'unknown']));
    assert.deepEqual(
      runs.map((run) => [run.first, run.last]),
      [
        [0, 1],
        [2, 3],
      ],
    );
  });

  it('keeps pages together when their account number and running header continue', () => {
    const pages = buildPages([
      { lines: ['Example Bank statement', 'Account number 12345678', 'opening balance'] },
      { lines: ['Example Bank statement', 'Account number 12345678', 'closing balance'] },
    ]);
    const runs = splitPageRuns(pages, scoresFor(['statement', 'statement']));
    assert.equal(runs.length, 1);
  });

  it('separates two documents of one class by their different account numbers', () => {
    const pages = buildPages([{ lines: ['Statement', 'Account number 12345678'] }, { lines: ['Statement', 'Account number 99887766'] }]);
    const scores = scoresFor(['statement', 'statement']);
    scores[1].opening = 1;
    const runs = splitPageRuns(pages, scores);
    assert.equal(runs.length, 2);
  });
});

describe('splitPageRuns, cues of a first page', () => {
  it('splits two one-page documents of one class from one template when each closes with a total and the next opens with a title', () => {
    const stub = (period: string) => ({
      lines: ['Pay statement', `Pay period ${period}`, 'Gross pay 3,000.00', 'Deductions 600.00', 'Net pay 2,400.00'],
    });
    const pages = buildPages([stub('1 May – 31 May'), stub('1 June – 30 June')]);
    const scores = scoresFor(['stub', 'stub']);
    scores[0].opening = 1;
    scores[1].opening = 1;
    const runs = splitPageRuns(pages, scores);
    assert.deepEqual(
      runs.map((run) => [run.first, run.last]),
      [
        [0, 0],
        [1, 1],
      ],
    );
    assert.ok(
      runs[1].cues.some((cue) => /closes/.test(cue)),
      runs[1].cues.join('; '),
    );
  });

  it('keeps a page that continues the document after a page with a total', () => {
    const pages = buildPages([
      { lines: ['Pay statement', 'Gross pay 3,000.00', 'Net pay 2,400.00'] },
      { lines: ['Notes on your pay statement', 'Your pension contribution is shown above.'] },
    ]);
    const scores = scoresFor(['stub', 'stub']);
    scores[0].opening = 1;
    assert.equal(splitPageRuns(pages, scores).length, 1);
  });

  it('starts a new document where the page size changes, and says so', () => {
    const pages = buildPages([{ lines: ['Statement', 'opening balance'] }, { lines: ['Transactions', 'closing balance'] }]);
    assert.equal(splitPageRuns(pages, scoresFor(['statement', 'statement'])).length, 1);
    pages[1] = { ...pages[1], width: 595, height: 842 };
    const runs = splitPageRuns(pages, scoresFor(['statement', 'statement']));
    assert.deepEqual(
      runs.map((run) => [run.first, run.last]),
      [
        [0, 0],
        [1, 1],
      ],
    );
    assert.ok(runs[1].cues.includes('the page size changes'));
  });

  it('does not take a landscape page for another document', () => {
    const pages = buildPages([{ lines: ['Report', 'text'] }, { lines: ['Table 3', 'figures'], landscape: true }]);
    assert.equal(splitPageRuns(pages, scoresFor(['statement', 'statement'])).length, 1);
  });

  it('compares a page with the document so far, so a blank page in between is no class change', () => {
    const pages = buildPages([{ lines: ['Statement', 'a'] }, { lines: [] }, { lines: ['Statement', 'b'] }]);
    const scores = scoresFor(['statement', 'unknown', 'statement']);
    scores[1].informativeness = 0;
    const runs = splitPageRuns(pages, scores);
    assert.equal(runs.length, 1);
    assert.equal(runs[0].starts.length, 3);
  });
});
