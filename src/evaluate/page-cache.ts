/**
 * Extraction with a cache keyed by file content: a second evaluation of the same corpus reads
 * pages from `.cache/pages/` instead of OCR-ing again. The key includes the extract options and a
 * fingerprint of the extractor's compiled code, so a changed extractor never serves stale pages.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExtractedDocument, ExtractOptions } from '../core/document.js';
import type { Extractor } from '../core/ports.js';

/** Bumped when the cached shape changes. */
const CACHE_FORMAT = 1;

/** The compiled extractor beside this file: dist/src/evaluate/page-cache.js → dist/src/extract. */
const EXTRACTOR_CODE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../extract');

/**
 * A hash of the extractor's code (the .js files of a folder, tests left out): any change to how
 * pages are extracted gives new cache keys. An unreadable folder gives a constant.
 */
export async function fingerprintCode(directory: string): Promise<string> {
  const hash = createHash('sha256');
  let names: string[] = [];
  try {
    names = (await readdir(directory)).filter((name) => name.endsWith('.js') && !name.endsWith('.test.js')).sort();
  } catch {
    return 'unknown';
  }
  for (const name of names) hash.update(name).update(await readFile(path.join(directory, name)));
  return hash.digest('hex').slice(0, 16);
}

export interface CachedExtraction {
  document: ExtractedDocument;
  /** Seconds spent extracting now; 0 when read from the cache. */
  seconds: number;
  cached: boolean;
}

export class PageCache {
  private fingerprint: Promise<string> | null = null;

  constructor(
    private readonly extractor: Extractor,
    private readonly directory: string | null,
    private readonly extractorCode: string = EXTRACTOR_CODE,
  ) {}

  async extract(filePath: string, options: ExtractOptions = {}): Promise<CachedExtraction> {
    const bytes = await readFile(filePath);
    this.fingerprint ??= fingerprintCode(this.extractorCode);
    const extractor = await this.fingerprint;
    const key = createHash('sha256').update(bytes).update(JSON.stringify({ CACHE_FORMAT, options, extractor })).digest('hex');
    const cacheFile = this.directory ? path.join(this.directory, key.slice(0, 2), `${key}.json`) : null;
    if (cacheFile) {
      try {
        return { document: JSON.parse(await readFile(cacheFile, 'utf8')) as ExtractedDocument, seconds: 0, cached: true };
      } catch {
        // not cached yet
      }
    }
    const started = performance.now();
    const document = await this.extractor.extractFile(filePath, options);
    const seconds = (performance.now() - started) / 1000;
    if (cacheFile) {
      await mkdir(path.dirname(cacheFile), { recursive: true });
      const temporary = `${cacheFile}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(document));
      await rename(temporary, cacheFile);
    }
    return { document, seconds, cached: false };
  }
}
