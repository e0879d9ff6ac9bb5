/**
 * One evaluation: read a manifest, extract every file (through the page cache), classify with
 * the engine alone on the clock, compare with gold, and add the naive baseline's accuracy.
 */
import path from 'node:path';
import { UNKNOWN, type ClassifierDefinition, type TrainingExample } from '../core/classifier.js';
import type { Page } from '../core/document.js';
import { AppError, toAppError } from '../core/errors.js';
import type { ChatModel, Extractor } from '../core/ports.js';
import { binReliability, type ReliabilityBin } from '../classify/calibrate.js';
import { classifyPagesSync, scorePages, trainClassifierModel } from '../classify/classify-pages.js';
import { onBuiltinEngine } from '../classify/in-process-classifier.js';
import { classifyWithModelServer, usesModelServer } from '../classify/llm/classify-with-model-server.js';
import { signDocument } from '../classify/learned/layout-signature.js';
import { measureGroups, type GroupAccuracy } from './group-accuracy.js';
import {
  measureBundles,
  measureDocuments,
  scoreBundle,
  type BundleMetrics,
  type BundleScore,
  type DocumentMetrics,
  type DocumentPrediction,
} from './measure-accuracy.js';
import { predictBaseline } from './naive-baseline.js';
import { PageCache } from './page-cache.js';
import { readManifest, type ManifestRow } from './read-manifest.js';
import { pickShots, splitHalves } from './split-manifest.js';

export interface EvalOptions {
  manifestPath: string;
  classifier: ClassifierDefinition;
  extractor: Extractor;
  /** Folder for cached pages; null turns the cache off. */
  cacheDir: string | null;
  examplesPath?: string;
  shots?: number;
  seed?: number;
  /** Evaluate on this half of the manifest; examples then come from the other half of theirs. */
  splitHalf?: 0 | 1;
  /** Files extracted at once. */
  concurrency?: number;
  onProgress?: (done: number, total: number, file: string) => void;
  /** Gold labels renamed (old → new) in both manifests, for a classifier whose classes are named otherwise. */
  labelMap?: Record<string, string>;
  /** A manifest column (`repo`, `lang`, …) to report accuracy per value of, in `per_group`. */
  groupBy?: string;
  /** The model server a classifier on the `llm` or `cascade` engine asks. */
  chat?: ChatModel | null;
}

export interface Misclassified extends DocumentPrediction {
  pages: number;
}

export interface EvalResult extends DocumentMetrics, Partial<BundleMetrics> {
  manifest: string;
  baseline_accuracy: number;
  pages_per_second: number;
  extract_seconds: number;
  pages: number;
  examples: number;
  split_half: 0 | 1 | null;
  seed: number;
  failed: { file: string; error: string; message: string }[];
  misclassified: Misclassified[];
  reliability: ReliabilityBin[];
  /** With `groupBy`: the column, and accuracy and count per value (documents; pages for bundles). */
  group_by?: string;
  per_group?: Record<string, GroupAccuracy>;
  /** The engine measured: builtin, llm or cascade. */
  engine: string;
  /** With the llm or cascade engine: what the model server was asked, summed over the documents. */
  llm?: { calls: number; pages: number; input_tokens: number; output_tokens: number };
}

export interface Extracted {
  row: ManifestRow;
  pages: Page[];
  error?: { code: string; message: string };
}

