/**
 * Evidence from a page image that the page is written by hand, from the statistics of its ink:
 * no OCR involved. Print sets letters of a few fixed heights side by side on a common baseline;
 * a hand joins letters into words, varies their height and lets the baseline wander.
 *
 * The page is shrunk to a working size, thresholded against its local background (photos are
 * unevenly lit), cleared of long straight rules (ruled paper, table borders, underlines), and cut
 * into connected components. Neighbouring components on a line are compared pairwise.
 */

/** Greyscale pixels, one byte each, rows packed (what OCR gets). */
export interface InkImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

export interface InkFeatures {
  /** Letter-sized components found (after rules and specks are dropped). */
  components: number;
  /** Neighbour pairs on a line that the pairwise measures below are taken over. */
  pairs: number;
  /** Share of the page's pixels that are ink. */
  inkShare: number;
  /** Share of neighbour pairs whose bottoms (or, on a page upside down, tops) line up within an eighth of their height. */
  baselineAligned: number;
  /** Share of neighbour pairs of the same height (within an eighth). */
  heightMatched: number;
  /** Interquartile range of component heights over their median: one type size gives little spread. */
  heightSpread: number;
}

/** Pages are measured at this long side: enough pixels for a letter, few enough to stay fast. */
const WORKING_SIDE = 1000;
/** Bradley's local threshold: ink is this much darker than the mean of its neighbourhood. */
const LOCAL_CONTRAST = 0.15;
/** Straight runs of ink longer than this share of the page's width or height are rules, not letters. */
const RULE_SHARE = 0.06;

/** Shrinks by an integer factor with box averaging, so thin strokes fade rather than vanish. */
function shrink(image: InkImage): InkImage {
  const factor = Math.max(1, Math.ceil(Math.max(image.width, image.height) / WORKING_SIDE));
  if (factor === 1) return image;
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const pixels = new Uint8Array(width * height);
  const area = factor * factor;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy++) {
        const row = (y * factor + dy) * image.width + x * factor;
        for (let dx = 0; dx < factor; dx++) sum += image.pixels[row + dx];
      }
      pixels[y * width + x] = Math.round(sum / area);
    }
  }
  return { width, height, pixels };
}

/** 1 where a pixel is clearly darker than its surroundings (Bradley–Roth, with an integral image). */
function threshold(image: InkImage): Uint8Array {
  const { width, height, pixels } = image;
  const integral = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let rowSum = 0;
    for (let x = 0; x < width; x++) {
      rowSum += pixels[y * width + x];
      integral[(y + 1) * (width + 1) + x + 1] = integral[y * (width + 1) + x + 1] + rowSum;
    }
  }
  const half = Math.max(7, Math.round(Math.max(width, height) / 80));
  const ink = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - half);
    const y1 = Math.min(height, y + half + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - half);
      const x1 = Math.min(width, x + half + 1);
      const sum =
        integral[y1 * (width + 1) + x1] -
        integral[y0 * (width + 1) + x1] -
        integral[y1 * (width + 1) + x0] +
        integral[y0 * (width + 1) + x0];
      const count = (x1 - x0) * (y1 - y0);
      if (pixels[y * width + x] * count < sum * (1 - LOCAL_CONTRAST)) ink[y * width + x] = 1;
    }
  }
  return ink;
}

