/**
 * OCR of one page image: clean it up for tesseract, read it in English, and when the reading is
 * poor try the page turned (sideways scans, landscape pages) and keep the reading that is clearly
 * better. A reading that looks like Chinese or Japanese read as Latin letters, or that is full of
 * another language's common words, is read again with that language's model.
 */
import sharp from 'sharp';
import { AppError } from '../core/errors.js';
import { findContrastStretch } from './contrast-stretch.js';
import type { OcrEngine, OcrLanguage } from './ocr-engine.js';
import { cjkShare, detectLatinLanguage } from './ocr-language.js';
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
  /** The tesseract model that gave this reading. */
  language: OcrLanguage;
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
/**
 * An English model reads Chinese and Japanese characters as runs of capitals ("BEES FHL ARBRE"):
 * a poor reading with at least this share of its letters upper case is worth a sample in those
 * scripts. Poor English readings rarely get there (4 of 231 corpus pages), and such a sample costs
 * about as much as reading the page in English.
 */
const CJK_UPPER_CASE_SHARE = 0.5;
/**
 * A sample in a CJK model counts when this share of what it read is in that script (receipts and
 * cards mix in many Latin letters and digits)…
 */
const MIN_CJK_SHARE = 0.2;
/** …and it read clearly better than English did on the whole page… */
const CJK_MARGIN = 0.05;
/**
 * …or at least as well, when most of it is in that script: small or vertical print reads poorly
 * in a sample, and the whole page read again must still beat English.
 */
const MOSTLY_CJK_SHARE = 0.6;
/** The Chinese and Japanese samples both below this: the page may be Korean. */
const KOREAN_WORTH_TRYING = 0.5;
/**
 * Below this confidence an English reading is too garbled to judge its language by its words
 * (noise makes "de" and "la" too).
 */
const MIN_CONFIDENCE_FOR_LATIN = 0.4;
/** A reading in another Latin-script language is kept unless its confidence is this much lower. */
const LATIN_TOLERANCE = 0.03;

export interface PreparedImage {
  width: number;
  height: number;
  pixels: Buffer;
  dpi: number;
}

