/**
 * `docsort classify FILE|FOLDER… (--classifier DEF.json | --classes "a,b,c")`: labels for files
 * (folders walked recursively), each printed as soon as it is known, as a table row or JSON, with
 * a progress bar on a terminal and optionally a CSV or JSON Lines file of every result.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCommandLine, UsageError } from './parse-command-line.js';
import {
  CLASSIFY_MODES,
  ENGINE_NAMES,
  LLM_ENGINE_NAMES,
  type ClassificationOutput,
  type ClassifierDefinition,
  type ClassifyMode,
  type TrainingExample,
} from '../core/classifier.js';
import { isAppError, toAppError } from '../core/errors.js';
import { createPooledClassifier } from '../classify/classifier-pool.js';
import { validatePageRange } from '../core/page-range.js';
import { createExtractor } from '../extract/index.js';
import { classifierFromList, loadClassifierFile } from './load-classifier.js';
import { loadCommandConfig } from './load-command-config.js';
import { createChatModel } from '../app.js';
import type { ChatModel } from '../core/ports.js';
import { engineNotAvailableError } from '../core/validate-classifier.js';
import { AVAILABLE_ENGINES } from '../classify/engine-registry.js';
import { DEFAULT_GLOB, findFiles, globToRegExp } from './find-files.js';
import { createProgressReporter } from './progress.js';
import { type FileResult, openResultFile, resultFormatOf, toJsonLine } from './result-file.js';

const USAGE = `Usage: docsort classify FILE|FOLDER… (--classifier DEF.json | --classes "a,b,c") [options]

Reads each file (PDF or image; text layer or OCR) and labels it with the classifier's classes,
or "unknown" when none fits well enough. Folders are walked recursively for the files --glob
matches. Each result is printed as soon as it is known; on a terminal a progress bar with the
time left is shown on stderr (a plain progress line per file otherwise).

Options:
  --classifier F    classifier definition: {"classes":[{"name","description","keywords"}],"settings":{…}}
  --classes LIST    quick zero-shot classifier from comma-separated class names
                    (a definition with settings.engine llm or cascade asks the model server
                    of LLM_BASE_URL and LLM_MODEL: docs/llm.md)
  --mode M          document (default), page (a label per page) or split (documents in a bundle)
  --pages R         1-based pages to read, e.g. "1-3,5"
  --max-pages N     read at most N pages
  --threshold T     minimum confidence 0..1 below which the answer is unknown
  --examples F      JSON Lines of training examples: {"class":"invoice","pages":["text of page 1",…],"name"?:"acme.pdf"}
  --glob G          files to take from folders (default "${DEFAULT_GLOB}"); without "/" it
                    matches file names, with "/" paths below the folder ("**/scans/*.tif")
  --output F        also write every result to F: results.csv or results.jsonl
  --json            print one JSON result object per file, one per line
  -h, --help        show this help

Exit status: 0 when every file was classified, 1 when any file failed, 2 for a usage error.`;

function parseCli(argv: string[]) {
  const { values, positionals } = parseCommandLine(argv, {
    classifier: { type: 'string' },
    classes: { type: 'string' },
    mode: { type: 'string' },
    pages: { type: 'string' },
    'max-pages': { type: 'string' },
    threshold: { type: 'string' },
    examples: { type: 'string' },
    json: { type: 'boolean', default: false },
    glob: { type: 'string' },
    output: { type: 'string', short: 'o' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) return 'help' as const;
  if (positionals.length === 0) throw new UsageError('no file given');
  if (!values.classifier === !values.classes) throw new UsageError('give either --classifier DEF.json or --classes "a,b,c"');
  if (values.mode !== undefined && !(CLASSIFY_MODES as readonly string[]).includes(values.mode)) {
    throw new UsageError(`--mode takes ${CLASSIFY_MODES.join(', ')} (got "${values.mode}")`);
  }
  let threshold: number | undefined;
  if (values.threshold !== undefined) {
    threshold = Number(values.threshold);
    if (!(threshold >= 0 && threshold <= 1)) throw new UsageError(`--threshold takes a number from 0 to 1 (got "${values.threshold}")`);
  }
  let maxPages: number | undefined;
  if (values['max-pages'] !== undefined) {
    maxPages = Number(values['max-pages']);
    if (!/^\d+$/.test(values['max-pages']) || maxPages < 1)
      throw new UsageError(`--max-pages takes a whole number of at least 1 (got "${values['max-pages']}")`);
  }
  if (values.pages !== undefined) {
    try {
      validatePageRange(values.pages);
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  }
  if (values.glob !== undefined) {
    try {
      globToRegExp(values.glob);
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  }
  const outputFormat = values.output === undefined ? null : resultFormatOf(values.output);
  if (values.output !== undefined && !outputFormat) throw new UsageError(`--output takes a .csv or .jsonl file (got "${values.output}")`);
  return {
    paths: positionals,
    glob: values.glob ?? DEFAULT_GLOB,
    output: values.output && outputFormat ? { file: values.output, format: outputFormat } : null,
    classifierFile: values.classifier,
    classes: values.classes,
    mode: values.mode as ClassifyMode | undefined,
    pages: values.pages,
    maxPages,
    threshold,
    examples: values.examples,
    json: values.json,
  };
}

async function readExamples(file: string): Promise<TrainingExample[]> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`examples file ${file} cannot be read`);
  });
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line, index) => {
      let example: TrainingExample;
      try {
        example = JSON.parse(line) as TrainingExample;
      } catch {
        throw new UsageError(`line ${index + 1} of ${file} is not JSON`);
      }
      if (typeof example.class !== 'string' || !Array.isArray(example.pages) || !example.pages.every((page) => typeof page === 'string')) {
        throw new UsageError(`line ${index + 1} of ${file} needs "class" (a string) and "pages" (a list of page texts)`);
      }
      // Reasons name the example; without a "name" of its own it is known by its line.
      if (typeof example.name !== 'string' || example.name.length === 0) example.name = `${path.basename(file)} line ${index + 1}`;
      return example;
    });
}

function shorten(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

interface TableLayout {
  fileWidth: number;
  mode: ClassifyMode;
}

function tableHeader(layout: TableLayout): string {
  return `${'FILE'.padEnd(layout.fileWidth)}  ${'CLASS'.padEnd(18)}  CONF  REASON`;
}

/** A file's rows of the table: its label, and in page or split mode a row per page or segment. */
function tableRows(result: FileResult, layout: TableLayout): string[] {
  const { fileWidth, mode } = layout;
  const file = shorten(result.file, fileWidth).padEnd(fileWidth);
  if (!result.output) return [`${file}  ${'error'.padEnd(18)}        ${result.error?.code}: ${result.error?.message}`];
  const label = result.output.classification;
  const shown = label.suggested_class ? `${label.class} (≈${label.suggested_class})` : label.class;
  const lines = [`${file}  ${shorten(shown, 18).padEnd(18)}  ${label.confidence.toFixed(2)}  ${shorten(label.reason, 100)}`];
  if (mode === 'split') {
    for (const segment of result.output.segments) {
      lines.push(
        `${''.padEnd(fileWidth)}    pages ${segment.first_page + 1}-${segment.last_page + 1}: ${segment.class} (${segment.confidence.toFixed(2)})`,
      );
    }
  } else if (mode === 'page') {
    for (const page of result.output.pages) {
      lines.push(
        `${''.padEnd(fileWidth)}    page ${page.page + 1}: ${page.class} (${page.confidence.toFixed(2)}) ${shorten(page.reason, 80)}`,
      );
    }
  }
  return lines;
}

