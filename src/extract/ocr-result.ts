/** Turns tesseract.js output into docsort lines and words (boxes normalised, sizes in points). */
import type { Line, Word } from '../core/document.js';

export interface TesseractBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The parts of tesseract.js's result we read (its `blocks` output). */
export interface TesseractPageData {
  text: string;
  confidence: number;
  blocks: Array<{
    paragraphs: Array<{
      lines: Array<{
        text: string;
        confidence: number;
        bbox: TesseractBox;
        words: Array<{ text: string; confidence: number; bbox: TesseractBox; font_name?: string }>;
      }>;
    }>;
  }> | null;
}

export interface OcrText {
  text: string;
  lines: Line[];
  words: Word[];
  /** 0..1 mean word confidence. */
  confidence: number;
}

/** Chinese and Japanese characters and punctuation: written without spaces between words. */
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff01-\uff65\u30fc]/u;

/**
 * A line's words joined as the line is written: tesseract reports each Chinese or Japanese
 * character or run as its own "word", but such text has no spaces (text layers have none), so
 * two of them meet without one. Korean, which spaces its words, keeps them.
 */
export function joinLineWords(words: readonly string[]): string {
  let text = '';
  let previous = '';
  for (const word of words) {
    if (previous && !(UNSPACED_SCRIPT.test([...previous].at(-1)!) && UNSPACED_SCRIPT.test(String.fromCodePoint(word.codePointAt(0)!))))
      text += ' ';
    text += word;
    previous = word;
  }
  return text;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * `width`/`height` are the OCR'd image's pixels; `dpi` its resolution, so heights can be
 * reported in points like text-layer font sizes.
 */
export function toOcrText(data: TesseractPageData, width: number, height: number, dpi: number): OcrText {
  const nx = (x: number) => round(Math.min(1, Math.max(0, x / width)), 4);
  const ny = (y: number) => round(Math.min(1, Math.max(0, y / height)), 4);
  const points = (pixels: number) => round((pixels * 72) / dpi, 2);
  const lines: Line[] = [];
  const words: Word[] = [];
  const paragraphTexts: string[] = [];
  let confidenceSum = 0;
  let confidenceCount = 0;
  for (const block of data.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      const lineTexts: string[] = [];
      for (const line of paragraph.lines) {
        const lineWords = line.words.filter((word) => word.text.trim().length > 0);
        const text = joinLineWords(lineWords.map((word) => word.text.trim()));
        if (!text) continue;
        lineTexts.push(text);
        // A line's box height includes ascenders and descenders; the tallest word is the closest to a font size.
        const size = Math.max(...lineWords.map((word) => word.bbox.y1 - word.bbox.y0));
        lines.push({ text, x0: nx(line.bbox.x0), y0: ny(line.bbox.y0), x1: nx(line.bbox.x1), y1: ny(line.bbox.y1), size: points(size) });
        for (const word of lineWords) {
          words.push({
            text: word.text.trim(),
            x0: nx(word.bbox.x0),
            y0: ny(word.bbox.y0),
            x1: nx(word.bbox.x1),
            y1: ny(word.bbox.y1),
            size: points(word.bbox.y1 - word.bbox.y0),
          });
          confidenceSum += word.confidence;
          confidenceCount++;
        }
      }
      if (lineTexts.length > 0) paragraphTexts.push(lineTexts.join('\n'));
    }
  }
  const confidence = confidenceCount > 0 ? confidenceSum / confidenceCount / 100 : 0;
  return { text: paragraphTexts.join('\n\n'), lines, words, confidence: round(confidence, 3) };
}
