import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectFileType } from './sniff-type.js';

const bytes = (...values: Array<number | string>) =>
  Buffer.concat(values.map((value) => (typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from([value]))));

describe('file type sniffing', () => {
  it('recognises each supported format by its signature', () => {
    assert.equal(detectFileType(bytes('%PDF-1.7\n')), 'pdf');
    assert.equal(detectFileType(bytes(0xff, 0xd8, 0xff, 0xe0)), 'jpeg');
    assert.equal(detectFileType(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a)), 'png');
    assert.equal(detectFileType(bytes('GIF89a')), 'gif');
    assert.equal(detectFileType(bytes('RIFF', 0, 0, 0, 0, 'WEBPVP8 ')), 'webp');
    assert.equal(detectFileType(bytes('II*', 0)), 'tiff');
    assert.equal(detectFileType(bytes('MM', 0, '*')), 'tiff');
    const bmp = Buffer.alloc(54);
    bmp.write('BM', 0, 'latin1');
    bmp.writeUInt32LE(40, 14);
    assert.equal(detectFileType(bmp), 'bmp');
  });

  it('accepts a PDF header after leading junk within the first kilobyte', () => {
    assert.equal(detectFileType(Buffer.concat([Buffer.alloc(300, 0x20), bytes('%PDF-1.4')])), 'pdf');
  });

  it('does not take text starting with "BM" for a bitmap', () => {
    assert.equal(detectFileType(Buffer.from('BMW invoice for the car service in March, thank you')), null);
  });

  it('recognises nothing in executables and archives', () => {
    assert.equal(detectFileType(bytes(0x7f, 'ELF', 2, 1, 1)), null);
    assert.equal(detectFileType(bytes('PK', 3, 4)), null);
  });
});
