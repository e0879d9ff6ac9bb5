/** `docsort extract FILE…`: read files into pages of text and print them, as JSON Lines or a summary. */
import { parseCommandLine, UsageError } from './parse-command-line.js';
import type { ExtractedDocument, ExtractOptions, Page } from '../core/document.js';
import { isAppError, toAppError, type AppError } from '../core/errors.js';
import { createExtractor } from '../extract/index.js';
import { validatePageRange } from '../core/page-range.js';

const USAGE = `Usage: docsort extract FILE… [options]

Reads PDFs and images (PDF, JPEG, PNG, GIF, WebP, BMP, TIFF) into pages of text: the PDF text
layer where there is a usable one, OCR otherwise (scans, photos, image-only pages).

Options:
  --pages R        1-based pages to read, e.g. "1-3,5" or "2-" (default: all)
  --max-pages N    read at most N of the selected pages
  --password P     password of an encrypted PDF
  --timeout S      give up on one file after S seconds (default: 600)
  --threads N      worker threads and OCR workers (default: one per core); fewer use less memory
  --json           print JSON Lines: one JSON object per file, one file per line, in the
                   order given:
                     {"file","type","num_pages","pages":[{"page" (0-based),"source" ("text"|"ocr"),
                      "text","width","height","rotation","ocr_confidence","language",
                      "handwriting" (OCR pages: 0..1 evidence from the image)}],"duration_ms"}
                   a page that could not be read has "error": {"code","message"};
                   a file that could not be read prints {"file","error":{"code","message"}}
  --words          with --json, add each page's "words" (text and box normalised 0..1)
  -h, --help       show this help

Exit status: 0 when every file was read, 1 when any file failed (one line per failed file on
stderr: "FILE: error_code: message"), 2 for a usage error.`;

interface CliOptions {
  files: string[];
  extract: ExtractOptions;
  json: boolean;
  threads: number | undefined;
}

function parseCli(argv: string[]): CliOptions | 'help' {
  const { values, positionals } = parseCommandLine(argv, {
    pages: { type: 'string' },
    'max-pages': { type: 'string' },
    password: { type: 'string' },
    timeout: { type: 'string' },
    threads: { type: 'string' },
    json: { type: 'boolean', default: false },
    words: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) return 'help';
  if (positionals.length === 0) throw new UsageError('no file given');
  const extract: ExtractOptions = { words: values.words };
  if (values.pages !== undefined) {
    try {
      validatePageRange(values.pages);
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    extract.pageRange = values.pages;
  }
  if (values['max-pages'] !== undefined) extract.maxPages = parsePositiveInteger('--max-pages', values['max-pages']);
  if (values.timeout !== undefined) extract.timeoutMs = parsePositiveInteger('--timeout', values.timeout) * 1000;
  if (values.password !== undefined) extract.password = values.password;
  const threads = values.threads !== undefined ? parsePositiveInteger('--threads', values.threads) : undefined;
  return { files: positionals, extract, json: values.json, threads };
}

function parsePositiveInteger(name: string, value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1)
    throw new UsageError(`${name} takes a whole number of at least 1 (got "${value}")`);
  return number;
}

function toJsonPage(page: Page, words: boolean): Record<string, unknown> {
  const json: Record<string, unknown> = {
    page: page.page,
    source: page.source,
    text: page.text,
    width: page.width,
    height: page.height,
    rotation: page.rotation,
    ocr_confidence: page.ocr_confidence,
  };
  if (page.handwriting !== undefined) json.handwriting = page.handwriting;
  if (page.language) json.language = page.language;
  if (words) json.words = page.words ?? [];
  if (page.error) json.error = page.error;
  return json;
}

function formatJson(file: string, result: ExtractedDocument | AppError, words: boolean): string {
  if (isAppError(result)) return JSON.stringify({ file, error: { code: result.code, message: result.message } });
  return JSON.stringify({
    file,
    type: result.type,
    num_pages: result.num_pages,
    pages: result.pages.map((page) => toJsonPage(page, words)),
    duration_ms: result.duration_ms,
  });
}

function formatSummary(file: string, result: ExtractedDocument): string {
  const ocrPages = result.pages.filter((page) => page.source === 'ocr').length;
  const lines = [
    `${file}: ${result.type}, ${result.num_pages} page(s), ${result.pages.length} read (${result.pages.length - ocrPages} text layer, ${ocrPages} OCR) in ${result.duration_ms} ms`,
  ];
  for (const page of result.pages) {
    const facts = [`page ${page.page + 1}`, page.source, `${page.text.length} chars`];
    if (page.ocr_confidence !== null) facts.push(`confidence ${page.ocr_confidence.toFixed(2)}`);
    if (page.handwriting !== undefined && page.handwriting >= 0.5) facts.push(`handwriting ${page.handwriting.toFixed(2)}`);
    if (page.language) facts.push(`language ${page.language}`);
    if (page.rotation !== 0) facts.push(`rotated ${page.rotation}°`);
    if (page.error) facts.push(`error ${page.error.code}: ${page.error.message}`);
    const firstLine = page.lines[0]?.text ?? '';
    lines.push(`  ${facts.join(', ')}${firstLine ? ` | ${firstLine.slice(0, 80)}` : ''}`);
  }
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  let options: CliOptions | 'help';
  try {
    options = parseCli(argv);
  } catch (error) {
    process.stderr.write(`docsort extract: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { files, extract, json, threads } = options;
  const extractor = createExtractor(threads !== undefined ? { threads } : {});
  let failures = 0;
  try {
    // Files are read a few at a time to use every core, and printed in the order given.
    const pending = files.map(() => null as Promise<ExtractedDocument | AppError> | null);
    const start = (index: number) => {
      pending[index] ??= extractor.extractFile(files[index], extract).catch((error: unknown) => toAppError(error));
      return pending[index];
    };
    const lookahead = 2;
    for (let index = 0; index < files.length; index++) {
      for (let ahead = index; ahead < Math.min(files.length, index + lookahead); ahead++) void start(ahead);
      const result = await start(index);
      pending[index] = null;
      if (isAppError(result)) {
        failures++;
        process.stderr.write(`${files[index]}: ${result.code}: ${result.message}\n`);
        if (json) process.stdout.write(`${formatJson(files[index], result, extract.words === true)}\n`);
        continue;
      }
      process.stdout.write(`${json ? formatJson(files[index], result, extract.words === true) : formatSummary(files[index], result)}\n`);
    }
  } finally {
    await extractor.close();
  }
  return failures === 0 ? 0 : 1;
}
