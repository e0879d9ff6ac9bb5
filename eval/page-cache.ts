/**
 * Extraction with a cache keyed by file content: a second evaluation of the same corpus reads
 * pages from `.cache/pages/` instead of OCR-ing again. The key includes the extract options.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExtractedDocument, ExtractOptions } from '../src/core/document.js';
import type { Extractor } from '../src/core/ports.js';

/** Bumped when the cached shape changes. */
const CACHE_FORMAT = 1;

export interface CachedExtraction {
  document: ExtractedDocument;
  /** Seconds spent extracting now; 0 when read from the cache. */
  seconds: number;
  cached: boolean;
}

export class PageCache {
  constructor(
    private readonly extractor: Extractor,
    private readonly directory: string | null,
  ) {}

  async extract(filePath: string, options: ExtractOptions = {}): Promise<CachedExtraction> {
    const bytes = await readFile(filePath);
    const key = createHash('sha256').update(bytes).update(JSON.stringify({ CACHE_FORMAT, options })).digest('hex');
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