/** Greyscale, resolution fixed and contrast stretched; returns raw pixels. */
export async function prepareForOcr(image: GreyPixels): Promise<PreparedImage> {
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

export async function read(
  ocr: OcrEngine,
  image: PreparedImage,
  parameters?: Record<string, string>,
  language?: OcrLanguage,
): Promise<OcrText> {
  const data = await ocr.recognize(toPgm(image), image.dpi, parameters, language);
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
 * Enough text to tell readable from junk at a tenth of the cost of reading the page (in English).
 */
async function readTurnedSample(ocr: OcrEngine, image: PreparedImage, degrees: number): Promise<number> {
  const sample = await readSample(ocr, await rotate(image, degrees), 'eng');
  return sample.confidence;
}

async function readSample(ocr: OcrEngine, turned: PreparedImage, language: OcrLanguage): Promise<OcrText> {
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
  return read(ocr, { width: info.width, height: info.height, pixels: data, dpi: turned.dpi * SAMPLE_SCALE }, undefined, language);
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

function upperCaseShare(text: string): number {
  let letters = 0;
  let upper = 0;
  for (const char of text) {
    if (!/\p{L}/u.test(char)) continue;
    letters++;
    if (/\p{Lu}/u.test(char)) upper++;
  }
  return letters === 0 ? 0 : upper / letters;
}

/**
 * The CJK model that reads a poorly read page better than English, or null: samples in Chinese
 * and Japanese (and Korean, when neither reads well), the best by confidence, counted only when
 * enough of what it read is in its script (these models also read Latin letters).
 */
async function findCjkLanguage(
  ocr: OcrEngine,
  image: PreparedImage,
  englishConfidence: number,
  signal?: AbortSignal,
): Promise<OcrLanguage | null> {
  let best: { language: OcrLanguage; confidence: number } | null = null;
  for (const language of ['chi_sim', 'jpn', 'kor'] as const) {
    if (language === 'kor' && best && best.confidence >= KOREAN_WORTH_TRYING) break;
    checkAborted(signal);
    const sample = await readSample(ocr, image, language);
    const share = cjkShare(sample.text);
    const toBeat = englishConfidence + (share >= MOSTLY_CJK_SHARE ? 0 : CJK_MARGIN);
    if (share >= MIN_CJK_SHARE && sample.confidence >= toBeat && sample.confidence > (best?.confidence ?? 0))
      best = { language, confidence: sample.confidence };
  }
  return best?.language ?? null;
}

export async function ocrPage(ocr: OcrEngine, image: GreyPixels, signal?: AbortSignal): Promise<OcrPage> {
  let prepared: PreparedImage;
  try {
    prepared = await prepareForOcr(image);
  } catch (error) {
    throw new AppError(
      'ocr_failed',
      `The page image could not be prepared for OCR (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  checkAborted(signal);
  let parameters: Record<string, string> | undefined;
  let upright = await read(ocr, prepared);
  if (upright.words.length < MIN_WORDS_TO_TURN) {
    // Nothing found: a blank page, or a photo whose uneven lighting defeats one global threshold
    // (a card on a dark table). A locally adaptive threshold finds the text in the latter.
    checkAborted(signal);
    const adaptive = await read(ocr, prepared, ADAPTIVE_THRESHOLD);
    if (adaptive.words.length > upright.words.length) [upright, parameters] = [adaptive, ADAPTIVE_THRESHOLD];
  }
  let page: OcrPage = { ...upright, rotation: 0, language: 'eng' };
  let pageImage = prepared;
  const poor = upright.confidence < LOW_CONFIDENCE && upright.words.length >= MIN_WORDS_TO_TURN;
  if (poor) {
    const degrees = await findUprightTurn(ocr, prepared, upright.confidence, signal);
    if (degrees !== 0) {
      checkAborted(signal);
      const turnedImage = await rotate(prepared, degrees);
      const turned = await read(ocr, turnedImage);
      // Both the sample and the whole page must read clearly better turned; text in a script the
      // model does not know reads as junk every way round and stays as it is.
      if (turned.confidence >= confidenceToBeat(upright.confidence))
        [page, pageImage, parameters] = [{ ...turned, rotation: degrees, language: 'eng' }, turnedImage, undefined];
    }
  }
  // Turns first: sideways Latin text reads as junk capitals too, and a CJK model reads some of it.
  if (poor && page.rotation === 0 && upperCaseShare(upright.text) >= CJK_UPPER_CASE_SHARE) {
    const cjk = await unlessModelFails(signal, async () => {
      const language = await findCjkLanguage(ocr, prepared, upright.confidence, signal);
      if (!language) return null;
      checkAborted(signal);
      const reread = await read(ocr, prepared, parameters, language);
      return reread.confidence > upright.confidence ? { ...reread, rotation: 0, language } : null;
    });
    if (cjk) return cjk;
  }
  const latin = page.confidence >= MIN_CONFIDENCE_FOR_LATIN ? detectLatinLanguage(page.words.map((word) => word.text)) : null;
  if (!latin) return page;
  const reread = await unlessModelFails(signal, () => read(ocr, pageImage, parameters, latin));
  return reread && reread.confidence >= page.confidence - LATIN_TOLERANCE ? { ...reread, rotation: page.rotation, language: latin } : page;
}

/**
 * Another language's reading, or null when its model fails (a language package missing from
 * node_modules, a worker that would not start): the English reading still stands.
 */
async function unlessModelFails<T>(signal: AbortSignal | undefined, work: () => Promise<T | null>): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    if (signal?.aborted || (error instanceof AppError && error.code === 'timeout')) throw error;
    return null;
  }
}
