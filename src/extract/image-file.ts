/**
 * Image files: page count and size from the header (before any pixel is decoded, so a
 * decompression bomb is refused cheaply), then one page at a time decoded to greyscale.
 * sharp (libvips) decodes on its own threads; BMP, which libvips does not read, is decoded in the pool.
 */
import { open } from 'node:fs/promises';
import sharp, { type Metadata, type SharpOptions } from 'sharp';
import type { ExtractLimits, FileType } from '../core/document.js';
import { AppError } from '../core/errors.js';
import type { GreyPixels } from './ocr-page.js';
import type { DecodedBmp } from './extract.worker.js';
import type { WorkerPool } from './worker-pool.js';

export interface ImagePage {
  image: GreyPixels;
  /** Upright size in pixels, as reported on the page. */
  width: number;
  height: number;
}

// Every page is decoded once; libvips' operation cache would only hold on to memory.
sharp.cache(false);

/**
 * Resolutions outside this range in a header are placeholders, not measurements: 72 and 96 dpi
 * are what software writes when it does not know (RVL-CDIP's ~90 dpi faxes often say 72).
 */
const MIN_TRUSTED_DPI = 100;
const MAX_TRUSTED_DPI = 1200;

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim().slice(0, 200);
}

function unreadableImage(error: unknown): AppError {
  if (/pixel limit/i.test(describe(error))) return tooLarge(NaN, NaN, NaN);
  return new AppError(
    'unreadable_document',
    `The image is corrupt or truncated and cannot be decoded (${describe(error)}); re-export or re-scan it.`,
  );
}

function tooLarge(width: number, height: number, maxPixels: number): AppError {
  const size = Number.isFinite(width) ? ` (${width} × ${height} pixels)` : '';
  const limit = Number.isFinite(maxPixels) ? ` the limit of ${Math.round(maxPixels / 1e6)} megapixels` : ' the pixel limit';
  return new AppError(
    'image_too_large',
    `The image is too large to read${size}, over${limit}; scale it down (300 dpi is plenty) and send it again.`,
  );
}

function checkPixels(width: number, height: number, limits: ExtractLimits): void {
  if (!(width > 0 && height > 0)) throw new AppError('unreadable_document', 'The image header gives no valid size; the file is corrupt.');
  if (width * height > limits.maxImagePixels) throw tooLarge(width, height, limits.maxImagePixels);
}

/**
 * A page's resolution as far as OCR is concerned: guessed from a letter-sized page, or the
 * header's if lower. Headers overstate it when an image was shrunk after scanning (a 500-pixel
 * "150 dpi" form has 60 dpi text), and understating only costs an upscale.
 */
function estimateDpi(width: number, height: number, density: number | undefined): number {
  const fromSize = Math.min(600, Math.max(50, Math.max(width, height) / 11));
  if (density && density >= MIN_TRUSTED_DPI && density <= MAX_TRUSTED_DPI) return Math.min(density, fromSize);
  return fromSize;
}

async function readBmpHeader(path: string): Promise<{ width: number; height: number }> {
  const handle = await open(path, 'r');
  try {
    const header = Buffer.alloc(26);
    const { bytesRead } = await handle.read(header, 0, 26, 0);
    if (bytesRead < 26) throw new AppError('unreadable_document', 'The BMP file is truncated; re-export it.');
    if (header.readUInt32LE(14) === 12) return { width: header.readUInt16LE(18), height: header.readUInt16LE(20) };
    return { width: Math.abs(header.readInt32LE(18)), height: Math.abs(header.readInt32LE(22)) };
  } finally {
    await handle.close();
  }
}

/** Pages in the file: every page of a TIFF; the first frame of an animated GIF or WebP. */
export async function countImagePages(path: string, type: FileType, limits: ExtractLimits): Promise<number> {
  if (type === 'bmp') {
    const { width, height } = await readBmpHeader(path);
    checkPixels(width, height, limits);
    return 1;
  }
  let metadata: Metadata;
  try {
    metadata = await sharp(path, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw unreadableImage(error);
  }
  return type === 'tiff' ? Math.max(1, metadata.pages ?? 1) : 1;
}

export async function loadImagePage(
  path: string,
  type: FileType,
  index: number,
  limits: ExtractLimits,
  pool: WorkerPool,
  signal?: AbortSignal,
): Promise<ImagePage> {
  if (type === 'bmp') {
    const { width, height } = await readBmpHeader(path);
    checkPixels(width, height, limits);
    const bmp = await pool.run<DecodedBmp>({ kind: 'bmp-decode', path }, signal);
    // The decoder leaves alpha at 0 for BMPs without an alpha channel (nearly all), so it is dropped, not blended.
    const { data, info } = await sharp(bmp.pixels, { raw: { width: bmp.width, height: bmp.height, channels: 4 } })
      .removeAlpha()
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      image: { width: info.width, height: info.height, pixels: data, dpi: estimateDpi(info.width, info.height, undefined) },
      width: info.width,
      height: info.height,
    };
  }
  try {
    const options: SharpOptions = { page: index, limitInputPixels: limits.maxImagePixels, failOn: 'truncated', autoOrient: true };
    const metadata = await sharp(path, { ...options, limitInputPixels: false }).metadata();
    checkPixels(metadata.width ?? 0, metadata.pageHeight ?? metadata.height ?? 0, limits);
    const { data, info } = await sharp(path, options)
      .flatten({ background: '#ffffff' })
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const dpi = estimateDpi(info.width, info.height, metadata.density);
    return { image: { width: info.width, height: info.height, pixels: data, dpi }, width: info.width, height: info.height };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw unreadableImage(error);
  }
}
