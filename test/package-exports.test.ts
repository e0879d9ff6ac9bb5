/** The package as a user imports it: `docsort` and `docsort/client` resolve through package.json's exports and work. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { corpusFile } from './helpers/test-server.js';

describe('the package exports', () => {
  const closers: Array<() => Promise<void>> = [];
  after(async () => {
    for (const close of closers) await close();
  });

  it('`docsort` reads and classifies a real file without the server', async () => {
    const docsort = await import('docsort');
    const extractor = docsort.createExtractor();
    closers.push(() => extractor.close());
    const document = await extractor.extractFile(corpusFile('pdf/invoice/zug-intarsys-einfach.pdf'));
    const output = await docsort
      .createClassifier()
      .classifyPages(document.pages, { classifier: { classes: [{ name: 'invoice' }, { name: 'letter' }] } });
    assert.equal(output.classification.class, 'invoice');
    assert.throws(
      () => docsort.validatePageRange('3-1'),
      (error: unknown) => error instanceof docsort.AppError && error.code === 'invalid_page_range',
    );
    assert.equal(typeof docsort.createApp, 'function');
  });

  it('`docsort/client` gives the typed client and the webhook signature check', async () => {
    const client = await import('docsort/client');
    assert.equal(typeof client.DocsortClient, 'function');
    assert.equal(typeof client.verifyWebhookSignature, 'function');
  });
});
