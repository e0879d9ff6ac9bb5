/** `docsort extract` as a user runs it: a real process, real files, exit codes and output formats. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CORPUS, createTempFiles, type TempFiles } from './helpers/extract-files.js';
import { runCli, type CliRun } from './helpers/run-cli.js';

/** `docsort extract ARGS` as a user runs it. */
function runExtractCli(args: string[]): Promise<CliRun> {
  return runCli(['extract', ...args]);
}

/** The fields of a `--json` line for a file that was read, as far as the tests look at them. */
interface ExtractedFileLine {
  file: string;
  type: string;
  num_pages: number;
  duration_ms: unknown;
  pages: Array<Record<string, unknown>>;
}

describe('docsort extract', () => {
  let temp: TempFiles;
  before(() => {
    temp = createTempFiles();
  });
  after(() => temp.remove());

  it('prints usage with --help', async () => {
    const run = await runExtractCli(['--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /Usage: docsort extract FILE/);
    assert.match(run.stdout, /JSON Lines/);
  });

  it('prints one JSON line per file and fails with one stderr line per unreadable file', async () => {
    const empty = temp.write('empty.pdf', '');
    const run = await runExtractCli(['--json', '--pages', '1', CORPUS.textPdf, empty]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, `${empty}: empty_file: The file is empty (0 bytes); send a file with content.\n`);
    const lines: unknown[] = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.equal(lines.length, 2);
    // The first line is read field by field below; the second is compared whole.
    const read = lines[0] as ExtractedFileLine;
    const failed = lines[1];
    assert.equal(read.file, CORPUS.textPdf);
    assert.equal(read.type, 'pdf');
    assert.equal(read.num_pages, 2);
    assert.equal(typeof read.duration_ms, 'number');
    assert.deepEqual(Object.keys(read.pages[0]).sort(), ['height', 'ocr_confidence', 'page', 'rotation', 'source', 'text', 'width']);
    assert.equal(read.pages[0].page, 0);
    assert.equal(read.pages[0].source, 'text');
    assert.deepEqual(failed, {
      file: empty,
      error: { code: 'empty_file', message: 'The file is empty (0 bytes); send a file with content.' },
    });
  });

  it('adds words with --words and exits 0 when every file was read', async () => {
    const run = await runExtractCli(['--json', '--words', '--max-pages', '1', CORPUS.textPdf]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const document = JSON.parse(run.stdout) as { pages: Array<{ words: Array<{ text: string; x0: number }> }> };
    assert.equal(document.pages.length, 1);
    assert.ok(document.pages[0].words.some((word) => word.text === 'Handelsrechnung'));
  });

  it('prints a readable summary without --json', async () => {
    const run = await runExtractCli([CORPUS.textPdf]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /zug-intarsys-einfach\.pdf: pdf, 2 page\(s\), 2 read \(2 text layer, 0 OCR\)/);
    assert.match(run.stdout, /page 1, text, \d+ chars/);
  });

  it('rejects bad options with exit status 2', async () => {
    assert.equal((await runExtractCli(['--pages', '0-', CORPUS.textPdf])).code, 2);
    assert.equal((await runExtractCli(['--max-pages', 'ten', CORPUS.textPdf])).code, 2);
    assert.equal((await runExtractCli(['--bogus', CORPUS.textPdf])).code, 2);
    assert.equal((await runExtractCli([])).code, 2);
  });
});