/** Extracts the rows' files through the cache, `concurrency` at a time; a failure is kept per file. */
export async function extractAll(
  rows: ManifestRow[],
  cache: PageCache,
  options: Pick<EvalOptions, 'concurrency' | 'onProgress'>,
  timing: { seconds: number },
): Promise<Extracted[]> {
  const results: Extracted[] = new Array(rows.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < rows.length) {
      const index = next++;
      const row = rows[index];
      try {
        const extraction = await cache.extract(row.path);
        timing.seconds += extraction.seconds;
        results[index] = { row, pages: extraction.document.pages };
      } catch (error) {
        const appError = toAppError(error);
        results[index] = { row, pages: [], error: { code: appError.code, message: appError.message } };
      }
      options.onProgress?.(++done, rows.length, row.file);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  return results;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Renames gold labels; applied after halves and shots are chosen, so renamed runs see the same files. */
function relabelRows(rows: ManifestRow[], labelMap: Record<string, string> | undefined): ManifestRow[] {
  if (!labelMap) return rows;
  const rename = (label: string) => labelMap[label] ?? label;
  return rows.map((row) => ({
    ...row,
    label: rename(row.label),
    segments: row.segments?.map((segment) => ({ ...segment, class: rename(segment.class) })),
  }));
}

export async function runEval(options: EvalOptions): Promise<EvalResult> {
  const seed = options.seed ?? 1;
  const manifest = await readManifest(options.manifestPath);
  const groupColumn = options.groupBy?.trim().toLowerCase();
  if (groupColumn !== undefined && !manifest.columns.includes(groupColumn)) {
    throw new AppError(
      'invalid_request',
      `Manifest ${options.manifestPath} has no column "${options.groupBy}" to group by; its columns are ${manifest.columns.join(', ')}.`,
    );
  }
  const groupOf = (row: ManifestRow) => (groupColumn === undefined ? '' : (row.columns?.[groupColumn] ?? ''));
  const chosen = options.splitHalf === undefined ? manifest.rows : splitHalves(manifest.rows, seed)[options.splitHalf];
  const rows = relabelRows(chosen, options.labelMap);
  const cache = new PageCache(options.extractor, options.cacheDir);
  const timing = { seconds: 0 };

  let examples: TrainingExample[] = [];
  if (options.examplesPath) {
    const exampleManifest = await readManifest(options.examplesPath);
    const pool = options.splitHalf === undefined ? exampleManifest.rows : splitHalves(exampleManifest.rows, seed)[1 - options.splitHalf];
    const evaluated = new Set(rows.map((row) => row.path));
    const shots = relabelRows(
      pickShots(
        pool.filter((row) => !evaluated.has(row.path)),
        options.shots ?? 5,
        seed,
      ),
      options.labelMap,
    );
    const extracted = await extractAll(shots, cache, { ...options, onProgress: undefined }, timing);
    examples = extracted
      .filter((entry) => !entry.error)
      .map((entry) => ({
        class: entry.row.label,
        pages: entry.pages.map((page) => page.text),
        source: 'example' as const,
        name: path.basename(entry.row.file),
        layout: signDocument(entry.pages) ?? undefined,
      }));
  }

  const extracted = await extractAll(rows, cache, options, timing);
  const isBundle = manifest.kind === 'bundles';
  const classifier: ClassifierDefinition = isBundle
    ? { ...options.classifier, settings: { ...options.classifier.settings, mode: 'split' } }
    : options.classifier;
  const classNames = new Set(classifier.classes.map((definition) => definition.name));
  // A gold label that is no class of the classifier ("other") is right only as `unknown`.
  const toGold = (label: string | undefined) => (label !== undefined && classNames.has(label) ? label : UNKNOWN);

  const chat = options.chat ?? null;
  const asksModel = usesModelServer(classifier);
  if (asksModel && !chat)
    throw new AppError(
      'invalid_configuration',
      `The ${classifier.settings?.engine} engine needs a model server: set LLM_BASE_URL and LLM_MODEL.`,
    );
  // The learned layer and the cascade's first stage run on the builtin engine.
  const builtinClassifier = onBuiltinEngine(classifier);

  // Warm the engine up (JIT, compiled classifier) on a few documents first: engine start is a
  // separate measurement (bench-classify), pages_per_second is the steady rate.
  for (const entry of extracted.filter((item) => !item.error).slice(0, 5))
    classifyPagesSync(entry.pages, { classifier: builtinClassifier });

  let engineSeconds = 0;
  let pageCount = 0;
  const started = performance.now();
  const model = examples.length > 0 ? trainClassifierModel(examples, builtinClassifier) : null;
  engineSeconds += (performance.now() - started) / 1000;
  const llmTokens = { calls: 0, pages: 0, input: 0, output: 0 };
  const classify = async (pages: Page[]) => {
    if (!asksModel || !chat) return classifyPagesSync(pages, { classifier }, model);
    const output = await classifyWithModelServer(pages, classifier, {
      chat,
      scoreBuiltin: async (all, definition) => scorePages(all, definition, model).scores,
    });
    llmTokens.calls += output.llm?.calls ?? 0;
    llmTokens.pages += output.llm?.pages.length ?? 0;
    llmTokens.input += output.llm?.input_tokens ?? 0;
    llmTokens.output += output.llm?.output_tokens ?? 0;
    return output;
  };

  const predictions: DocumentPrediction[] = [];
  // A bundle has no single right label: its accuracy and calibration are measured on its pages,
  // each against the label of the segment it belongs to.
  const pagePredictions: DocumentPrediction[] = [];
  // The group of each prediction and each page prediction, in the same order.
  const predictionGroups: string[] = [];
  const pageGroups: string[] = [];
  const misclassified: Misclassified[] = [];
  const bundleScores: BundleScore[] = [];
  const failed: EvalResult['failed'] = [];
  for (const entry of extracted) {
    const gold = toGold(entry.row.label);
    if (entry.error) {
      failed.push({ file: entry.row.file, error: entry.error.code, message: entry.error.message });
      predictions.push({
        file: entry.row.file,
        gold,
        predicted: UNKNOWN,
        confidence: 1,
        reason: `Not readable: ${entry.error.message}`,
        suggested_class: null,
      });
      predictionGroups.push(groupOf(entry.row));
      // An unreadable bundle's pages count as answered `unknown`, so they are not silently dropped.
      for (const segment of entry.row.segments ?? []) {
        for (let page = segment.first_page; page <= segment.last_page; page++) {
          const pageGold = toGold(segment.class);
          pagePredictions.push({
            file: `${entry.row.file}#page=${page + 1}`,
            gold: pageGold,
            predicted: UNKNOWN,
            confidence: 1,
            reason: `Not readable: ${entry.error.message}`,
            suggested_class: null,
          });
          pageGroups.push(groupOf(entry.row));
        }
      }
      continue;
    }
    const t0 = performance.now();
    let output: Awaited<ReturnType<typeof classify>>;
    try {
      output = await classify(entry.pages);
    } catch (error) {
      // A model answer that never parsed is that document's failure; a server that is down ends the evaluation.
      const appError = toAppError(error);
      if (appError.code !== 'model_output_invalid') throw appError;
      failed.push({ file: entry.row.file, error: appError.code, message: appError.message });
      predictions.push({ file: entry.row.file, gold, predicted: UNKNOWN, confidence: 1, reason: appError.message, suggested_class: null });
      predictionGroups.push(groupOf(entry.row));
      continue;
    }
    engineSeconds += (performance.now() - t0) / 1000;
    pageCount += entry.pages.length;
    const prediction: DocumentPrediction = {
      file: entry.row.file,
      gold,
      predicted: output.classification.class,
      confidence: output.classification.confidence,
      reason: output.classification.reason,
      suggested_class: output.classification.suggested_class,
    };
    predictions.push(prediction);
    predictionGroups.push(groupOf(entry.row));
    if (isBundle && entry.row.segments) {
      const pageLabels: string[] = [];
      for (const page of output.pages) pageLabels[page.page] = page.class;
      bundleScores.push(scoreBundle(entry.row.segments, output.segments, pageLabels));
      for (const page of output.pages) {
        const segment = entry.row.segments.find((gold) => page.page >= gold.first_page && page.page <= gold.last_page);
        const pageGold = toGold(segment?.class);
        pagePredictions.push({
          file: `${entry.row.file}#page=${page.page + 1}`,
          gold: pageGold,
          predicted: page.class,
          confidence: page.confidence,
          reason: page.reason,
          suggested_class: page.suggested_class,
        });
        pageGroups.push(groupOf(entry.row));
      }
    } else if (prediction.predicted !== prediction.gold) {
      misclassified.push({ ...prediction, pages: entry.pages.length });
    }
  }

  const texts = extracted.map((entry) => entry.pages.map((page) => page.text).join('\n'));
  const baseline = predictBaseline(texts, classifier);
  const baselineCorrect = baseline.filter((label, index) => label === predictions[index].gold).length;

  const scored = isBundle ? pagePredictions : predictions;
  const metrics = measureDocuments(scored);
  const result: EvalResult = {
    manifest: options.manifestPath,
    ...metrics,
    documents: predictions.length,
    baseline_accuracy: round(predictions.length ? baselineCorrect / predictions.length : 0),
    pages_per_second: round(engineSeconds > 0 ? pageCount / engineSeconds : 0),
    engine: classifier.settings?.engine ?? 'builtin',
    ...(asksModel
      ? { llm: { calls: llmTokens.calls, pages: llmTokens.pages, input_tokens: llmTokens.input, output_tokens: llmTokens.output } }
      : {}),
    extract_seconds: round(timing.seconds),
    pages: pageCount,
    examples: examples.length,
    split_half: options.splitHalf ?? null,
    seed,
    failed,
    misclassified,
    reliability: binReliability(scored.map((p) => ({ confidence: p.confidence, correct: p.gold === p.predicted }))),
  };
  if (isBundle) Object.assign(result, measureBundles(bundleScores));
  if (groupColumn !== undefined) {
    const groups = isBundle ? pageGroups : predictionGroups;
    result.group_by = groupColumn;
    result.per_group = measureGroups(scored.map((p, index) => ({ group: groups[index], correct: p.gold === p.predicted })));
  }
  return result;
}
