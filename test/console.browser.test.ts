/**
 * The review console in a real headless Chromium against the real server (SQLite), with corpus
 * files: the whole review flow of issue 12 and the failures a person must be told about.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumInstalled, launchChromium, signIn } from './helpers/console-browser.js';
import { corpusFile } from './helpers/test-server.js';
import { api, startAuthedServer, waitUntil, type AuthedServer } from './integration-support.js';

const BUNDLE = corpusFile('bundles/dev-loan-packet.pdf');
const ENCRYPTED = corpusFile('broken/pdf/unst-password.pdf');
const NOT_A_DOCUMENT = corpusFile('README.md');

const CLASSES = [
  { name: 'bank_statement', description: 'A periodic statement of a bank account with balances and transactions' },
  { name: 'pay_stub', description: 'An earnings statement from an employer for one pay period' },
  { name: 'tax_form', description: 'A tax form such as a W-2 or 1099' },
];

// CI installs Chromium (.ci/run); elsewhere the suite says why it did not run.
const skip = !chromiumInstalled() && !process.env.CI ? 'Debian chromium is not installed (apt-get install -y chromium)' : false;

describe('review console in Chromium', { skip }, () => {
  let server: AuthedServer;
  let browser: Browser;
  let page: Page;
  let classifierId: string;
  const call = (method: string, route: string, json?: unknown) => api(server, server.adminKey, method, route, { json });

  before(async () => {
    server = await startAuthedServer('sqlite');
    // Every answer below 0.999 needs a person, so the bundle lands in the queue.
    const created = await call('POST', '/v1/classifiers', {
      name: 'Loan packets',
      classes: CLASSES,
      settings: { mode: 'split', review_below: 0.999 },
    });
    classifierId = created.body.id;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('refuses a wrong key and says why', async () => {
    await page.goto(`${server.url}/`);
    assert.match(page.url(), /\/console\/#\/queue$/);
    await page.getByLabel('API key').fill('ds_not_a_real_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'was not accepted' }).waitFor();
  });

  it('signs in and says when the queue is empty', async () => {
    await signIn(page, server.url, server.adminKey);
    await page.getByRole('heading', { name: 'Nothing needs review' }).waitFor();
  });

  it('classifies a bundle and a broken file in the playground, with per-file results', async () => {
    await page.getByRole('link', { name: 'Playground' }).click();
    await page.getByLabel('Classify with').selectOption(classifierId);
    await page.getByLabel('Files to classify').setInputFiles([BUNDLE, ENCRYPTED]);
    await page.getByText('2 of 2 finished').waitFor({ timeout: 120_000 });
    const bundleResult = page.locator('.result', { hasText: 'dev-loan-packet.pdf' });
    await bundleResult.getByText('processed').waitFor();
    await bundleResult.getByText('Needs review').waitFor();
    const brokenResult = page.locator('.result', { hasText: 'unst-password.pdf' });
    await brokenResult.getByRole('alert').waitFor();
  });

  it('says why a file that is no document is refused', async () => {
    await page.getByLabel('Files to classify').setInputFiles([NOT_A_DOCUMENT]);
    const refused = page.locator('.result', { hasText: 'README.md' });
    await refused
      .getByRole('alert')
      .filter({ hasText: /PDF|image|type/i })
      .waitFor();
  });

  it('lists both runs in the queue, and a failed run shows its reason', async () => {
    await page.getByRole('link', { name: 'Review queue' }).click();
    await page.getByRole('link', { name: 'dev-loan-packet.pdf' }).waitFor();
    await page.getByRole('link', { name: 'unst-password.pdf' }).click();
    await page.getByRole('alert').filter({ hasText: 'This run failed' }).waitFor();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /password/i);
  });

  it('changes a page class and moves a boundary, saves, and the run leaves the queue', async () => {
    await page.getByRole('link', { name: '← Queue' }).click();
    await page.getByRole('link', { name: 'dev-loan-packet.pdf' }).click();
    await page.getByRole('heading', { name: 'Documents in this file' }).waitFor();
    const runId = /#\/runs\/(clr_[A-Za-z0-9]+)/.exec(page.url())?.[1];
    assert.ok(runId, page.url());
    const before = (await call('GET', `/v1/classify_runs/${runId}`)).body;
    const firstBoundary = before.output.segments[1]?.first_page as number | undefined;
    assert.ok(firstBoundary !== undefined && firstBoundary > 1, JSON.stringify(before.output.segments));

    // Page 1 becomes a tax form.
    await page.getByRole('button', { name: /^Page 1:/ }).click();
    await page.getByLabel('Page class').selectOption('tax_form');
    // The first boundary moves one page earlier: select the page after it and press "[".
    // Wait for each step to show before the next: a key pressed before the page re-renders
    // would act on the previously selected page.
    const pageAfterBoundary = page.getByRole('button', { name: new RegExp(`^Page ${firstBoundary + 1}:`) });
    await pageAfterBoundary.click();
    await page.locator('button.thumb[aria-current="true"]', { hasText: `p${firstBoundary + 1}` }).waitFor();
    await page.keyboard.press('[');
    await page.getByRole('button', { name: `Join page ${firstBoundary} to the document before` }).waitFor();
    // The network goes away as the review is saved: the page says so and keeps the edits.
    await page.route('**/v1/classify_runs/*', (route) =>
      route.request().method() === 'PATCH' ? route.abort('connectionrefused') : route.continue(),
    );
    await page.getByRole('button', { name: 'Save', exact: false }).first().click();
    await page.getByRole('alert').filter({ hasText: 'Not saved: Cannot reach the docsort server' }).waitFor();
    await page.getByRole('button', { name: /^Page 1:/ }).click();
    assert.equal(await page.getByLabel('Page class').inputValue(), 'tax_form');
    await page.unroute('**/v1/classify_runs/*');
    await page.getByRole('button', { name: 'Save', exact: false }).first().click();
    await page.getByText('Review saved.').waitFor();

    const after = (await call('GET', `/v1/classify_runs/${runId}`)).body;
    assert.equal(after.review_status, 'reviewed');
    assert.equal(after.output.pages[0].class, 'tax_form');
    assert.equal(after.output.segments[1].first_page, firstBoundary - 1);
    await page.getByRole('link', { name: '← Queue' }).click();
    await page.getByRole('link', { name: 'unst-password.pdf' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'dev-loan-packet.pdf' }).count(), 0);
    await page.getByRole('tab', { name: /Reviewed/ }).click();
    await page.getByRole('link', { name: 'dev-loan-packet.pdf' }).waitFor();
  });

  it('brings the same document back as reviewed', async () => {
    await page.getByRole('link', { name: 'Playground' }).click();
    await page.getByLabel('Classify with').selectOption(classifierId);
    await page.getByLabel('Files to classify').setInputFiles([BUNDLE]);
    await page.locator('.result', { hasText: 'dev-loan-packet.pdf' }).getByText('Reviewed').waitFor({ timeout: 120_000 });
  });

  it('saves a classifier edit as version 2', async () => {
    await page.getByRole('link', { name: 'Classifiers' }).click();
    await page.getByRole('link', { name: /Loan packets/ }).click();
    await page.getByLabel('Review below').fill('0.9');
    await page.getByRole('button', { name: 'Save as version 2' }).click();
    await page.getByText('Saved as version 2.').waitFor();
    const classifier = (await call('GET', `/v1/classifiers/${classifierId}`)).body;
    assert.equal(classifier.version, 2);
    assert.equal(classifier.settings.review_below, 0.9);
    await page.getByText('v2', { exact: true }).first().waitFor();
  });

  it("shows the reviewed runs' accuracy in the evaluation view", async () => {
    await page.getByRole('link', { name: 'Evaluation' }).first().click();
    const expected = (await call('GET', `/v1/classifiers/${classifierId}/evaluation`)).body;
    assert.equal(expected.runs, 1);
    const shown = await page.getByTestId('accuracy').textContent();
    assert.equal(shown, `${(expected.accuracy * 100).toFixed(1)}%`);
    await page.getByRole('table', { name: /Confusion matrix/ }).waitFor();
    await page.getByRole('img', { name: /Reliability diagram/ }).waitFor();
  });

  it('offers a read-only key no review and no upload, and another workspace none of these runs', async () => {
    const reader = await server.createKey({ name: 'reader', role: 'read' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const readerPage = await context.newPage();
    await signIn(readerPage, server.url, reader.key);
    await readerPage.getByText('read · default').waitFor();
    await readerPage.getByRole('link', { name: 'unst-password.pdf' }).waitFor();
    const run = (await call('GET', `/v1/classify_runs?classifier_id=${classifierId}&review_status=reviewed`)).body.data[0];
    await readerPage.goto(`${server.url}/console/#/runs/${run.id}`);
    await readerPage.getByText('This key may only read: edits cannot be saved.').waitFor();
    assert.equal(await readerPage.getByRole('button', { name: /Save and next/ }).isDisabled(), true);
    await readerPage.getByRole('link', { name: 'Playground' }).click();
    await readerPage.getByText('may not classify files').waitFor();
    await context.close();

    const stranger = await server.createKey({ name: 'elsewhere', role: 'write', workspace: 'other-team' });
    const strangerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const strangerPage = await strangerContext.newPage();
    await signIn(strangerPage, server.url, stranger.key);
    await strangerPage.getByRole('heading', { name: 'Nothing needs review' }).waitFor();
    await strangerPage.goto(`${server.url}/console/#/runs/${run.id}`);
    await strangerPage.getByRole('alert').filter({ hasText: 'No classify run' }).waitFor();
    await strangerContext.close();
  });

  it('tells a person the server cannot be reached instead of going blank', async () => {
    await page.getByRole('link', { name: 'Review queue' }).click();
    await page.getByRole('tab', { name: /Reviewed/ }).click();
    await page.route('**/v1/**', (route) => route.abort('connectionrefused'));
    await page.getByRole('tab', { name: /Needs review/ }).click();
    await page.getByRole('alert').filter({ hasText: 'Cannot reach the docsort server' }).waitFor();
    await page.unroute('**/v1/**');
    const runs = await waitUntil(
      () => call('GET', `/v1/classify_runs?classifier_id=${classifierId}&review_status=reviewed`),
      (answer) => answer.body.data.length >= 1,
    );
    assert.ok(runs.body.data.length >= 1, 'the saved review is still there');
  });
});
