/** Reads one PDF page's text layer with MuPDF into lines (reading order, boxes, sizes, bold) and words. */
import type * as mupdf from 'mupdf';
import type { Line, Page, Word } from '../core/document.js';
import { orderForReading, type Box } from './reading-order.js';
import { readPageRotation } from './pdf-document.js';
import { measureTextQuality } from './text-quality.js';

export interface PageText {
  page: Page;
  /** False when the text layer is missing or junk and the page should be OCR'd. */
  usable: boolean;
}

interface RawLine extends Box {
  text: string;
  size: number;
  boldChars: number;
  chars: number;
  words: Word[];
}

interface RawBlock extends Box {
  lines: RawLine[];
}

/** MuPDF hands over characters outside the BMP as UTF-16 halves that do not always pair up. */
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const BOLD_NAME = /bold|black|heavy|semibold|demi/i;

const boldByFontName = new Map<string, boolean>();

function isBoldFont(font: mupdf.Font): boolean {
  const name = font.getName();
  let bold = boldByFontName.get(name);
  if (bold === undefined) {
    bold = font.isBold() || BOLD_NAME.test(name);
    if (boldByFontName.size < 10_000) boldByFontName.set(name, bold);
  }
  return bold;
}

type Normalise = (value: number) => number;

/** Maps page-space coordinates (points, origin top-left, rotation applied) to 0..1 of the page box. */
function pageNormalisers(bounds: mupdf.Rect): { nx: Normalise; ny: Normalise } {
  const [px0, py0, px1, py1] = bounds;
  const width = px1 - px0 || 1;
  const height = py1 - py0 || 1;
  return {
    nx: (x) => Math.min(1, Math.max(0, (x - px0) / width)),
    ny: (y) => Math.min(1, Math.max(0, (y - py0) / height)),
  };
}

/** Blocks in reading order (decided in page space), their lines' boxes then normalised. */
function orderAndNormalise(blocks: RawBlock[], nx: Normalise, ny: Normalise): RawBlock[] {
  return orderForReading(blocks).map((ordered) => ({
    ...ordered,
    lines: ordered.lines.map((line) => ({ ...line, x0: nx(line.x0), y0: ny(line.y0), x1: nx(line.x1), y1: ny(line.y1) })),
  }));
}

/**
 * Builds lines and words from MuPDF's structured text. Coordinates come in page space (points,
 * origin top-left, page rotation applied) and are normalised to 0..1 of the page box.
 */
function collectBlocks(text: mupdf.StructuredText, bounds: mupdf.Rect, withWords: boolean): RawBlock[] {
  const { nx, ny } = pageNormalisers(bounds);

  const blocks: RawBlock[] = [];
  let block: RawBlock | null = null;
  let line: RawLine | null = null;
  let word: (Box & { text: string; size: number }) | null = null;

  const finishWord = () => {
    if (word && line && withWords) {
      line.words.push({ text: word.text, x0: nx(word.x0), y0: ny(word.y0), x1: nx(word.x1), y1: ny(word.y1), size: round(word.size) });
    }
    word = null;
  };

  text.walk({
    beginTextBlock() {
      block = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity, lines: [] };
    },
    beginLine(bbox) {
      line = { x0: bbox[0], y0: bbox[1], x1: bbox[2], y1: bbox[3], text: '', size: 0, boldChars: 0, chars: 0, words: [] };
    },
    onChar(c, _origin, font, size, quad) {
      if (!line) return;
      line.text += c;
      if (/\s/.test(c)) {
        finishWord();
        return;
      }
      line.chars++;
      line.size = Math.max(line.size, size);
      if (isBoldFont(font)) line.boldChars++;
      if (!withWords) return;
      const x0 = Math.min(quad[0], quad[4]);
      const y0 = Math.min(quad[1], quad[3]);
      const x1 = Math.max(quad[2], quad[6]);
      const y1 = Math.max(quad[5], quad[7]);
      if (!word) word = { text: '', size: 0, x0, y0, x1, y1 };
      word.text += c;
      word.size = Math.max(word.size, size);
      word.x0 = Math.min(word.x0, x0);
      word.y0 = Math.min(word.y0, y0);
      word.x1 = Math.max(word.x1, x1);
      word.y1 = Math.max(word.y1, y1);
    },
    endLine() {
      finishWord();
      if (line && block && line.chars > 0) {
        block.lines.push(line);
        block.x0 = Math.min(block.x0, line.x0);
        block.y0 = Math.min(block.y0, line.y0);
        block.x1 = Math.max(block.x1, line.x1);
        block.y1 = Math.max(block.y1, line.y1);
      }
      line = null;
    },
    endTextBlock() {
      if (block && block.lines.length > 0) blocks.push(block);
      block = null;
    },
  });

  return orderAndNormalise(blocks, nx, ny);
}

