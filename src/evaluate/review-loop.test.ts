import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrainingExample } from '../core/classifier.js';
import type { Page } from '../core/document.js';
import { buildPage } from '../../test/helpers/build-test-pages.js';
import { replayReviews, type LoopDocument, type ReviewLoopEngine } from './review-loop.js';
import { productEngine } from './run-online.js';
import { seededOrder } from './split-manifest.js';

/**
 * A stand-in engine: zero-shot it answers the word after "looks like" on the page; its model is
 * the list of examples, and a page whose text equals an example's is answered with that class.
 */
function fakeEngine(): ReviewLoopEngine<TrainingExample[]> & { trained: TrainingExample[][] } {
  const trained: TrainingExample[][] = [];
  return {
    trained,
    classify(pages, model) {
      const text = pages[0].text;
      const match = model?.find((example) => example.pages[0] === text);
      return match ? match.class : (/looks like (\w+)/.exec(text)?.[1] ?? 'unknown');
    },
    train(examples) {
      trained.push([...examples]);
      return [...examples];
    },
    describeExample: (pages) => ({ pages: pages.map((page) => page.text), layout: [pages.length] }),
  };
}

const document = (file: string, gold: string, text: string | null): LoopDocument => ({
  file,
  gold,
  pages: text === null ? null : [buildPage(0, { lines: [text] })],
});

describe('the review loop', () => {
  it('turns a reviewed mistake into an example before the next document, and counts repeats', () => {
    const engine = fakeEngine();
    const outcome = replayReviews(
      [
        document('a.pdf', 'invoice', 'acme bill looks like letter'),
        document('b.pdf', 'invoice', 'acme bill looks like letter'), // a repeat of a.pdf: learned
        document('c.pdf', 'unknown', 'a calendar looks like invoice'),
        document('d.pdf', 'unknown', 'a recipe looks like invoice'), // same pair as c.pdf: repeated
        document('e.pdf', 'letter', 'looks like letter'),
        document('f.pdf', 'invoice', null), // unreadable: unknown, not reviewable
      ],
      engine,
    );
    assert.deepEqual(
      outcome.steps.map((step) => step.predicted),
      ['letter', 'invoice', 'invoice', 'invoice', 'letter', 'unknown'],
    );
    assert.equal(outcome.zero_shot_accuracy, 0.1667);
    assert.equal(outcome.online_accuracy, 0.3333);
    assert.equal(outcome.online_second_half_accuracy, 0.3333);
    assert.equal(outcome.zero_shot_second_half_accuracy, 0.3333);
    assert.equal(outcome.reviews, 3);
    assert.equal(outcome.repeated_mistakes, 1);
    assert.deepEqual(
      outcome.steps.filter((step) => step.repeated).map((step) => step.file),
      ['d.pdf'],
    );
    // Only the review with a class taught anything: one training, on one example shaped like the product's.
    assert.equal(outcome.examples, 1);
    assert.equal(engine.trained.length, 1);
    assert.deepEqual(engine.trained[0], [{ class: 'invoice', pages: ['acme bill looks like letter'], source: 'review', layout: [1] }]);
  });

  it('does not count a mistake as repeated when the same pair was only answered right before', () => {
    const outcome = replayReviews(
      [document('a.pdf', 'letter', 'looks like letter'), document('b.pdf', 'letter', 'looks like memo')],
      fakeEngine(),
    );
    assert.equal(outcome.repeated_mistakes, 0);
    assert.equal(outcome.reviews, 1);
  });

  it('with the real engine, answers a repeat of a reviewed document with the reviewed class', () => {
    const classifier = { classes: [{ name: 'class 01' }, { name: 'class 02' }] };
    const manifestPage = (serial: string): Page[] => [
      buildPage(0, {
        lines: [
          'Harbour Freight Consolidators AS',
          'Cargo manifest for consolidated reefer containers',
          'Container TGHU 883 bay 14 reefer plug set point minus eighteen',
          'Vessel Nordlys voyage 22W port of loading Bergen port of discharge Rotterdam',
          'Shipper Nordic Seafood Export consignee Van Dijk Koelhuizen',
          'Marks and numbers as per attached list, forty pallets frozen cod fillets',
          'Seal number 448120 checked at gate by terminal staff',
          `Manifest number ${serial}`,
        ],
      }),
    ];
    const outcome = replayReviews(
      [
        { file: 'first.pdf', gold: 'class 02', pages: manifestPage('0001') },
        { file: 'second.pdf', gold: 'class 02', pages: manifestPage('0002') },
      ],
      productEngine(classifier),
    );
    // Opaque class names: zero-shot cannot know the class, the review teaches it.
    assert.deepEqual(
      outcome.steps.map((step) => step.zero_shot),
      ['unknown', 'unknown'],
    );
    assert.equal(outcome.examples, 1);
    assert.equal(outcome.steps[1].predicted, 'class 02');
  });
});

describe('the seeded order', () => {
  const rows = Array.from({ length: 30 }, (_, i) => ({ file: `f${i}.pdf` }));

  it('is a permutation that the same seed always repeats and another seed changes', () => {
    const order = seededOrder(rows, 1).map((row) => row.file);
    assert.equal(new Set(order).size, rows.length);
    assert.deepEqual(
      seededOrder(rows, 1).map((row) => row.file),
      order,
    );
    assert.notDeepEqual(
      seededOrder(rows, 2).map((row) => row.file),
      order,
    );
    assert.notDeepEqual(
      order,
      rows.map((row) => row.file),
    );
  });
});
