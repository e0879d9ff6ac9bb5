/**
 * Files for extraction tests: paths into the shared corpus, and awkward files made at run time
 * in a temporary folder (the corpus has no GIF, BMP, multi-page TIFF or hostile files).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { after, before } from 'node:test';
import { encode as encodeBmp } from 'bmp-ts';
import sharp from 'sharp';
import type { Extractor } from '../../src/core/ports.js';
import { createExtractor } from '../../src/extract/index.js';
import { corpusFile } from './repo-paths.js';

export { corpusDir, corpusFile, repoRoot } from './repo-paths.js';

export const CORPUS = {
  /** 2-page born-digital invoice (ZUGFeRD sample). */
  textPdf: corpusFile('pdf/invoice/zug-intarsys-einfach.pdf'),
  /** 16-page born-digital report. */
  longPdf: corpusFile('pdf/report/pdfplumber-ca-warn-report.pdf'),
  /** 17-page article whose page tree sits at the end of the file. */
  paperPdf: corpusFile('pdf/scientific_paper/pdfplumber-emerald-article.pdf'),
  /** Image-only scanned letter, 1 page. */
  scannedPdf: corpusFile('pdf/letter/ocrmypdf-enron-letter.pdf'),
  /** RVL-CDIP fax scan of a letter (TIFF). */
  tiffLetter: corpusFile('img/letter/rvlA_form_01272.tif'),
  /** RVL-CDIP scan of an email printout (TIFF), used as a second page. */
  tiffMemo: corpusFile('img/memo/rvlA_email_01326.tif'),
  png: corpusFile('img/invoice/inv2d_AmazonWebServices.png'),
  jpeg: corpusFile('img/form/azdi_layout-page-001.jpg'),
  webp: corpusFile('img/news_article/txtr_titanic.webp'),
  brokenDir: corpusFile('broken/pdf'),
};

export interface TempFiles {
  dir: string;
  path(name: string): string;
  write(name: string, bytes: Uint8Array | string): string;
  remove(): void;
}

export function createTempFiles(): TempFiles {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docsort-extract-'));
  return {
    dir,
    path: (name) => path.join(dir, name),
    write: (name, bytes) => {
      const file = path.join(dir, name);
      writeFileSync(file, bytes);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Inside a `describe`: one extractor and one temporary folder for its tests, closed and removed
 * after them (read them as `setup.extractor` and `setup.temp` once the tests run).
 */
export function useExtractorAndTempFiles(threads = 2): { extractor: Extractor; temp: TempFiles } {
  const setup = {} as { extractor: Extractor; temp: TempFiles };
  before(() => {
    setup.extractor = createExtractor({ threads });
    setup.temp = createTempFiles();
  });
  after(async () => {
    await setup.extractor.close();
    setup.temp.remove();
  });
  return setup;
}

/** The first `fraction` of a file's bytes, as a download cut short would leave it. */
export function writeTruncated(temp: TempFiles, source: string, fraction: number, name: string): string {
  const bytes = readFileSync(source);
  return temp.write(name, bytes.subarray(0, Math.floor(bytes.length * fraction)));
}

/** A real executable given a .pdf name. */
export function writeRenamedExecutable(temp: TempFiles): string {
  const target = temp.path('invoice.pdf');
  copyFileSync(process.execPath, target);
  return target;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A decompression bomb's shape: a valid PNG header claiming width × height pixels, followed by a
 * tiny compressed stream. Decoding it would need gigabytes; the header alone must get it refused.
 */
export function writeHugePngHeader(temp: TempFiles, width = 50_000, height = 50_000): string {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
  return temp.write('bomb.png', png);
}

/** A GIF made from a real scan (the corpus has none). */
export async function writeGifFrom(temp: TempFiles, source: string): Promise<string> {
  const target = temp.path('scan.gif');
  await sharp(source).gif().toFile(target);
  return target;
}

/** A 24-bit BMP made from a real scan with bmp-ts (libvips cannot write BMP). */
export async function writeBmpFrom(temp: TempFiles, source: string): Promise<string> {
  const { data, info } = await sharp(source).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  // bmp-ts takes ABGR pixels.
  const abgr = Buffer.alloc(info.width * info.height * 4);
  for (let i = 0, j = 0; i < data.length; i += info.channels, j += 4) {
    abgr[j] = 0xff;
    abgr[j + 1] = data[i + 2];
    abgr[j + 2] = data[i + 1];
    abgr[j + 3] = data[i];
  }
  const bmp = encodeBmp({ data: abgr, width: info.width, height: info.height, bitPP: 24 });
  return temp.write('scan.bmp', bmp.data);
}

/** A two-page TIFF (the corpus's TIFFs are all single pages). */
export async function writeTwoPageTiff(temp: TempFiles, first: string, second: string): Promise<string> {
  const { width, height } = await sharp(first).metadata();
  const pages = await Promise.all([sharp(first).png().toBuffer(), sharp(second).resize(width, height, { fit: 'fill' }).png().toBuffer()]);
  const target = temp.path('two-pages.tif');
  await sharp(pages, { join: { animated: true } })
    .tiff({ compression: 'lzw' })
    .toFile(target);
  return target;
}

/** A scan turned on its side, as a sheet fed sideways into a scanner comes out. */
export async function writeRotated(temp: TempFiles, source: string, degrees: number): Promise<string> {
  const target = temp.path(`rotated-${degrees}.png`);
  await sharp(source).rotate(degrees).png().toFile(target);
  return target;
}
