/**
 * Pages rebuilt from plain text, and the layout a text alone still shows. Examples of the learned
 * layer are kept as text, so the page being classified is seen the same way when it is compared
 * with them: line structure (short label lines, colons, numbered clauses, money columns) survives
 * in the text, font sizes and pictures do not.
 */
import type { Page } from '../core/document.js';
import { LAYOUT_CUES } from './knowledge/document-type.js';
import { measureLayout } from './measure-layout.js';
import { weighPageLines } from './page-lines.js';

export function buildTextPage(index: number, text: string): Page {
  const lines = text.split('\n').filter((line) => line.trim().length > 0);
  return {
    page: index,
    source: 'text',
    text,
    lines: lines.map((line, i) => ({ text: line, x0: 0, y0: i / Math.max(lines.length, 1), x1: 1, y1: (i + 1) / Math.max(lines.length, 1), size: 10 })),
    width: 612,
    height: 792,
    rotation: 0,
    ocr_confidence: null,
  };
}

function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}

/**
 * The shape of a text's lines, each 0..1: how many lines there are, how long they are, how many
 * are short labels, shouted headings or mostly digits. On noisy scans these transfer between
 * documents of a type better than the words do.
 */
function measureLineShape(text: string): number[] {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  const count = Math.max(lines.length, 1);
  const wordCounts = lines.map((line) => line.split(/\s+/).length);
  const words = wordCounts.reduce((sum, value) => sum + value, 0);
  const short = wordCounts.filter((value) => value <= 3).length;
  const long = wordCounts.filter((value) => value >= 10).length;
  const shouted = lines.filter((line) => {
    const letters = line.replace(/[^A-Za-z]/g, '');
    return letters.length >= 3 && letters === letters.toUpperCase();
  }).length;
  const characters = text.replace(/\s/g, '');
  const digits = characters.replace(/\D/g, '').length;
  return [
    clamp01(Math.log1p(lines.length) / Math.log1p(120)),
    clamp01(Math.log1p(words) / Math.log1p(1200)),
    clamp01(words / count / 15),
    short / count,
    long / count,
    shouted / count,
    characters.length > 0 ? clamp01((digits / characters.length) * 3) : 0,
  ];
}

/**
 * Unit-length layout vector of up to three page texts: the layout cues measured on each rebuilt
 * page plus its line shape, averaged over the pages. Empty texts give all zeros.
 */
export function measureTextLayout(pageTexts: string[]): number[] {
  const texts = pageTexts.filter((text) => text.trim().length > 0).slice(0, 3);
  const size = LAYOUT_CUES.length + 7;
  const sum: number[] = new Array(size).fill(0);
  texts.forEach((text, index) => {
    const page = buildTextPage(index, text);
    const cues = measureLayout(page, weighPageLines(page));
    const vector = [...LAYOUT_CUES.map((cue) => cues[cue] ?? 0), ...measureLineShape(text)];
    vector.forEach((value, position) => (sum[position] += value));
  });
  const norm = Math.sqrt(sum.reduce((total, value) => total + value * value, 0));
  return norm > 0 ? sum.map((value) => Math.round((value / norm) * 1e4) / 1e4) : sum;
}

export function dotProduct(a: number[], b: number[]): number {
  let sum = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) sum += a[i] * b[i];
  return sum;
}
