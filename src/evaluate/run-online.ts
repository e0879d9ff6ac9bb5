/**
 * `docsort eval --online`: one or more document manifests (several make one stream, as a user's
 * mixed inbox does), in a seeded random order, through the review loop of review-loop.ts with the
 * real engine and the product's way of turning a reviewed document into an example.
 */
import { UNKNOWN, type ClassifierDefinition } from '../core/classifier.js';
import { AppError } from '../core/errors.js';
import type { Extractor } from '../core/ports.js';
import { classifyPagesSync, trainClassifierModel } from '../classify/classify-pages.js';
import { createClassifier } from '../classify/in-process-classifier.js';
import type { LearnedModel } from '../classify/learned/learned-model.js';
import { PageCache } from './page-cache.js';
import { readManifest, type ManifestRow } from './read-manifest.js';
import { replayReviews, type LoopOutcome, type LoopStep, type ReviewLoopEngine } from './review-loop.js';
import { extractAll } from './run-eval.js';
import { seededOrder } from './split-manifest.js';

export interface OnlineEvalOptions {
  manifestPaths: string[];
  classifier: ClassifierDefinition;
  extractor: Extractor;
  cacheDir: string | null;
  seed?: number;
  concurrency?: number;
  onProgress?: (done: number, total: number, file: string) => void;
}

export interface OnlineEvalResult extends Omit<LoopOutcome, 'steps'> {
  manifests: string[];
  seed: number;
  pages: number;
  extract_seconds: number;
  /** Wall time of the loop: classifying every document twice (zero-shot and online) and training. */
  loop_seconds: number;
  failed: { file: string; error: string; message: string }[];
  /** Every wrong online answer, in the order met. */
  mistakes: LoopStep[];
}

/** The product's engine: the same classification, training and example description the API uses. */
export function productEngine(classifier: ClassifierDefinition): ReviewLoopEngine<LearnedModel> {
  const product = createClassifier();
  return {
    classify: (pages, model) => classifyPagesSync(pages, { classifier }, model).classification.class,
    train: (examples) => trainClassifierModel(examples, classifier),
    describeExample: (pages) => product.describeExample(pages),
  };
}

async function readDocumentRows(manifestPaths: string[]): Promise<ManifestRow[]> {
  const rows: ManifestRow[] = [];
  for (const manifestPath of manifestPaths) {
    const manifest = await readManifest(manifestPath);
    // A bundle's review would be one label for pages of several documents; the loop is for documents.
    if (manifest.kind === 'bundles')
      throw new AppError(
        'invalid_request',
        `Manifest ${manifestPath} is a bundle manifest; --online takes document manifests (file,label).`,
      );
    rows.push(...manifest.rows);
  }
  return rows;
}

export async function runOnlineEval(options: OnlineEvalOptions): Promise<OnlineEvalResult> {
  const seed = options.seed ?? 1;
  const rows = seededOrder(await readDocumentRows(options.manifestPaths), seed);
  const timing = { seconds: 0 };
  const extracted = await extractAll(rows, new PageCache(options.extractor, options.cacheDir), options, timing);
  const classNames = new Set(options.classifier.classes.map((definition) => definition.name));
  const documents = extracted.map((entry) => ({
    file: entry.row.file,
    // As in runEval: a gold label that is no class of the classifier is right only as `unknown`.
    gold: classNames.has(entry.row.label) ? entry.row.label : UNKNOWN,
    pages: entry.error ? null : entry.pages,
  }));
  const started = performance.now();
  const { steps, ...outcome } = replayReviews(documents, productEngine(options.classifier));
  return {
    manifests: options.manifestPaths,
    seed,
    ...outcome,
    pages: extracted.reduce((sum, entry) => sum + entry.pages.length, 0),
    extract_seconds: Math.round(timing.seconds * 1000) / 1000,
    loop_seconds: Math.round(performance.now() - started) / 1000,
    failed: extracted
      .filter((entry) => entry.error)
      .map((entry) => ({ file: entry.row.file, error: entry.error!.code, message: entry.error!.message })),
    mistakes: steps.filter((step) => step.predicted !== step.gold),
  };
}
