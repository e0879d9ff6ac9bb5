import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClassifierDefinition } from '../core/classifier.js';
import { AppError } from '../core/errors.js';
import { classifyPagesSync } from './classify-pages.js';
import { createClassifier } from './in-process-classifier.js';
import { buildPage, buildPages, type PageSpec } from '../../test/helpers/build-test-pages.js';

const CLASSIFIER: ClassifierDefinition = {
  classes: [
    { name: 'invoice', description: 'A bill from a seller asking a customer to pay' },
    { name: 'resume', description: "A CV describing a person's education and work experience" },
    { name: 'memo', description: 'An internal memorandum with To, From, Date and Subject lines' },
  ],
};

const INVOICE = {
  lines: [
    'INVOICE',
    'Invoice number: 2031',
    'Invoice date: 3 March',
    'Bill to:',
    'Customer Street 1',
    'Description  Qty  Unit price  Amount',
    'Consulting services  10  120.00  1,200.00',
    'Subtotal 1,200.00',
    'VAT 20% 240.00',
    'Amount due 1,440.00',
    'Due date: 2 April',
    'Payment terms: 30 days',
  ],
};
const RESUME = {
  lines: [
    'Jane Example',
    'jane@example.org | +1 555 0100',
    'EXPERIENCE',
    'Software Engineer, Some Company, 2019 – present',
    '• Developed services',
    '• Led a team',
    'EDUCATION',
    'B.S. Computer Science, Some University',
    'SKILLS',
    'TypeScript, SQL, Go',
    'LANGUAGES',
    'English, German',
  ],
};
const MEMO = {
  lines: [
    'MEMORANDUM',
    'TO: All staff',
    'FROM: Facilities',
    'DATE: May 3',
    'SUBJECT: Parking',
    'The car park will be closed on Friday for resurfacing.',
    'Please use the side entrance.',
  ],
};

