/**
 * OCR of one page image: clean it up for tesseract, read it, and when the reading is poor ask
 * tesseract's orientation detector whether the page is turned, then read it upright.
 */
import sharp from 'sharp';
import { AppError } from '../core/errors.js';
import type { OcrEngine } from './ocr-engine.js';
import { toOcrText, type OcrText } from './ocr-result.js';
import { timeoutError } from './worker-pool.js';

export interface GreyPixels {
  width: number;
  height: number;
  /** One byte per pixel, rows packed. */
  pixels: Uint8Array;
  /** The scan's resolution (measured or estimated). */
  dpi: number;
}

export interface OcrPage extends OcrText {
  /** Degrees the image was turned clockwise to read it upright. */
  rotation: number;
}

/** Below this resolution small text is too few pixels high for tesseract; such scans are upscaled. */
const MIN_OCR_DPI = 150;
const TARGET_OCR_DPI = 200;
/** Very large photos are scaled down: OCR time grows with pixels, accuracy does not past ~300 dpi. */
const MAX_OCR_SIDE = 4200;
/** Mean word confidence under which the page may be turned; upright text scores far above it. */
const LOW_CONFIDENCE = 0.6;
/** OSD answers below this confidence are guesses. */
const MIN_OSD_CONFIDENCE = 1.5;

interface PreparedImage {
  width: number;
  height: number;
  pixels: Buffer;
  dpi: number;
}

/** Greyscale, resolution fixed and contrast stretched; returns raw pixels. */
async function prepareForOcr(image: GreyPixels): Promise<PreparedImage> {
  let scale = image.dpi < MIN_OCR_DPI ? Math.min(3, TARGET_OCR_DPI / image.dpi) : 1;
  scale = Math.min(scale, MAX_OCR_SIDE / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  let pipeline = sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: 1 } });
  if (width !== image.width || height !== image.height) pipeline = pipeline.resize(width, height, { kernel: 'lanczos3' });
  const { data, info } = await pipeline.normalise().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, pixels: data, dpi: image.dpi * (info.width / image.width) };
}

async function rotate(image: PreparedImage, degrees: number): Promise<PreparedImage> {
  const { data, info } = await sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: 1 } })
    .rotate(degrees)
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, pixels: data, dpi: image.dpi };
}

/** Binary PGM: leptonica reads it without any decompression work. */
function toPgm(image: PreparedImage): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${image.width} ${image.height}\n255\n`, 'latin1'), image.pixels]);
}

async function read(ocr: OcrEngine, image: PreparedImage): Promise<OcrText> {
  const data = await ocr.recognize(toPgm(image), image.dpi);
  return toOcrText(data, image.width, image.height, image.dpi);
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw timeoutError(signal);
}

export async function ocrPage(ocr: OcrEngine, image: GreyPixels, signal?: AbortSignal): Promise<OcrPage> {
  let prepared: PreparedImage;
  try {
    prepared = await prepareForOcr(image);
  } catch (error) {
    throw new AppError('ocr_failed', `The page image could not be prepared for OCR (${error instanceof Error ? error.message : String(error)}).`);
  }
  checkAborted(signal);
  const upright = await read(ocr, prepared);
  if (upright.confidence >= LOW_CONFIDENCE) return { ...upright, rotation: 0 };

  checkAborted(signal);
  const orientation = await ocr.detectOrientation(toPgm(prepared));
  if (!orientation || orientation.degrees === 0 || orientation.confidence < MIN_OSD_CONFIDENCE) return { ...upright, rotation: 0 };
  checkAborted(signal);
  const turned = await read(ocr, await rotate(prepared, orientation.degrees));
  // OSD is wrong now and then; the reading tesseract is more sure of wins.
  return turned.confidence > upright.confidence ? { ...turned, rotation: orientation.degrees } : { ...upright, rotation: 0 };
}
