/** What extraction produces and classification consumes: a file read into pages of text. */

export const SUPPORTED_FILE_TYPES = ['pdf', 'jpeg', 'png', 'gif', 'webp', 'bmp', 'tiff'] as const;
export type FileType = (typeof SUPPORTED_FILE_TYPES)[number];

export const MIME_TYPES: Record<FileType, string> = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
};

/** A word with its box normalised to the page: 0..1 from the top-left corner. */
export interface Word {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Font size in points for text layers; box height in points for OCR. */
  size: number;
}

/** A line in reading order. Position and size let classifiers weigh titles and headers more. */
export interface Line {
  text: string;
  /** Box normalised 0..1 like `Word`. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Largest font size on the line, in points. */
  size: number;
  bold?: boolean;
}

export type PageSource = 'text' | 'ocr';

export interface PageError {
  code: string;
  message: string;
}

export interface Page {
  /** 0-based index in the original file (not in the selection). */
  page: number;
  source: PageSource;
  text: string;
  lines: Line[];
  /** Present when words were asked for. */
  words?: Word[];
  /** Page size in points (PDF) or pixels (images). */
  width: number;
  height: number;
  /** Degrees clockwise the page content was turned to read it upright: 0, 90, 180 or 270. */
  rotation: number;
  /** 0..1 mean word confidence for OCR pages; null for text-layer pages. */
  ocr_confidence: number | null;
  /** 0..1 evidence from the image that the page is handwritten; OCR pages only. */
  handwriting?: number;
  /**
   * OCR pages: the tesseract language model that read the page ('eng', 'deu', 'fra', 'spa', 'ita',
   * 'por', 'nld', 'ces', 'chi_sim', 'jpn', 'kor'), chosen from the script and a first English
   * reading. Absent on text-layer pages.
   */
  language?: string;
  /** Set when this page could not be read; the rest of the document still is. */
  error?: PageError;
}

export interface ExtractedDocument {
  type: FileType;
  /** Pages in the whole file, read or not. */
  num_pages: number;
  /** The selected pages, in order. */
  pages: Page[];
  duration_ms: number;
}

export interface ExtractOptions {
  /** 1-based ranges like "1-3,5" (the public API and CLI speak 1-based page ranges). */
  pageRange?: string;
  maxPages?: number;
  password?: string;
  /** Include per-word boxes. */
  words?: boolean;
  /** Abort after this many milliseconds with `timeout`. */
  timeoutMs?: number;
}

/** Bounds that protect the service from oversized or hostile input; every field can be overridden. */
export interface ExtractLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number;
  /** Most pages read from one file (after a page range or max_pages is applied). */
  maxPages: number;
  /** Largest image (or image page) by pixel count, checked from the header before decoding. */
  maxImagePixels: number;
  /** Wall-clock budget for one file. */
  timeoutMs: number;
}

export const DEFAULT_EXTRACT_LIMITS: Readonly<ExtractLimits> = Object.freeze({
  maxFileBytes: 500 * 1024 * 1024,
  maxPages: 2000,
  maxImagePixels: 100_000_000,
  timeoutMs: 10 * 60 * 1000,
});