describe('classifyPagesSync', () => {
  it('labels an invoice page with a reason naming the evidence', () => {
    const output = classifyPagesSync(buildPages([INVOICE]), { classifier: CLASSIFIER });
    assert.equal(output.classification.class, 'invoice');
    assert.match(output.classification.reason, /Title 'INVOICE'/);
    assert.match(output.classification.reason, /amount due|bill to|invoice number/);
    assert.equal(output.classification.suggested_class, null);
  });

  it('returns confidence scores for every class and unknown that sum to 1', () => {
    const output = classifyPagesSync(buildPages([RESUME]), { classifier: CLASSIFIER });
    assert.equal(output.classification.class, 'resume');
    assert.deepEqual(Object.keys(output.confidence_scores).sort(), ['invoice', 'memo', 'resume', 'unknown']);
    const total = Object.values(output.confidence_scores).reduce((sum, value) => sum + value, 0);
    assert.ok(Math.abs(total - 1) < 1e-3);
  });

  it('reads a memo from its To/From/Subject block', () => {
    const output = classifyPagesSync(buildPages([MEMO]), { classifier: CLASSIFIER });
    assert.equal(output.classification.class, 'memo');
  });

  it('returns unknown with a suggested class below the threshold', () => {
    const output = classifyPagesSync(buildPages([INVOICE]), { classifier: { ...CLASSIFIER, settings: { threshold: 1 } } });
    assert.equal(output.classification.class, 'unknown');
    assert.equal(output.classification.suggested_class, 'invoice');
    assert.match(output.classification.reason, /closest is 'invoice'/);
  });

  it('answers unknown for a page that fits no class', () => {
    const page = { lines: ['Tuesday', 'weather sunny', 'river walk with the dog'] };
    const output = classifyPagesSync(buildPages([page]), { classifier: CLASSIFIER });
    assert.equal(output.classification.class, 'unknown');
  });

  it('sends what fits nothing to a catch-all class named "other"', () => {
    const classifier: ClassifierDefinition = { classes: [...CLASSIFIER.classes, { name: 'other' }] };
    const output = classifyPagesSync(buildPages([{ lines: ['Tuesday', 'weather sunny', 'river walk with the dog'] }]), { classifier });
    assert.equal(output.classification.class, 'other');
    assert.equal(output.confidence_scores.unknown, 0);
  });

  it('works for a class the knowledge pack does not know, from its own words', () => {
    const classifier: ClassifierDefinition = {
      classes: [
        ...CLASSIFIER.classes,
        {
          name: 'recipe',
          description: 'Cooking instructions with ingredients',
          keywords: ['ingredients', 'preheat the oven', 'tablespoon'],
        },
      ],
    };
    const page = {
      lines: ['Lemon cake', 'Ingredients', '2 tablespoon sugar', '3 eggs', 'Preheat the oven to 180 degrees', 'Mix and bake 40 minutes'],
    };
    const output = classifyPagesSync(buildPages([page]), { classifier });
    assert.equal(output.classification.class, 'recipe');
  });

  it('works for an unknown class described only in words, from its described parts', () => {
    const classifier: ClassifierDefinition = {
      classes: [...CLASSIFIER.classes, { name: 'recipe', description: 'Cooking instructions listing ingredients and preparation steps' }],
    };
    const page = {
      lines: [
        "Grandma's apple pie",
        'Serves 6',
        'Ingredients',
        '3 apples',
        '200 g flour',
        '100 g butter',
        'Preparation',
        '1. Preheat the oven',
        '2. Mix flour and butter',
        '3. Bake for 40 minutes',
      ],
    };
    assert.equal(classifyPagesSync(buildPages([page]), { classifier }).classification.class, 'recipe');
  });

  it('labels each page in page mode and splits a bundle in split mode', () => {
    const pages = buildPages([INVOICE, RESUME, RESUME, MEMO]);
    const byPage = classifyPagesSync(pages, { classifier: { ...CLASSIFIER, settings: { mode: 'page' } } });
    assert.deepEqual(
      byPage.pages.map((page) => page.class),
      ['invoice', 'resume', 'resume', 'memo'],
    );
    const split = classifyPagesSync(pages, { classifier: { ...CLASSIFIER, settings: { mode: 'split' } } });
    assert.deepEqual(
      split.segments.map((segment) => [segment.class, segment.first_page, segment.last_page]),
      [
        ['invoice', 0, 0],
        ['resume', 1, 2],
        ['memo', 3, 3],
      ],
    );
  });

  it('gives a short, differently titled document after a long one its own segment and label', () => {
    const resumePages: PageSpec[] = [
      RESUME,
      {
        lines: [
          'PROJECTS',
          'Built a search service for product data',
          'Migrated billing to a new platform',
          'Mentored three junior engineers',
        ],
        sizes: [14],
      },
      {
        lines: ['PUBLICATIONS', 'Fast joins on small machines, 2021', 'Notes on schema changes, 2020', 'References available on request'],
        sizes: [14],
      },
    ];
    // A notice with a title of its own (no known type's title) and a memo's header lines.
    const notice: PageSpec = {
      lines: [
        'Parking notice',
        'To: All staff',
        'From: Facilities',
        'Date: May 3',
        'Subject: Car park closed',
        'The car park will be closed on Friday.',
      ],
    };
    const pages = buildPages([...resumePages, notice]);
    const split = classifyPagesSync(pages, { classifier: { ...CLASSIFIER, settings: { mode: 'split' } } });
    const byPage = classifyPagesSync(pages, { classifier: { ...CLASSIFIER, settings: { mode: 'page' } } });
    assert.deepEqual(
      split.segments.map((segment) => [segment.first_page, segment.last_page]),
      [
        [0, 2],
        [3, 3],
      ],
    );
    assert.equal(split.segments[0].class, 'resume');
    assert.notEqual(split.pages[3].class, 'resume');
    assert.equal(split.pages[3].class, byPage.pages[3].class, 'the notice keeps the label of its own reading');
    assert.match(
      split.segments[1].reason,
      /A new document starts at page 3: .*(the class changes|the page reads differently from the document so far)/,
    );
  });

  it('splits two one-page documents of one class back to back when each opens with its title', () => {
    const invoice = (customer: string, amount: string): PageSpec => ({
      lines: [
        'INVOICE',
        'Bill to:',
        customer,
        'Description  Qty  Amount',
        `Consulting services  1  ${amount}`,
        'Payment terms: 30 days',
        `Amount due ${amount}`,
      ],
    });
    const pages = buildPages([invoice('Customer One Ltd', '1,200.00'), invoice('Customer Two plc', '980.00')]);
    const split = classifyPagesSync(pages, { classifier: { ...CLASSIFIER, settings: { mode: 'split' } } });
    assert.deepEqual(
      split.segments.map((segment) => [segment.class, segment.first_page, segment.last_page]),
      [
        ['invoice', 0, 0],
        ['invoice', 1, 1],
      ],
    );
  });

  it('gives every page in split mode the confidence of its own confidence scores, and every segment a reason', () => {
    const pages = buildPages([
      INVOICE,
      RESUME,
      { lines: ['Tuesday', 'weather sunny', 'river walk with the dog'] },
      MEMO,
      { lines: ['The car park reopens on Monday.'] },
    ]);
    const split = classifyPagesSync(pages, { classifier: { ...CLASSIFIER, settings: { mode: 'split' } } });
    for (const page of split.pages) {
      assert.ok(page.confidence_scores, `page ${page.page} has confidence scores`);
      assert.equal(page.confidence, page.confidence_scores![page.class], `page ${page.page}: ${page.class} ${page.confidence}`);
      assert.ok(page.reason.length > 0);
    }
    for (const segment of split.segments)
      assert.ok(segment.reason.length > 0, `segment ${segment.first_page}–${segment.last_page} has a reason`);
    const document = classifyPagesSync(pages, { classifier: CLASSIFIER });
    assert.ok(document.segments[0].reason.length > 0);
  });

  it('says so in a page reason when its segment outweighs the page own reading, and lowers its confidence', () => {
    const pages = buildPages([
      {
        lines: [
          'MEMORANDUM',
          'TO: All staff',
          'FROM: Facilities',
          'DATE: May 3',
          'SUBJECT: Parking',
          'The car park will be closed on Friday.',
          'Page 1 of 2',
        ],
      },
      { lines: ['Please use the side entrance.', 'Invoices for parking permits are refunded.', 'Questions to facilities.', 'Page 2 of 2'] },
    ]);
    const split = classifyPagesSync(pages, { classifier: { ...CLASSIFIER, settings: { mode: 'split' } } });
    assert.equal(split.segments.length, 1);
    assert.match(split.segments[0].reason, /^Pages 0–1 read as one document, 'memo'/);
    assert.match(split.pages[1].reason, /Part of the pages 0–1 document read as 'memo'/);
    assert.ok(split.pages[1].confidence <= split.pages[0].confidence);
  });

  it('reads only the pages the settings select', () => {
    const pages = buildPages([INVOICE, RESUME, MEMO]);
    const output = classifyPagesSync(pages, { classifier: { ...CLASSIFIER, settings: { page_range: '2-3', max_pages: 1, mode: 'page' } } });
    assert.deepEqual(
      output.pages.map((page) => page.page),
      [1],
    );
    assert.equal(output.classification.class, 'resume');
  });

  it('learns from examples: a class with no words of its own is found after five examples', () => {
    const classifier: ClassifierDefinition = { classes: [{ name: 'alpha' }, { name: 'beta' }] };
    const alpha = (n: number) => ({ class: 'alpha', pages: [`zorblat quantum ledger ${n} frobnication widget sprocket`] });
    const beta = (n: number) => ({ class: 'beta', pages: [`meadow harvest tractor ${n} barley orchard silo`] });
    const examples = [1, 2, 3, 4, 5].flatMap((n) => [alpha(n), beta(n)]);
    const page = buildPage(0, { lines: ['frobnication widget report', 'zorblat quantum sprocket'] });
    const zeroShot = classifyPagesSync([page], { classifier });
    const taught = classifyPagesSync([page], { classifier, examples });
    assert.equal(taught.classification.class, 'alpha');
    assert.ok(taught.confidence_scores.alpha > zeroShot.confidence_scores.alpha);
    assert.match(taught.classification.reason, /close to \d+ alpha/i);
  });

  it('names the example a learned decision rests on, and how close it is', () => {
    const classifier: ClassifierDefinition = { classes: [{ name: 'alpha' }, { name: 'beta' }] };
    const alpha = (n: number) => ({
      class: 'alpha',
      pages: [`zorblat quantum ledger ${n} frobnication widget sprocket`],
      name: `alpha-${n}.pdf`,
    });
    const beta = (n: number) => ({ class: 'beta', pages: [`meadow harvest tractor ${n} barley orchard silo`] });
    const reviewed = {
      class: 'alpha',
      pages: ['gizmotron flux capacitor ledger zorblat'],
      source: 'review' as const,
      name: 'acme-0042.pdf',
      runId: 'r_123',
    };
    const examples = [...[1, 2, 3, 4].flatMap((n) => [alpha(n), beta(n)]), reviewed];
    const near = classifyPagesSync([buildPage(0, { lines: ['gizmotron flux capacitor', 'zorblat ledger'] })], { classifier, examples });
    assert.equal(near.classification.class, 'alpha');
    assert.match(near.classification.reason, /Resembles the reviewed example 'acme-0042\.pdf' \(run r_123\), \d+% alike/);
    // An example without a name is known by its place among its class's examples.
    const unnamed = classifyPagesSync([buildPage(0, { lines: ['meadow barley orchard', 'silo tractor harvest'] })], {
      classifier,
      examples,
    });
    assert.equal(unnamed.classification.class, 'beta');
    assert.match(unnamed.classification.reason, /Resembles example [1-4] of 'beta', \d+% alike/);
    assert.doesNotMatch(unnamed.classification.reason, /^Weak evidence|^Close to/);
  });

  it('learns classes it cannot read from examples that are only loosely alike, as scans of one kind are', () => {
    const classifier: ClassifierDefinition = { classes: [{ name: 'alpha' }, { name: 'beta' }, { name: 'gamma' }] };
    // Each example shares one or two words with the others of its class among many of its own,
    // and a word or two with everything (as "page" and "date" turn up on any kind of document).
    const filler = (tag: string, n: number) => Array.from({ length: 14 }, (_, i) => `${tag}${n}x${i}`).join(' ');
    const common = (n: number) => (n % 2 ? 'page' : 'date');
    const examples = [1, 2, 3, 4, 5].flatMap((n) => [
      { class: 'alpha', pages: [`shipment ${n % 2 ? 'pallet' : 'crate'} ${common(n)} ${filler('qa', n)}`] },
      { class: 'beta', pages: [`committee ${n % 2 ? 'minutes' : 'agenda'} ${common(n + 1)} ${filler('qb', n)}`] },
      { class: 'gamma', pages: [`patient ${n % 2 ? 'dosage' : 'ward'} ${common(n)} ${filler('qc', n)}`] },
    ]);
    const page = buildPage(0, { source: 'ocr', lines: ['shipment pallet', filler('new', 9)] });
    assert.equal(classifyPagesSync([page], { classifier }).classification.class, 'unknown');
    const taught = classifyPagesSync([page], { classifier, examples });
    assert.equal(taught.classification.class, 'alpha');
    // The examples decided it, so the reason names the nearest one (not "Weak evidence for 'alpha'").
    assert.match(taught.classification.reason, /^Resembles example [1-5] of 'alpha', \d+% alike/);
    // A page that shares no more with the examples than they share across classes is none of theirs.
    const letter = buildPage(0, {
      lines: [
        'Dear Ms Ortega,',
        'thank you for your letter of this date about the new chairs, page two of the order.',
        'Kind regards, Tom',
      ],
    });
    assert.equal(classifyPagesSync([letter], { classifier, examples }).classification.class, 'unknown');
  });

  it('leaves a page as zero-shot reads it when it shares no words with any example', () => {
    const examples = [1, 2, 3, 4, 5].flatMap((n) => [
      { class: 'invoice', pages: [`quelborn tarvish ${n} mippet`] },
      { class: 'resume', pages: [`zendrik palloo ${n} vostrel`] },
      { class: 'memo', pages: [`grummet okkady ${n} flimber`] },
    ]);
    // A page zero-shot is not quite sure about, where any pull of the examples would show.
    const pages = buildPages([{ lines: ['Skills', 'Invoice processing, accounts payable'] }]);
    const zeroShot = classifyPagesSync(pages, { classifier: CLASSIFIER });
    assert.ok(zeroShot.classification.confidence < 0.95);
    const taught = classifyPagesSync(pages, { classifier: CLASSIFIER, examples });
    assert.equal(taught.classification.class, 'invoice');
    for (const [label, probability] of Object.entries(zeroShot.confidence_scores)) {
      assert.ok(
        Math.abs(taught.confidence_scores[label] - probability) < 1e-6,
        `${label}: ${taught.confidence_scores[label]} vs ${probability}`,
      );
    }
  });

  it("reads a saved classifier's examples only when no model is kept for its cache key", async () => {
    const classifier: ClassifierDefinition = { classes: [{ name: 'alpha' }, { name: 'beta' }] };
    const examples = [1, 2, 3, 4, 5].flatMap((n) => [
      { class: 'alpha', pages: [`zorblat quantum ledger ${n} frobnication widget sprocket`] },
      { class: 'beta', pages: [`meadow harvest tractor ${n} barley orchard silo`] },
    ]);
    let reads = 0;
    const loadExamples = async () => {
      reads++;
      return examples;
    };
    const page = buildPage(0, { lines: ['frobnication widget report', 'zorblat quantum sprocket'] });
    const engine = createClassifier();
    const key = `test:${Math.random()}`;
    const first = await engine.classifyPages([page], { classifier, loadExamples, cacheKey: key });
    const second = await engine.classifyPages([page], { classifier, loadExamples, cacheKey: key });
    assert.equal(reads, 1);
    assert.equal(first.classification.class, 'alpha');
    assert.deepEqual(second.confidence_scores, first.confidence_scores);
    await engine.classifyPages([page], { classifier, loadExamples, cacheKey: `${key}:next` });
    assert.equal(reads, 2);
    // A classifier without examples is not asked again either.
    let emptyReads = 0;
    const loadNone = async () => {
      emptyReads++;
      return [];
    };
    for (let i = 0; i < 3; i++) await engine.classifyPages([page], { classifier, loadExamples: loadNone, cacheKey: `${key}:empty` });
    assert.equal(emptyReads, 1);
  });

  it('makes a correction stick: the same document classified again after one review gets the reviewed class, and says why', () => {
    const pages = buildPages([
      INVOICE,
      { lines: ['Page 2', 'Terms: payment within 30 days of the invoice date.', 'Late payments incur 2% interest per month.'] },
    ]);
    assert.equal(classifyPagesSync(pages, { classifier: CLASSIFIER }).classification.class, 'invoice');
    const review = [
      { class: 'memo', pages: pages.map((page) => page.text), source: 'review' as const, name: 'acme-0042.pdf', runId: 'r_123' },
    ];
    const again = classifyPagesSync(pages, { classifier: CLASSIFIER, examples: review });
    assert.equal(again.classification.class, 'memo');
    assert.ok(again.pages.every((page) => page.class === 'memo'));
    assert.match(again.classification.reason, /^Repeats a reviewed memo \('acme-0042\.pdf', run r_123; \d+% of its wording\)/);
    // A different invoice is not taken for the reviewed document.
    const other = buildPages([
      {
        lines: [
          'INVOICE',
          'Invoice number: 7781',
          'Bill to: Harbour Cafe',
          'Coffee beans 20 kg  310.00',
          'Amount due 310.00',
          'Due date: 1 June',
        ],
      },
    ]);
    assert.equal(classifyPagesSync(other, { classifier: CLASSIFIER, examples: review }).classification.class, 'invoice');
  });

  it("takes neither a page that merely contains a reviewed document nor a bundle's other documents for a repeat", () => {
    const review = [{ class: 'memo', pages: [INVOICE.lines.join('\n')], source: 'review' as const }];
    const containing = buildPages([{ lines: [...MEMO.lines, ...INVOICE.lines] }]);
    assert.doesNotMatch(classifyPagesSync(containing, { classifier: CLASSIFIER, examples: review }).classification.reason, /Repeats/);
    const example = [{ class: 'invoice', pages: [INVOICE.lines.join('\n')], source: 'example' as const }];
    const bundle = buildPages([MEMO, INVOICE, RESUME]);
    const split = classifyPagesSync(bundle, { classifier: { ...CLASSIFIER, settings: { mode: 'split' } }, examples: example });
    assert.deepEqual(
      split.pages.map((page) => page.class),
      ['memo', 'invoice', 'resume'],
    );
    assert.match(split.pages[1].reason, /^Repeats an example of 'invoice'/);
  });

  it('explains a document that repeats an example of the catch-all class by that example', () => {
    const classifier: ClassifierDefinition = { classes: [...CLASSIFIER.classes, { name: 'other', description: 'Anything else' }] };
    const pages = buildPages([INVOICE]);
    const review = [{ class: 'other', pages: pages.map((page) => page.text), source: 'review' as const }];
    const output = classifyPagesSync(pages, { classifier, examples: review });
    assert.equal(output.classification.class, 'other');
    assert.match(output.classification.reason, /^Repeats a reviewed other/);
  });

  it('keeps probabilities when examples of classes it cannot read share nothing with each other or the page', () => {
    const classifier: ClassifierDefinition = { classes: [{ name: 'alpha' }, { name: 'beta' }] };
    const examples = [
      { class: 'alpha', pages: ['qqa'] },
      { class: 'alpha', pages: ['qqb'] },
      { class: 'beta', pages: ['qqc'] },
      { class: 'beta', pages: ['qqd'] },
    ];
    const output = classifyPagesSync(buildPages([{ lines: ['zzz'] }]), { classifier, examples });
    const values = Object.values(output.confidence_scores);
    assert.ok(
      values.every((value) => Number.isFinite(value)),
      JSON.stringify(output.confidence_scores),
    );
    assert.ok(Math.abs(values.reduce((sum, value) => sum + value, 0) - 1) < 1e-3);
  });

  it('rejects a classifier without classes with invalid_configuration', async () => {
    await assert.rejects(
      createClassifier().classifyPages([], { classifier: { classes: [] } }),
      (error: unknown) => error instanceof AppError && error.code === 'invalid_configuration',
    );
    assert.throws(
      () => classifyPagesSync([], { classifier: { classes: [{ name: 'a' }, { name: 'a' }] } }),
      (error: unknown) => error instanceof AppError && error.code === 'invalid_configuration',
    );
  });

  it('reads a type named in a subject line as the topic, not the title: a memo about a status report stays a memo', () => {
    const classifier: ClassifierDefinition = {
      classes: [
        ...CLASSIFIER.classes,
        { name: 'report', description: 'A business, government or technical report, such as an annual report or assessment' },
      ],
    };
    const memo = {
      lines: [
        'Co MEMORANDUM op',
        'November 14, 1972',
        'To: J. Smith',
        'From: F. Brown',
        'Re: Market Research Semi-Monthly Status Report',
        "Attached is the Market Research Department's Status Report on Marketing Research for November 15,",
        'issued at the beginning and the middle of each month.',
      ],
    };
    const output = classifyPagesSync(buildPages([memo]), { classifier });
    assert.equal(output.classification.class, 'memo');
    assert.doesNotMatch(output.classification.reason, /Title 'STATUS REPORT'/);
  });

  it('calls a page handwritten on evidence from its image, not because OCR read little of it', () => {
    const classifier: ClassifierDefinition = {
      classes: [
        { name: 'handwritten', description: 'A page written mostly by hand, such as a handwritten note' },
        { name: 'receipt', description: 'A till receipt from a shop or restaurant' },
        { name: 'letter', description: 'A letter from a person or company to a recipient' },
      ],
    };
    // What OCR makes of a faint photo: a few words among fragments, read with low confidence.
    const page = buildPage(0, {
      lines: ['Tne rnorning was', 'vvith sorne 1ll eh', 'the shop aud ~ 12', 'we wiil go'],
      source: 'ocr',
      ocrConfidence: 0.38,
    });
    const printed = classifyPagesSync([{ ...page, handwriting: 0.05 }], { classifier });
    assert.notEqual(printed.classification.class, 'handwritten');
    const top = Object.entries(printed.confidence_scores).sort((a, b) => b[1] - a[1])[0][0];
    assert.equal(top, 'unknown');
    const written = classifyPagesSync([{ ...page, handwriting: 0.9 }], { classifier });
    assert.equal(written.classification.class, 'handwritten');
    assert.ok(written.confidence_scores.handwritten > printed.confidence_scores.handwritten + 0.3);
  });

  it('returns unknown for a file with no pages in range', () => {
    const output = classifyPagesSync([], { classifier: CLASSIFIER });
    assert.equal(output.classification.class, 'unknown');
    assert.deepEqual(output.pages, []);
  });
});