interface StextJson {
  blocks: Array<{
    type: string;
    lines?: Array<{
      bbox: { x: number; y: number; w: number; h: number };
      font?: { name?: string; weight?: string; size?: number };
      text: string;
    }>;
  }>;
}

/**
 * Lines without words, from MuPDF's JSON (built in C): several times cheaper than walking every
 * character through JavaScript, which is only worth it when word boxes are wanted. A line's font
 * here is its first character's.
 */
function collectBlocksFromJson(text: mupdf.StructuredText, bounds: mupdf.Rect): RawBlock[] {
  const { nx, ny } = pageNormalisers(bounds);
  const json = JSON.parse(text.asJSON()) as StextJson;
  const blocks: RawBlock[] = [];
  for (const block of json.blocks) {
    if (block.type !== 'text' || !block.lines) continue;
    const raw: RawBlock = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity, lines: [] };
    for (const line of block.lines) {
      if (!line.text?.trim()) continue;
      const { x, y, w, h } = line.bbox;
      const bold = line.font?.weight === 'bold' || BOLD_NAME.test(line.font?.name ?? '');
      raw.lines.push({
        x0: x,
        y0: y,
        x1: x + w,
        y1: y + h,
        text: line.text,
        size: line.font?.size ?? 0,
        boldChars: bold ? 1 : 0,
        chars: 1,
        words: [],
      });
      raw.x0 = Math.min(raw.x0, x);
      raw.y0 = Math.min(raw.y0, y);
      raw.x1 = Math.max(raw.x1, x + w);
      raw.y1 = Math.max(raw.y1, y + h);
    }
    if (raw.lines.length > 0) blocks.push(raw);
  }
  return orderAndNormalise(blocks, nx, ny);
}

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function readPdfPageText(document: mupdf.Document, index: number, withWords: boolean): PageText {
  const page = document.loadPage(index);
  try {
    const bounds = page.getBounds();
    const structured = page.toStructuredText('preserve-whitespace');
    let blocks: RawBlock[];
    try {
      blocks = withWords ? collectBlocks(structured, bounds, true) : collectBlocksFromJson(structured, bounds);
    } finally {
      structured.destroy();
    }
    const lines: Line[] = [];
    const words: Word[] = [];
    const blockTexts: string[] = [];
    for (const block of blocks) {
      const texts: string[] = [];
      for (const raw of block.lines) {
        const text = raw.text.replace(LONE_SURROGATES, '').replace(/\s+/g, ' ').trim();
        if (!text) continue;
        texts.push(text);
        const line: Line = {
          text,
          x0: round(raw.x0, 4),
          y0: round(raw.y0, 4),
          x1: round(raw.x1, 4),
          y1: round(raw.y1, 4),
          size: round(raw.size),
        };
        if (raw.boldChars * 2 > raw.chars) line.bold = true;
        lines.push(line);
        if (withWords)
          words.push(
            ...raw.words.map((word) => ({
              ...word,
              x0: round(word.x0, 4),
              y0: round(word.y0, 4),
              x1: round(word.x1, 4),
              y1: round(word.y1, 4),
            })),
          );
      }
      if (texts.length > 0) blockTexts.push(texts.join('\n'));
    }
    const text = blockTexts.join('\n\n');
    const result: Page = {
      page: index,
      source: 'text',
      text,
      lines,
      width: round(bounds[2] - bounds[0]),
      height: round(bounds[3] - bounds[1]),
      rotation: readPageRotation(page),
      ocr_confidence: null,
    };
    if (withWords) result.words = words;
    return { page: result, usable: measureTextQuality(text).usable };
  } finally {
    page.destroy();
  }
}
