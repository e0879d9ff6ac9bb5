/**
 * OCR of one page image: clean it up for tesseract, read it, and when the reading is poor try
 * the page turned (sideways scans, landscape pages) and keep the reading that is clearly better.
 */
import sharp from 'sharp';
import { AppError } from '../core/errors.js';
import { findContrastStretch } from './contrast-stretch.js';
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
/**
 * Very large photos are scaled down: OCR time and tesseract's memory, which never shrinks, grow
 * with pixels; accuracy does not past ~250 dpi. 4.5 megapixels is a letter page at ~230 dpi. The
 * side limit also bounds very long images (a receipt photographed whole), which it reads smaller.
 */
const MAX_OCR_SIDE = 3000;
const MAX_OCR_PIXELS = 4_500_000;
/** Mean word confidence under which the page may be turned; upright text mostly scores above it. */
const LOW_CONFIDENCE = 0.55;
/** A page with hardly any "words" found is blank or a picture; turning it will not help. */
const MIN_WORDS_TO_TURN = 5;
/** How much better a turned sample must read than the upright page to count as the right way up. */
const TURN_MARGIN = 0.15;
/** Tesseract's Leptonica local Otsu thresholding, for photos with uneven light. */
const ADAPTIVE_THRESHOLD = { thresholding_method: '1' };
/** A turned reading below this is still junk, whatever the upright one scored. */
const MIN_TURNED_CONFIDENCE = 0.5;
/** A turned sample read this well is the answer; the remaining turns are not tried. */
const CLEAR_CONFIDENCE = 0.75;
/** Orientation samples are read at this fraction of the OCR resolution (~120 dpi): cheap, still legible. */
const SAMPLE_SCALE = 0.6;

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
  scale = Math.min(scale, Math.sqrt(MAX_OCR_PIXELS / (image.width * image.height)));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  let pipeline = sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: 1 } });
  const stretch = findContrastStretch(image.pixels);
  if (stretch) pipeline = pipeline.linear(stretch.multiply, stretch.add);
  if (width !== image.width || height !== image.height) pipeline = pipeline.resize(width, height, { kernel: 'lanczos3' });
  const { data, info } = await pipeline.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
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

async function read(ocr: OcrEngine, image: PreparedImage, parameters?: Record<string, string>): Promise<OcrText> {
  const data = await ocr.recognize(toPgm(image), image.dpi, parameters);
  return toOcrText(data, image.width, image.height, image.dpi);
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw timeoutError(signal);
}

/** What a turned reading must reach to count as the right way up: clearly better than upright, and legible. */
function confidenceToBeat(uprightConfidence: number): number {
  return Math.max(uprightConfidence + TURN_MARGIN, MIN_TURNED_CONFIDENCE);
}

/**
 * Reads a small sample of the page turned by `degrees`: the middle band, at reduced resolution.
 * Enough text to tell readable from junk at a tenth of the cost of reading the page.
 */
async function readTurnedSample(ocr: OcrEngine, image: PreparedImage, degrees: number): Promise<number> {
  const turned = await rotate(image, degrees);
  const left = Math.floor(turned.width * 0.15);
  const top = Math.floor(turned.height * 0.3);
  const width = Math.max(1, Math.floor(turned.width * 0.7));
  const height = Math.max(1, Math.floor(turned.height * 0.4));
  const sampleWidth = Math.max(1, Math.round(width * SAMPLE_SCALE));
  const { data, info } = await sharp(turned.pixels, { raw: { width: turned.width, height: turned.height, channels: 1 } })
    .extract({ left, top, width, height })
    .resize(sampleWidth)
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const sample = await read(ocr, { width: info.width, height: info.height, pixels: data, dpi: image.dpi * SAMPLE_SCALE });
  return sample.confidence;
}

/**
 * The clockwise turn that makes a poorly read page readable, or 0. Tesseract reads sideways or
 * upside-down text as junk with low confidence, so a turn whose sample reads clearly better than
 * the page as read upright wins. The upright reading of the whole page stands in for an upright
 * sample: reading one as well cost ~0.4 s on such pages, and the smaller sample only reads worse,
 * which errs towards leaving the page as it is. (Tesseract's own orientation detector needs its
 * legacy engine, which costs ~300 MB per process and was often wrong on low-resolution faxes.)
 */
async function findUprightTurn(ocr: OcrEngine, image: PreparedImage, uprightConfidence: number, signal?: AbortSignal): Promise<number> {
  let best = { degrees: 0, confidence: confidenceToBeat(uprightConfidence) };
  for (const degrees of [90, 270, 180]) {
    checkAborted(signal);
    const confidence = await readTurnedSample(ocr, image, degrees);
    if (confidence > best.confidence) best = { degrees, confidence };
    if (best.confidence >= CLEAR_CONFIDENCE) break;
  }
  return best.degrees;
}

export async function ocrPage(ocr: OcrEngine, image: GreyPixels, signal?: AbortSignal): Promise<OcrPage> {
  let prepared: PreparedImage;
  try {
    prepared = await prepareForOcr(image);
  } catch (error) {
    throw new AppError('ocr_failed', `The page image could not be prepared for OCR (${error instanceof Error ? error.message : String(error)}).`);
  }
  checkAborted(signal);
  let upright = await read(ocr, prepared);
  if (upright.words.length < MIN_WORDS_TO_TURN) {
    // Nothing found: a blank page, or a photo whose uneven lighting defeats one global threshold
    // (a card on a dark table). A locally adaptive threshold finds the text in the latter.
    checkAborted(signal);
    const adaptive = await read(ocr, prepared, ADAPTIVE_THRESHOLD);
    if (adaptive.words.length > upright.words.length) upright = adaptive;
  }
  if (upright.confidence >= LOW_CONFIDENCE || upright.words.length < MIN_WORDS_TO_TURN) return { ...upright, rotation: 0 };

  const degrees = await findUprightTurn(ocr, prepared, upright.confidence, signal);
  if (degrees === 0) return { ...upright, rotation: 0 };
  checkAborted(signal);
  const turned = await read(ocr, await rotate(prepared, degrees));
  // Both the sample and the whole page must read clearly better turned; text in a script the
  // model does not know reads as junk every way round and stays as it is.
  const turnedWins = turned.confidence >= confidenceToBeat(upright.confidence);
  return turnedWins ? { ...turned, rotation: degrees } : { ...upright, rotation: 0 };
}