/** Clears horizontal and vertical runs of ink longer than a rule's minimum length. */
function clearRules(ink: Uint8Array, width: number, height: number): void {
  const horizontal = Math.max(30, Math.round(width * RULE_SHARE));
  const vertical = Math.max(30, Math.round(height * RULE_SHARE));
  const marks = new Uint8Array(ink.length);
  for (let y = 0; y < height; y++) {
    let start = -1;
    for (let x = 0; x <= width; x++) {
      const on = x < width && ink[y * width + x] === 1;
      if (on && start < 0) start = x;
      if (!on && start >= 0) {
        if (x - start >= horizontal) for (let i = start; i < x; i++) marks[y * width + i] = 1;
        start = -1;
      }
    }
  }
  for (let x = 0; x < width; x++) {
    let start = -1;
    for (let y = 0; y <= height; y++) {
      const on = y < height && ink[y * width + x] === 1;
      if (on && start < 0) start = y;
      if (!on && start >= 0) {
        if (y - start >= vertical) for (let i = start; i < y; i++) marks[i * width + x] = 1;
        start = -1;
      }
    }
  }
  for (let i = 0; i < ink.length; i++) if (marks[i]) ink[i] = 0;
}

interface Component {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  area: number;
}

function findRoot(parent: Int32Array, label: number): number {
  let root = label;
  while (parent[root] !== root) root = parent[root];
  while (parent[label] !== root) {
    const next = parent[label];
    parent[label] = root;
    label = next;
  }
  return root;
}

/** 8-connected components, two passes with union-find. */
function findComponents(ink: Uint8Array, width: number, height: number): Component[] {
  const labels = new Int32Array(ink.length);
  const parent = new Int32Array(ink.length / 2 + 2);
  let next = 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const index = y * width + x;
      if (!ink[index]) continue;
      // Already labelled neighbours: left, and the three above.
      let label = 0;
      for (let k = 0; k < 4; k++) {
        let neighbour = 0;
        if (k === 0) neighbour = x > 0 ? labels[index - 1] : 0;
        else if (y > 0) {
          const dx = k - 2;
          if (x + dx >= 0 && x + dx < width) neighbour = labels[index - width + dx];
        }
        if (neighbour === 0) continue;
        if (label === 0) label = neighbour;
        else if (neighbour !== label) {
          const a = findRoot(parent, label);
          const b = findRoot(parent, neighbour);
          if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
        }
      }
      if (label === 0) {
        if (next >= parent.length) return [];
        label = next++;
        parent[label] = label;
      }
      labels[index] = label;
    }
  }
  const slot = new Int32Array(next).fill(-1);
  const components: Component[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const index = y * width + x;
      if (!labels[index]) continue;
      const root = findRoot(parent, labels[index]);
      let position = slot[root];
      if (position < 0) {
        position = slot[root] = components.length;
        components.push({ x0: x, y0: y, x1: x, y1: y, area: 0 });
      }
      const component = components[position];
      if (x < component.x0) component.x0 = x;
      if (x > component.x1) component.x1 = x;
      if (y > component.y1) component.y1 = y;
      component.area++;
    }
  }
  return components;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

const EMPTY: InkFeatures = { components: 0, pairs: 0, inkShare: 0, baselineAligned: 0, heightMatched: 0, heightSpread: 0 };

export function measureInk(image: InkImage): InkFeatures {
  if (image.width < 16 || image.height < 16) return EMPTY;
  const small = shrink(image);
  const { width, height } = small;
  const ink = threshold(small);
  clearRules(ink, width, height);
  let inkPixels = 0;
  for (let i = 0; i < ink.length; i++) inkPixels += ink[i];
  const longSide = Math.max(width, height);
  // Letters: taller than a speck, shorter than a headline, not a long thin rule or a picture's outline.
  const letters = findComponents(ink, width, height).filter((c) => {
    const w = c.x1 - c.x0 + 1;
    const h = c.y1 - c.y0 + 1;
    return h >= 4 && c.area >= 8 && h <= longSide * 0.08 && w <= width * 0.25 && c.area / (w * h) >= 0.08;
  });
  if (letters.length < 10) return { ...EMPTY, components: letters.length, inkShare: inkPixels / ink.length };

  // Text may stand sideways (a turned scan): the pairs are measured both ways, and the more
  // regular reading is the page's. Handwriting is irregular either way.
  const upright = measurePairs(letters);
  const sideways = measurePairs(letters.map((c) => ({ x0: c.y0, y0: c.x0, x1: c.y1, y1: c.x1, area: c.area })));
  const regular = sideways.heightMatched + sideways.baselineAligned > upright.heightMatched + upright.baselineAligned ? sideways : upright;
  return {
    components: letters.length,
    pairs: regular.pairs,
    inkShare: inkPixels / ink.length,
    baselineAligned: regular.baselineAligned,
    heightMatched: regular.heightMatched,
    heightSpread: regular.heightSpread,
  };
}

