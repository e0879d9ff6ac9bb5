/**
 * `docsort classify` over folders, as a user runs it: folders walked recursively with --glob,
 * each result printed as it is known, progress as plain lines when stderr is not a terminal, and
 * every result in --output results.csv or results.jsonl, failures included.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from './helpers/run-cli.js';
import { corpusFile } from './helpers/test-server.js';

describe('docsort classify over folders', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-classify-cli-'));
    const place = (source: string, target: string) => {
      fs.mkdirSync(path.dirname(path.join(root, target)), { recursive: true });
      fs.copyFileSync(corpusFile(source), path.join(root, target));
    };
    place('pdf/invoice/i2d-sammy-maystone.pdf', 'inbox/invoice.pdf');
    place('pdf/letter/unst-to-whom-letter.pdf', 'inbox/2024/letter.pdf');
    place('broken/pdf/pysample-password.pdf', 'inbox/2024/locked.pdf');
    fs.writeFileSync(path.join(root, 'inbox/readme.txt'), 'not a document');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('classifies a folder recursively and writes every result to a CSV file', async () => {
    const output = path.join(root, 'results.csv');
    const run = await runCli(['classify', path.join(root, 'inbox'), '--classes', 'invoice,letter', '--output', output]);
    assert.equal(run.code, 1, 'one file failed');
    const rows = fs.readFileSync(output, 'utf8').trim().split('\n');
    assert.equal(rows[0], 'file,status,class,confidence,suggested_class,num_pages,reason,error_code,error_message');
    const byFile = new Map(rows.slice(1).map((row) => [path.basename(row.split(',')[0]), row]));
    assert.deepEqual([...byFile.keys()], ['letter.pdf', 'locked.pdf', 'invoice.pdf'], 'path order; the .txt file is not taken');
    assert.match(byFile.get('invoice.pdf')!, /,classified,invoice,/);
    assert.match(byFile.get('letter.pdf')!, /,classified,letter,/);
    assert.match(byFile.get('locked.pdf')!, /,failed,.*,encrypted_document,/);
    // Results on stdout in the order they were known, after the header; progress on stderr as plain lines.
    const lines = run.stdout.trim().split('\n');
    assert.match(lines[0], /^FILE\s+CLASS\s+CONF\s+REASON$/);
    assert.match(lines[1], /\s+letter\s+\d\.\d\d\s/);
    assert.match(lines[2], /\s+error\s+encrypted_document: /);
    assert.match(run.stderr, /^progress: 1\/3 files, ETA \S+$/m);
    assert.match(run.stderr, /^progress: 3\/3 files, done in \S+$/m);
    assert.doesNotMatch(run.stderr, /\r|\x1b\[/, 'no terminal control codes in a pipe');
  });

  it('takes only what --glob matches, and writes JSON Lines', async () => {
    const output = path.join(root, 'results.jsonl');
    const run = await runCli([
      'classify',
      path.join(root, 'inbox'),
      '--classes',
      'invoice,letter',
      '--glob',
      '2024/*.pdf',
      '--output',
      output,
      '--json',
    ]);
    const results = fs
      .readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { file: string; classification?: { class: string }; error?: { code: string } });
    assert.deepEqual(
      results.map((result) => path.basename(result.file)),
      ['letter.pdf', 'locked.pdf'],
    );
    assert.equal(results[0].classification?.class, 'letter');
    assert.equal(results[1].error?.code, 'encrypted_document');
    assert.equal(run.stdout.trim().split('\n').length, 2, 'one JSON line per file on stdout too');
  });

  it('says so when no file matches, and refuses an output it cannot write', async () => {
    const none = await runCli(['classify', path.join(root, 'inbox'), '--classes', 'a,b', '--glob', '*.docx']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no file in .* matches --glob "\*\.docx"/);
    const badOutput = await runCli(['classify', path.join(root, 'inbox'), '--classes', 'a,b', '--output', 'results.xlsx']);
    assert.equal(badOutput.code, 2);
    assert.match(badOutput.stderr, /--output takes a \.csv or \.jsonl file/);
  });
});