/** Class descriptions as a user writes them (those of ../shared/corpus/classifier.json). */
const DESCRIPTIONS: Record<string, string> = {
  advertisement: 'An advert or promotional flyer for a product or event',
  bank_statement: 'A periodic statement of a bank or card account with balances and transactions',
  insurance: 'An insurance policy, application, claim or insurance card',
  pay_stub: "An employee's earnings statement for one pay period with gross pay, deductions and net pay",
  purchase_order: "A buyer's order to a supplier for goods at agreed prices",
  resume: "A CV or résumé describing a person's education and work experience",
  tax_form: 'A government tax form or return, such as a W-2, 1099, W-9 or 1040',
  email: 'A printed e-mail message with sender, recipients and subject',
  contract: 'A legal agreement between parties, such as an NDA, licence or service agreement',
  form: 'A form with fields and boxes to be filled in, such as an application or registration',
  invoice: 'A bill from a seller asking a customer to pay for goods or services delivered',
  letter: 'Correspondence addressed to a person or organisation, with salutation and signature',
  news_article: 'A newspaper or magazine article or a press release',
  questionnaire: 'A survey asking a respondent questions with answer choices',
  receipt: 'Proof of a payment already made at a shop, restaurant or till',
  report: 'A business, government or technical report, such as an annual report or assessment',
  scientific_paper: 'A published research article with abstract, methods and references',
  specification: 'A technical or product specification listing properties, standards and requirements',
  utility_bill: 'A bill for electricity, gas, water, internet or phone service',
};

