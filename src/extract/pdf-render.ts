/** Renders PDF pages with MuPDF: greyscale pixels for OCR, PNG for review screens. */
import * as mupdf from 'mupdf';
import type { GreyPixels } from './ocr-page.js';
import { readPageRotation } from './pdf-document.js';

/** Scans rendered at this resolution OCR well; higher costs time for little gain on body text. */
export const OCR_DPI = 200;
/** Oversized pages (posters, drawings) are rendered smaller rather than into gigantic bitmaps. */
const MAX_OCR_SIDE = 3300;

/** Greyscale pixels at the resolution the page was rendered at, ready for OCR. */
export interface RenderedForOcr extends GreyPixels {
  /** Page size in points and its /Rotate, reported on the page like a text-layer page. */
  pageWidth: number;
  pageHeight: number;
  rotation: number;
}

function copyPixels(pixmap: mupdf.Pixmap): Uint8Array {
  const width = pixmap.getWidth();
  const height = pixmap.getHeight();
  const stride = pixmap.getStride();
  // getPixels() is a view into WASM memory that dies with the pixmap; copy it out row by row.
  const source = pixmap.getPixels();
  if (stride === width) return new Uint8Array(source);
  const pixels = new Uint8Array(width * height);
  for (let row = 0; row < height; row++) pixels.set(source.subarray(row * stride, row * stride + width), row * width);
  return pixels;
}

export function renderPdfPageForOcr(document: mupdf.Document, index: number, maxPixels: number): RenderedForOcr {
  const page = document.loadPage(index);
  try {
    const [x0, y0, x1, y1] = page.getBounds();
    const widthPt = x1 - x0;
    const heightPt = y1 - y0;
    let dpi = OCR_DPI;
    dpi = Math.min(dpi, (MAX_OCR_SIDE * 72) / Math.max(widthPt, heightPt, 1));
    dpi = Math.min(dpi, Math.sqrt((maxPixels * 72 * 72) / Math.max(widthPt * heightPt, 1)));
    const scale = dpi / 72;
    const pixmap = page.toPixmap(mupdf.Matrix.scale(scale, scale), mupdf.ColorSpace.DeviceGray, false, true);
    try {
      return {
        width: pixmap.getWidth(),
        height: pixmap.getHeight(),
        pixels: copyPixels(pixmap),
        dpi,
        pageWidth: Math.round(widthPt * 100) / 100,
        pageHeight: Math.round(heightPt * 100) / 100,
        rotation: readPageRotation(page),
      };
    } finally {
      pixmap.destroy();
    }
  } finally {
    page.destroy();
  }
}

export function renderPdfPageToPng(document: mupdf.Document, index: number, maxDimension: number): Uint8Array {
  const page = document.loadPage(index);
  try {
    const [x0, y0, x1, y1] = page.getBounds();
    const scale = Math.min(maxDimension / Math.max(x1 - x0, y1 - y0, 1), 600 / 72);
    const pixmap = page.toPixmap(mupdf.Matrix.scale(scale, scale), mupdf.ColorSpace.DeviceRGB, false, true);
    try {
      return new Uint8Array(pixmap.asPNG());
    } finally {
      pixmap.destroy();
    }
  } finally {
    page.destroy();
  }
}