interface PairMeasures {
  pairs: number;
  baselineAligned: number;
  heightMatched: number;
  heightSpread: number;
}

/**
 * Pairs each letter with its right-hand neighbour on its line: the nearest one starting to its
 * right that overlaps it vertically by half the smaller height. Bottoms or tops may align (a
 * page upside down stands on its tops).
 */
function measurePairs(letters: Component[]): PairMeasures {
  const heights = letters.map((c) => c.y1 - c.y0 + 1).sort((a, b) => a - b);
  const medianHeight = Math.max(1, quantile(heights, 0.5));
  const byLeft = [...letters].sort((a, b) => a.x0 - b.x0);
  let pairs = 0;
  let bottoms = 0;
  let tops = 0;
  let matched = 0;
  for (let i = 0; i < byLeft.length; i++) {
    const a = byLeft[i];
    const ha = a.y1 - a.y0 + 1;
    const reach = a.x1 + 1.5 * ha;
    const middle = a.x0 + (a.x1 - a.x0) / 2;
    let best: Component | null = null;
    let bestGap = Infinity;
    for (let j = i + 1; j < byLeft.length && byLeft[j].x0 <= reach; j++) {
      const b = byLeft[j];
      if (b.x0 <= middle) continue;
      const hb = b.y1 - b.y0 + 1;
      const overlap = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) + 1;
      if (overlap < 0.5 * Math.min(ha, hb) || hb > 3 * ha || ha > 3 * hb) continue;
      const gap = b.x0 - a.x1;
      if (gap < bestGap) {
        bestGap = gap;
        best = b;
      }
    }
    if (!best) continue;
    const hb = best.y1 - best.y0 + 1;
    const tolerance = Math.max(ha, hb) / 8 + 0.5;
    pairs++;
    if (Math.abs(a.y1 - best.y1) <= tolerance) bottoms++;
    if (Math.abs(a.y0 - best.y0) <= tolerance) tops++;
    if (Math.abs(ha - hb) <= tolerance) matched++;
  }
  return {
    pairs,
    baselineAligned: pairs > 0 ? Math.max(bottoms, tops) / pairs : 0,
    heightMatched: pairs > 0 ? matched / pairs : 0,
    heightSpread: (quantile(heights, 0.75) - quantile(heights, 0.25)) / medianHeight,
  };
}

function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}

/** Score at or above which a page counts as handwritten (eval/README.md has how it separates). */
export const HANDWRITING_THRESHOLD = 0.6;

/**
 * 0..1: how strongly the ink says the page is written by hand. Three signs of a hand, each
 * 0 where print typically stands and 1 where handwriting does: neighbours of unequal height,
 * a wide spread of heights, and bottoms off a common baseline. Their mean is discounted on
 * pages heavy with ink (photos, halftones and posters make irregular blobs, not strokes) and on
 * pages with too few letter pairs to judge.
 */
export function scoreHandwriting(features: InkFeatures): number {
  const unequalHeights = clamp01((0.5 - features.heightMatched) / 0.2);
  const spreadHeights = clamp01((features.heightSpread - 0.5) / 0.4);
  const offBaseline = clamp01((0.8 - features.baselineAligned) / 0.3);
  const strokes = clamp01((0.2 - features.inkShare) / 0.06);
  const enough = clamp01(features.pairs / 30);
  return Math.round(((unequalHeights + spreadHeights + offBaseline) / 3) * strokes * enough * 1000) / 1000;
}