/** Each positive case fails without the knowledge it names (checked when it was added); the last ones guard against that knowledge misfiring. */
const PACK_CASES: { knowledge: string; classes: string[]; expected: string; reason?: RegExp; page: PageSpec }[] = [
  {
    knowledge: "a survey's write-up (purpose, method, sample, findings) is a report, not the questionnaire its title names",
    classes: ['report', 'questionnaire', 'scientific_paper', 'specification'],
    expected: 'report',
    reason: /conducted among|respondents|focus groups/,
    page: {
      source: 'ocr',
      lines: [
        'Bike Share Rider Survey',
        'Wave 3, autumn',
        'PURPOSE',
        'To learn why members ride less in winter and which changes would bring them back.',
        'METHOD',
        'A telephone survey was conducted among 850 members; the sample was weighted by age and district.',
        'Focus groups were held with lapsed riders in two districts.',
        'FINDINGS',
        '41 percent of respondents ride less when it is dark; satisfaction with bike condition was significantly lower than in wave 2.',
        'CONCLUSIONS',
        'Better lighting at docks and faster repairs would do most to keep riders.',
      ],
    },
  },
  {
    knowledge: 'a laboratory article is read by how it reports experiments, without "abstract" or references on the page',
    classes: ['report', 'scientific_paper', 'news_article'],
    expected: 'scientific_paper',
    reason: /in vitro|were carried out/,
    page: {
      source: 'ocr',
      lines: [
        'Effects of Dietary Zinc on Wound Healing in Rats',
        'MARIA LOPEZ and PETER HOLM',
        'SUMMARY',
        'To examine the role of zinc in tissue repair, the following experiments were carried out. Skin wounds were',
        'made in two groups of animals and the activity of collagenase was determined in vitro after 3, 7 and 14 days.',
        'Enzyme activity in the zinc-deficient group was lower than in the control group at every point. These results',
        'suggest that zinc supports repair by sustaining protease activity in the healing tissue.',
      ],
    },
  },
  {
    knowledge: 'an old-style material safety data sheet (hazardous ingredients, physical data) is a specification, not a contract',
    classes: ['contract', 'form', 'specification'],
    expected: 'specification',
    reason: /hazardous ingredients|physical data|material safety data/,
    page: {
      source: 'ocr',
      lines: [
        'Northfield Chemical Co.',
        'MATERIAL SAFETY DATA',
        'EMERGENCY TELEPHONE 1-800-555-0199',
        'PRODUCT NAME: SODIUM ACETATE SOLUTION    EFFECTIVE DATE 04-11-88',
        'SECTION 1 - HAZARDOUS INGREDIENTS',
        'SODIUM ACETATE  CAS# 127-09-3  PEL: NONE  TLV: NONE',
        'SECTION 2 - PHYSICAL DATA',
        'BOILING POINT: 100 C   SPECIFIC GRAVITY: 1.05   VAPOR PRESSURE: N/A   SOLUBILITY IN WATER: COMPLETE',
        'APPEARANCE AND ODOR: CLEAR LIQUID, NO ODOR',
        'SECTION 3 - REACTIVITY DATA',
        'STABLE. AVOID STRONG OXIDIZERS.',
        'SECTION 4 - HEALTH HAZARD DATA',
        'EYE CONTACT: FLUSH WITH WATER FOR 15 MINUTES.',
      ],
    },
  },
  {
    knowledge: 'a French phone bill (abonné, forfaits, numéro de ligne) is a utility bill although it is headed "Facture"',
    classes: ['invoice', 'utility_bill', 'receipt'],
    expected: 'utility_bill',
    page: {
      lines: [
        'Facture n° 88213 du 3 mars 2024',
        'Nom de l’abonné : Claire Martin',
        'Numéro de ligne : 06 12 34 56 78',
        'Abonnements, forfaits et options   19,99',
        'Communications hors forfait   2,40',
        'Montant TVA   3,73',
        'Total TTC   22,39 €',
        'Date limite de paiement : 20 mars 2024',
      ],
    },
  },
  {
    knowledge: 'a calendar (months as grids under a weekday row) is no budget, whatever its month names: it fits none of these classes',
    classes: ['budget', 'advertisement', 'form'],
    expected: 'unknown',
    page: {
      lines: [
        '2025 Year Planner',
        'JANUARY',
        'Mon Tue Wed Thu Fri Sat Sun',
        '1 2 3 4 5',
        '6 7 8 9 10 11 12',
        '13 14 15 16 17 18 19',
        'FEBRUARY',
        'Mon Tue Wed Thu Fri Sat Sun',
        '1 2',
        '3 4 5 6 7 8 9',
        'Public holidays: 1 Jan, 26 Jan',
      ],
    },
  },
  {
    knowledge: 'a pay slip that says gross and net salary (not "pay") is a pay stub, not the form its field labels suggest',
    classes: ['pay_stub', 'form', 'tax_form'],
    expected: 'pay_stub',
    page: {
      lines: [
        '12 Station Road, Pune 411001',
        'Salary statement : March 2025',
        'Name',
        'Asha Rao',
        'Designation',
        'Analyst',
        'Basic Salary   18000',
        'Gross Salary   23000',
        'Total Deductions   1200',
        'Net Salary   21800',
        'Employer Signature',
      ],
    },
  },
  // The same wording on ordinary documents of other kinds must not take them over.
  {
    knowledge: 'an offer letter that names a gross salary is still a letter',
    classes: ['letter', 'pay_stub', 'contract'],
    expected: 'letter',
    page: {
      lines: [
        'Northwind Analytics Ltd',
        '4 April 2025',
        'Dear Ms Rao,',
        'We are delighted to offer you the position of Analyst, starting on 1 May 2025.',
        'Your gross salary will be 276,000 a year, paid monthly, and you will be entitled to 24 days of leave.',
        'Please sign and return the enclosed copy by 15 April.',
        'Yours sincerely,',
        'Meera Shah, Head of People',
      ],
    },
  },
  {
    knowledge: 'a memo that mentions a weekday is still a memo, not a calendar',
    classes: ['memo', 'letter', 'budget'],
    expected: 'memo',
    page: {
      lines: [
        'MEMORANDUM',
        'TO: Joe Inman',
        'FROM: Jim Wilson',
        'DATE: January 27, 1997',
        'SUBJECT: Cost management',
        'In follow-up to our discussion last Friday, I want to make sure we address complexity reduction.',
        'Please let me know by Monday whether the list is complete.',
      ],
    },
  },
  {
    knowledge: 'a letter reporting results of repairs that were carried out is still a letter',
    classes: ['letter', 'scientific_paper', 'report'],
    expected: 'letter',
    page: {
      lines: [
        'Harbour Marine Services',
        '12 Quay Street, Falmouth',
        '3 May 2024',
        'Dear Mr Penrose,',
        'We report below on the repairs that were carried out on your vessel last week.',
        'Our results from the sea trial were good: these results show the engine now runs without overheating.',
        'Please call us if you have any questions.',
        'Yours sincerely,',
        'Anna Trevail',
      ],
    },
  },
  {
    knowledge: 'a hotel invoice with a "forfait" and a magazine invoice to an "abonné" are invoices, not utility bills',
    classes: ['invoice', 'utility_bill', 'receipt'],
    expected: 'invoice',
    page: {
      lines: [
        'Hôtel du Lac',
        'Facture n° 2024-118',
        'Client : M. Dupont',
        'Forfait séjour 3 nuits   390,00',
        'Petit-déjeuner   45,00',
        'Taxe de séjour   7,50',
        'Total TTC   442,50 €',
        'Règlement à réception',
        'Éditions Lumière : abonné n° 5512, abonnement annuel au magazine 59,00',
      ],
    },
  },
  // E-mail words and addresses are contact details on every kind of document: only a header block makes an e-mail.
  {
    knowledge: 'a flyer that asks for an e-mail address ("[E-MAIL]" placeholder, "E-Mail:" field) is no e-mail',
    classes: ['advertisement', 'email', 'form', 'letter'],
    expected: 'advertisement',
    page: {
      lines: [
        'Summer Chess Evening',
        'Join us for a free evening of chess for all ages!',
        'Every Friday at 7 pm in the town library',
        'Boards and coffee provided, beginners welcome',
        'Free entry',
        'Contact:',
        '[NAME]',
        '[E-MAIL]',
        'E-Mail: chess@example.org',
        'www.example.org/chess',
      ],
    },
  },
  {
    knowledge: 'terms of service with an "E-MAIL*" field in their header and notices by e-mail are a contract, not an e-mail',
    classes: ['contract', 'email', 'form'],
    expected: 'contract',
    page: {
      lines: [
        'Terms of Service for Hosts',
        'NAME*',
        'E-MAIL*',
        'PHONE*',
        'These terms apply between the host and the platform from the day the host signs up.',
        'We send every notice by e-mail to the address the host gives us; e-mail is how we contact hosts.',
        'Either party may terminate with thirty days notice sent by e-mail.',
        'These terms shall be governed by the laws of the country where the platform is registered.',
      ],
    },
  },
  {
    knowledge: "an invoice that gives the seller's e-mail address stays an invoice",
    classes: ['invoice', 'email', 'letter', 'form'],
    expected: 'invoice',
    page: {
      lines: [
        'INVOICE',
        'Invoice number: 2031',
        'Invoice date: 3 March 2024',
        'E-mail: billing@example.com  Web: www.example.com',
        'Bill to: Some Customer Ltd',
        'Consulting services  10  120.00  1,200.00',
        'Amount due 1,200.00',
        'Questions? Send us an e-mail at billing@example.com',
      ],
    },
  },
  {
    knowledge: 'a printed e-mail is read from its From/Sent/To/Subject header',
    classes: ['email', 'letter', 'memo', 'form'],
    expected: 'email',
    page: {
      lines: [
        'From: Jane Example <jane@example.org>',
        'Sent: Tuesday, 4 June 2024 09:12',
        'To: Bob Smith <bob@example.com>',
        'Subject: Site visit next week',
        'Hi Bob,',
        'Could we move the site visit to Thursday? The crane will not be there before then.',
        'Thanks,',
        'Jane',
      ],
    },
  },
  {
    knowledge: 'a printed e-mail is read from its header in the language the mail client speaks (Von/Gesendet/An/Betreff)',
    classes: ['email', 'letter', 'memo', 'form'],
    expected: 'email',
    page: {
      lines: [
        'Von: Anna Schmidt',
        'Gesendet: Dienstag, 4. Juni 2024 09:12',
        'An: Carlos Lima',
        'Betreff: Besuch auf der Baustelle',
        'Hallo Carlos,',
        'können wir den Besuch auf Donnerstag verschieben? Der Kran kommt erst an diesem Tag.',
        'Danke,',
        'Anna',
      ],
    },
  },
  // Other languages: what any document of the kind says in that language.
  {
    knowledge: 'an Italian pay slip (busta paga: competenze, trattenute, netto in busta) is a pay stub',
    classes: ['pay_stub', 'invoice', 'bank_statement', 'tax_form'],
    expected: 'pay_stub',
    page: {
      lines: [
        'Cedolino paga',
        'Periodo di paga: marzo 2024',
        'Dipendente: Rossi Maria   Matricola 0042',
        'Retribuzione base   2.100,00',
        'Totale competenze   2.250,00',
        'Contributi previdenziali   206,55',
        'Ritenute fiscali   390,10',
        'Totale trattenute   596,65',
        'Netto in busta   1.653,35',
      ],
    },
  },
  {
    knowledge: 'a Brazilian pay slip (holerite: vencimentos, descontos, salário líquido) is a pay stub',
    classes: ['pay_stub', 'invoice', 'bank_statement', 'tax_form'],
    expected: 'pay_stub',
    page: {
      lines: [
        'Holerite',
        'Empresa Exemplo Ltda',
        'Funcionário: João Silva   Cargo: Analista',
        'Salário base   4.000,00',
        'Horas extras   250,00',
        'Total de vencimentos   4.250,00',
        'INSS   467,50',
        'IRRF   310,20',
        'Total de descontos   777,70',
        'Valor líquido   3.472,30',
      ],
    },
  },
  {
    knowledge: 'a Korean pay slip (급여명세서: 기본급, 지급액, 공제액, 실수령액) is a pay stub',
    classes: ['pay_stub', 'invoice', 'bank_statement', 'tax_form'],
    expected: 'pay_stub',
    page: {
      lines: [
        '2024년 3월 급여명세서',
        '성명 김민수   부서 영업팀',
        '기본급 3,000,000',
        '식대 200,000',
        '지급액 합계 3,200,000',
        '국민연금 135,000',
        '건강보험 106,350',
        '공제액 합계 400,000',
        '실수령액 2,800,000',
      ],
    },
  },
  {
    knowledge: 'a Russian bank statement (выписка по счету: входящий и исходящий остаток, дебет, кредит) is a bank statement',
    classes: ['bank_statement', 'invoice', 'utility_bill', 'receipt'],
    expected: 'bank_statement',
    page: {
      lines: [
        'Выписка по счету № 40817810000000001234',
        'за период с 01.03.2024 по 31.03.2024',
        'Входящий остаток: 32 104,40',
        'Дата   Описание операции   Дебет   Кредит',
        '02.03.2024   Перевод от Петрова А.   15 000,00',
        '05.03.2024   Оплата в магазине   623,00',
        '12.03.2024   Оплата коммунальных услуг   2 881,00',
        'Исходящий остаток: 43 600,40',
      ],
    },
  },
  {
    knowledge: 'a Chinese résumé is read from its sections (求职意向, 工作经验, 项目经验, 自我评价)',
    classes: ['resume', 'report', 'form', 'letter'],
    expected: 'resume',
    page: {
      lines: [
        '张伟',
        '电话：138 0000 0000   邮箱：zhangwei@example.com',
        '求职意向',
        '软件工程师',
        '工作经验',
        '2019.07 — 至今  某科技有限公司  后端开发',
        '项目经验',
        '订单系统重构，负责数据库设计与接口开发',
        '自我评价',
        '认真负责，善于沟通',
      ],
    },
  },
  {
    knowledge: 'a Russian contract (договор: стороны, предмет договора) is a contract',
    classes: ['contract', 'letter', 'report', 'form'],
    expected: 'contract',
    page: {
      lines: [
        'ДОГОВОР ОКАЗАНИЯ УСЛУГ № 15',
        'г. Москва   1 марта 2024 г.',
        'ООО «Пример», именуемое в дальнейшем «Исполнитель», и ИП Иванов, именуемый в дальнейшем «Заказчик», вместе именуемые стороны,',
        'заключили настоящий договор о нижеследующем.',
        '1. Предмет договора',
        '1.1. Исполнитель обязуется оказать услуги по уборке помещений.',
        '2. Ответственность сторон',
        '2.1. За неисполнение обязательств стороны несут ответственность в соответствии с законодательством.',
      ],
    },
  },
  {
    knowledge: 'a Czech invoice (faktura – daňový doklad: datum splatnosti, variabilní symbol, celkem k úhradě) is an invoice',
    classes: ['invoice', 'receipt', 'purchase_order', 'bank_statement'],
    expected: 'invoice',
    page: {
      lines: [
        'Faktura – daňový doklad č. 2024015',
        'Dodavatel: Příklad s.r.o.',
        'Odběratel: Novák a syn',
        'Datum vystavení: 4. 3. 2024',
        'Datum splatnosti: 18. 3. 2024',
        'Variabilní symbol: 2024015',
        'Grafické práce   12 000,00',
        'DPH 21 %   2 520,00',
        'Celkem k úhradě   14 520,00 Kč',
      ],
    },
  },
  {
    knowledge: 'an Indonesian till receipt (struk: tunai, kembalian, kasir) is a receipt',
    classes: ['receipt', 'invoice', 'bank_statement', 'form'],
    expected: 'receipt',
    page: {
      lines: [
        'TOKO SEJAHTERA',
        'Jl. Merdeka No. 10',
        'Kasir: Rina',
        'Beras 5 kg   65.000',
        'Minyak goreng   18.000',
        'Total belanja   83.000',
        'Tunai   100.000',
        'Kembalian   17.000',
        'Terima kasih atas kunjungan Anda',
      ],
    },
  },
  {
    knowledge: 'a German membership application with name, birth date and e-mail fields is a form',
    classes: ['form', 'email', 'contract', 'letter'],
    expected: 'form',
    page: {
      lines: [
        'Turnverein Beispielstadt e.V.',
        'Beitrittserklärung',
        'Vorname',
        'Nachname',
        'Geburtsdatum',
        'Straße / Hausnr.',
        'PLZ / Ort',
        'E-Mail-Adresse',
        'Telefon',
        'Mit meiner Unterschrift erkenne ich die Satzung des Vereins an.',
        'Ort / Datum',
        'Unterschrift',
      ],
    },
  },
  {
    knowledge: 'a Chinese insurance policy that calls itself 本契約 is insurance, not a contract',
    classes: ['insurance', 'contract', 'report'],
    expected: 'insurance',
    page: {
      lines: [
        '健康保險保險單條款',
        '第一條：保險契約的構成',
        '本保險單條款、要保書及其他約定書，均為本保險契約（以下簡稱本契約）的構成部分。',
        '第二條：名詞定義',
        '本契約所稱「要保人」係指本契約之被保險人。',
        '本契約所稱「保險金額」係指保險單上所記載之保險金額。',
        '第三條：保險期間',
        '本契約的保險期間，以保險單上所載日時為準。',
      ],
    },
  },
  {
    knowledge: 'a Korean letter (안녕하십니까 … 진심으로 감사드립니다 … 드림) is a letter',
    classes: ['letter', 'contract', 'news_article', 'report'],
    expected: 'letter',
    page: {
      lines: [
        '박지훈 고객님께',
        '안녕하십니까. 예시상사 고객지원팀입니다.',
        '지난달 보내주신 의견에 대해 진심으로 감사드립니다. 말씀하신 배송 지연 문제는 이번 주부터 새 물류센터를 통해 개선되었습니다.',
        '앞으로도 더 나은 서비스를 제공하기 위해 노력하겠습니다. 궁금하신 점이 있으시면 언제든지 연락 주시기 바랍니다.',
        '2024년 3월 4일',
        '예시상사 고객지원팀 드림',
      ],
    },
  },
  // The same words on documents of other kinds must not take them over.
  {
    knowledge: 'a report with numbered sections and a paragraph on liability and termination stays a report',
    classes: ['report', 'contract', 'scientific_paper'],
    expected: 'report',
    page: {
      lines: [
        'Annual Report on Municipal Water Services 2023',
        'Prepared for the City Council by the Department of Public Works',
        'EXECUTIVE SUMMARY',
        'This report reviews the performance of the water network over the fiscal year and sets out recommendations for the coming period.',
        '1. Background',
        'The network serves 42,000 households through 310 km of mains; the department manages maintenance and billing.',
        '2. Findings',
        'Leakage fell by 8 percent compared with the previous year, while repair times increased during the winter months.',
        '3. Contractual matters',
        'Under the service agreement with the maintenance contractor, the parties may terminate for breach; liability for late repairs remains with the contractor.',
        '4. Recommendations',
        'The department should renew the mains in the northern district and review the maintenance agreement before it expires.',
      ],
    },
  },
  {
    knowledge: 'a Chinese datasheet naming its communication protocol (通信协议) stays a specification',
    classes: ['specification', 'contract', 'report'],
    expected: 'specification',
    page: {
      lines: [
        'XM-52 温湿度传感器 数据手册',
        '产品规格',
        '工作电压：3.3 V – 5.5 V',
        '工作温度：-40 ℃ – 85 ℃',
        '测量精度：±0.3 ℃',
        '通信协议：I2C，地址 0x44',
        '引脚定义',
        '尺寸：2.5 × 2.5 mm',
      ],
    },
  },
  {
    knowledge: 'a German invoice that quotes the order (Bestellung) and the supplier (Lieferant) stays an invoice',
    classes: ['invoice', 'purchase_order', 'receipt'],
    expected: 'invoice',
    page: {
      lines: [
        'Rechnung',
        'Lieferant: Beispiel GmbH, Musterstraße 1, 12345 Musterstadt',
        'Rechnung Nr. 2024-311   Rechnungsdatum 04.03.2024',
        'Ihre Bestellung Nr. 8812 vom 20.02.2024',
        'Leistungszeitraum: Februar 2024',
        'Pos.  Bezeichnung  Menge  Einzelpreis  Gesamt',
        '1  Wartung Heizungsanlage  1  480,00  480,00',
        'Nettobetrag 480,00',
        'USt 19 % 91,20',
        'Zahlungsziel: 14 Tage',
      ],
    },
  },
];

describe('knowledge pack', () => {
  for (const testCase of PACK_CASES) {
    it(`knows that ${testCase.knowledge}`, () => {
      const classifier: ClassifierDefinition = { classes: testCase.classes.map((name) => ({ name, description: DESCRIPTIONS[name] })) };
      const output = classifyPagesSync(buildPages([testCase.page]), { classifier });
      assert.equal(output.classification.class, testCase.expected, output.classification.reason);
      if (testCase.reason) assert.match(output.classification.reason, testCase.reason);
    });
  }
});
