/**
 * Screenshots of every console screen into docs/console/, from the same headless Chromium the
 * browser tests use, against a real server filled with corpus files: `npm run screenshots`.
 * Desktop at 1280×800 and phone width at 390×844.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, signIn } from './helpers/console-browser.js';
import { repoRoot } from './helpers/repo-paths.js';
import { corpusFile } from './helpers/test-server.js';
import { api, startAuthedServer, startReceiver, waitUntil } from './integration-support.js';

const OUT = path.join(repoRoot, 'docs', 'console');
const CLASSES = JSON.parse(fs.readFileSync(corpusFile('classifier.json'), 'utf8')).classes as Array<{ name: string; description: string }>;
const FILES = [
  'pdf/invoice/i2d-aws-invoice.pdf',
  'pdf/invoice/dhruv-tax-invoice-uae.pdf',
  'pdf/receipt/erp-receipt-voucher-1.pdf',
  'pdf/letter/jjb-reklamation-brief.pdf',
  'pdf/memo/usaf-sample-memorandum.pdf',
  'pdf/bank_statement/cs-anz-homeloan.pdf',
  'pdf/utility_bill/flskeb-discom-electricity-bill.pdf',
  'pdf/contract/castel-contrat-de-sponsoring.pdf',
  'broken/pdf/unst-password.pdf',
  'bundles/dev-mailroom.pdf',
];

async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  // Page images render on the server; wait until none is still loading.
  await page.waitForFunction(() => document.querySelectorAll('.page-image-loading').length === 0, undefined, { timeout: 300_000 });
  // Let thumbnails and charts settle; every shot starts at the top of the screen.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
  process.stdout.write(`docs/console/${name}.png\n`);
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const receiver = await startReceiver();
  const server = await startAuthedServer('sqlite');
  const key = server.adminKey;
  const call = (method: string, route: string, init: { json?: unknown; form?: FormData } = {}) => api(server, key, method, route, init);
  try {
    const classifier = (
      await call('POST', '/v1/classifiers', {
        json: {
          name: 'Mailroom',
          description: 'Everything that arrives by post and email',
          classes: CLASSES,
          settings: { mode: 'split', review_below: 0.8 },
        },
      })
    ).body;
    await call('PATCH', `/v1/classifiers/${classifier.id}`, { json: { settings: { threshold: 0.3 } } });
    receiver.failNext('/hook', 1);
    await call('POST', '/v1/webhooks', {
      json: { url: `${receiver.url}/hook`, events: ['classify_run.needs_review', 'classify_run.reviewed'], name: 'inbox' },
    });
    const runs: Array<{ id: string }> = [];
    for (const file of FILES) {
      const form = new FormData();
      form.append('file', new Blob([fs.readFileSync(corpusFile(file))]), path.basename(file));
      form.append('classifier', JSON.stringify({ id: classifier.id }));
      form.append('metadata', JSON.stringify({ usage_tags: [file.startsWith('bundles') ? 'scans' : 'email'] }));
      runs.push((await call('POST', '/v1/classify_runs', { form })).body);
    }
    for (const run of runs)
      await waitUntil(
        () => call('GET', `/v1/classify_runs/${run.id}`),
        (answer) => ['PROCESSED', 'FAILED'].includes(answer.body.status),
        300_000,
      );
    // Two reviews make an evaluation set.
    await call('PATCH', `/v1/classify_runs/${runs[0].id}`, { json: { reviewed_output: { class: 'invoice' } } });
    await call('PATCH', `/v1/classify_runs/${runs[2].id}`, { json: { reviewed_output: { class: 'receipt' } } });
    await call('PATCH', `/v1/classify_runs/${runs[4].id}`, { json: { reviewed_output: { class: 'memo' } } });

    const browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/`);
    await shoot(page, 'sign-in');
    await signIn(page, server.url, key);
    await shoot(page, 'review-queue');
    const bundle = runs[runs.length - 1].id;
    await page.goto(`${server.url}/console/#/runs/${bundle}`);
    await page.getByRole('heading', { name: 'Documents in this file' }).waitFor();
    await shoot(page, 'run-page');
    await page.goto(`${server.url}/console/#/runs/${runs[8].id}`);
    await page.getByRole('alert').waitFor();
    await shoot(page, 'run-failed');
    await page.goto(`${server.url}/console/#/playground`);
    await page.getByLabel('Classify with').selectOption(classifier.id);
    await page
      .getByLabel('Files to classify')
      .setInputFiles([corpusFile('pdf/invoice/i2d-azure-interior.pdf'), corpusFile('bundles/dev-loan-packet.pdf')]);
    await page.getByText('2 of 2 finished').waitFor({ timeout: 300_000 });
    await shoot(page, 'playground');
    await page.goto(`${server.url}/console/#/classifiers`);
    await shoot(page, 'classifiers');
    await page.goto(`${server.url}/console/#/classifiers/${classifier.id}`);
    await page.getByRole('heading', { name: 'Versions' }).waitFor();
    await shoot(page, 'classifier-editor');
    await page.goto(`${server.url}/console/#/evaluation/${classifier.id}`);
    await page.getByTestId('accuracy').waitFor();
    await page.getByRole('button', { name: 'Run evaluation' }).click();
    await page.getByText(/· succeeded/).waitFor({ timeout: 300_000 });
    await shoot(page, 'evaluation');
    await page.goto(`${server.url}/console/#/usage`);
    await page.getByRole('heading', { name: 'Webhook deliveries' }).waitFor();
    await shoot(page, 'usage');

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await signIn(phone, server.url, key);
    await shoot(phone, 'phone-review-queue');
    await phone.goto(`${server.url}/console/#/runs/${bundle}`);
    await phone.getByRole('heading', { name: 'Documents in this file' }).waitFor();
    await shoot(phone, 'phone-run-page');
    await browser.close();
  } finally {
    await server.close();
    await receiver.close();
  }
}

await main();
