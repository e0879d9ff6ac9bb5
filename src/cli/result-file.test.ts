import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvField, resultFormatOf, toCsvRow } from './result-file.js';

describe('result files', () => {
  it('takes the format from the extension', () => {
    assert.equal(resultFormatOf('out/results.CSV'), 'csv');
    assert.equal(resultFormatOf('results.jsonl'), 'jsonl');
    assert.equal(resultFormatOf('results.txt'), null);
  });

  it('quotes CSV fields with commas, quotes and line breaks, and ones a spreadsheet would run', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a, "b"'), '"a, ""b"""');
    assert.equal(csvField('line\nbreak'), '"line\nbreak"');
    assert.equal(csvField('=SUM(A1)'), '"=SUM(A1)"');
    assert.equal(csvField(null), '');
  });

  it('writes a failed file with its error code and an empty class', () => {
    const row = toCsvRow({ file: 'x.pdf', error: { code: 'encrypted_document', message: 'The PDF is password-protected.' } });
    assert.equal(row, 'x.pdf,failed,,,,,,encrypted_document,The PDF is password-protected.');
  });
});