export async function run(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parseCli>;
  let classifier: ClassifierDefinition;
  let chat: ChatModel | null = null;
  let examples: TrainingExample[] = [];
  try {
    options = parseCli(argv);
    if (options === 'help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    if (options.examples) examples = await readExamples(options.examples);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`docsort classify: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  try {
    classifier = options.classifierFile
      ? await loadClassifierFile(options.classifierFile, ENGINE_NAMES)
      : classifierFromList(options.classes!);
    if (LLM_ENGINE_NAMES.includes(classifier.settings?.engine ?? 'builtin')) {
      // The llm and cascade engines ask the model server the service would (LLM_BASE_URL, LLM_MODEL).
      const config = loadCommandConfig('classify');
      if (!config) return 2;
      chat = createChatModel(config);
      if (!chat) throw engineNotAvailableError(classifier.settings?.engine ?? '', AVAILABLE_ENGINES);
    }
  } catch (error) {
    const appError = toAppError(error);
    process.stderr.write(`docsort classify: ${appError.code}: ${appError.message}\n`);
    return 1;
  }
  const settings = { ...classifier.settings };
  if (options.mode) settings.mode = options.mode;
  if (options.threshold !== undefined) settings.threshold = options.threshold;
  if (options.pages !== undefined) settings.page_range = options.pages;
  if (options.maxPages !== undefined) settings.max_pages = options.maxPages;
  classifier = { ...classifier, settings };
  const mode = settings.mode ?? 'document';

  const files = findFiles(options.paths, options.glob);
  if (files.length === 0) {
    process.stderr.write(`docsort classify: no file in ${options.paths.join(', ')} matches --glob "${options.glob}"\n`);
    return 1;
  }
  const layout: TableLayout = { fileWidth: Math.min(50, Math.max(4, ...files.map((file) => file.length))), mode };
  const resultFile = options.output ? openResultFile(options.output.file, options.output.format) : null;
  const progress = createProgressReporter(files.length, { out: process.stdout, err: process.stderr });
  if (!options.json) progress.printResult(tableHeader(layout));

  const extractor = createExtractor();
  // Files are classified one after another: one thread is enough.
  const engine = createPooledClassifier({ threads: 1, chat });
  let failed = 0;
  try {
    for (const file of files) {
      let result: FileResult;
      try {
        const document = await extractor.extractFile(file, { pageRange: settings.page_range, maxPages: settings.max_pages });
        // The extractor already applied the page selection; classify what it returned.
        const output = await engine.classifyPages(document.pages, {
          classifier: { ...classifier, settings: { ...settings, page_range: undefined, max_pages: undefined } },
          // One model for the whole run, trained on the first file: the examples go to the thread once.
          ...(options.examples ? { loadExamples: async () => examples, cacheKey: `cli:${options.examples}` } : {}),
        });
        result = { file, numPages: document.num_pages, output };
      } catch (error) {
        const appError = isAppError(error) ? error : toAppError(error);
        failed++;
        result = { file, error: { code: appError.code, message: appError.message } };
        progress.printError(`${file}: ${appError.code}: ${appError.message}`);
      }
      resultFile?.write(result);
      if (options.json) progress.printResult(toJsonLine(result));
      else for (const line of tableRows(result, layout)) progress.printResult(line);
      progress.advance();
    }
  } finally {
    progress.finish();
    resultFile?.close();
    await Promise.all([extractor.close(), engine.close()]);
  }
  return failed > 0 ? 1 : 0;
}
