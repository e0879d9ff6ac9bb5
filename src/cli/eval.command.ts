/**
 * `docsort eval MANIFEST.csv --classifier DEF.json`: accuracy, calibration and speed on a labelled
 * manifest; with `--online`, the review loop (a wrong answer reviewed before the next document).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCommandLine, UsageError } from './parse-command-line.js';
import { isAppError, toAppError } from '../core/errors.js';
import { createExtractor } from '../extract/index.js';
import { worstGroups } from '../evaluate/group-accuracy.js';
import { readManifest } from '../evaluate/read-manifest.js';
import { renderReportHtml } from '../evaluate/report-html.js';
import { runEval, type EvalResult } from '../evaluate/run-eval.js';
import { runOnlineEval, type OnlineEvalResult } from '../evaluate/run-online.js';
import { loadClassifierFile } from './load-classifier.js';
import { loadCommandConfig } from './load-command-config.js';
import { createChatModel } from '../app.js';
import { ENGINE_NAMES, LLM_ENGINE_NAMES } from '../core/classifier.js';

const USAGE = `Usage: docsort eval MANIFEST.csv --classifier DEF.json [options]
       docsort eval MANIFEST.csv… --classifier DEF.json --online [--seed S] [--json]

Classifies every file of a labelled manifest and compares with the labels. A manifest is a CSV
with columns file,label (label "other" = no class fits, the right answer is unknown) or
file,segments for bundles ("label:first-last;…", 0-based pages). Paths are relative to it.

Options:
  --classifier F     classifier definition (JSON: classes with name, description, keywords)
  --engine E         builtin, llm or cascade (default: the classifier's settings.engine);
                     llm and cascade ask the model server of LLM_BASE_URL / LLM_MODEL
                     (docs/llm.md); --model M picks another model, --cascade-below C the
                     cascade's threshold. Not with --online
  --model M          model for --engine llm|cascade (default LLM_MODEL)
  --cascade-below C  confidence under which the cascade asks the model (default 0.6)
  --examples F       a manifest to take training examples from (few-shot)
  --shots K          examples per class taken from --examples (default 5)
  --seed S           seed for choosing halves and examples, or the --online order (default 1)
  --split-half H     evaluate on half H (0 or 1) of MANIFEST, split per label by a seeded
                     hash; examples then come from the other half of --examples, so
                     "--examples M --split-half 0" trains on half 1 and tests on half 0 of M
  --group-by COL     also measure accuracy per value of a manifest column (repo, lang, …):
                     per_group in the JSON, the worst groups in the summary; for a bundle
                     manifest each page counts, in the group of its bundle's row
  --online           the review loop: the documents of one or more document manifests (one
                     stream) one by one in a seeded random order; after each wrong answer the
                     gold label is applied as a review (with a class it becomes an example, as
                     PATCH /v1/classify_runs/:id makes one, and the learned layer is trained
                     again; a gold "other" is reviewed as unknown, which teaches nothing).
                     Not for bundle manifests; not with --examples, --split-half, --group-by
  --json             print the result as one JSON object
  --report F         also write an HTML report (confusion matrix, reliability diagram, mistakes)
  --cache DIR        cache of extracted pages by content hash (default .cache/pages)
  --no-cache         extract every file again
  --concurrency N    files extracted at once (default 2)
  -h, --help         show this help

JSON fields: documents, accuracy, macro_f1, per_class, confusion, ece, unknown_precision,
unknown_recall, pages_per_second (engine only), extract_seconds, baseline_accuracy, and for
bundles page_accuracy, boundary_f1, segment_exact; plus misclassified and failed files; with
--group-by, group_by and per_group ({value: {accuracy, count}}, largest group first).
With --online: zero_shot_accuracy (the same documents, no reviews), online_accuracy,
online_second_half_accuracy (and zero_shot_second_half_accuracy), repeated_mistakes (wrong
answers of a (gold, predicted) pair already reviewed once), reviews, examples, training_seconds,
loop_seconds and the mistakes in the order met.`;

function parseCli(argv: string[]) {
  const { values, positionals } = parseCommandLine(argv, {
    classifier: { type: 'string' },
    engine: { type: 'string' },
    model: { type: 'string' },
    'cascade-below': { type: 'string' },
    examples: { type: 'string' },
    shots: { type: 'string' },
    seed: { type: 'string' },
    'split-half': { type: 'string' },
    'group-by': { type: 'string' },
    online: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    report: { type: 'string' },
    cache: { type: 'string' },
    'no-cache': { type: 'boolean', default: false },
    concurrency: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) return 'help' as const;
  if (values.online) {
    if (positionals.length === 0) throw new UsageError('give at least one manifest');
    for (const option of ['examples', 'shots', 'split-half', 'group-by', 'report', 'engine', 'model', 'cascade-below'] as const) {
      if (values[option] !== undefined)
        throw new UsageError(`--online does not combine with --${option} (its examples are its own reviews)`);
    }
  } else if (positionals.length !== 1) throw new UsageError('give exactly one manifest (several only with --online)');
  if (!values.classifier) throw new UsageError('--classifier DEF.json is required');
  const integer = (name: string, value: string | undefined, fallback: number, min: number) => {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min)
      throw new UsageError(`${name} takes a whole number of at least ${min} (got "${value}")`);
    return Number(value);
  };
  const splitHalf = values['split-half'];
  if (splitHalf !== undefined && splitHalf !== '0' && splitHalf !== '1') throw new UsageError('--split-half takes 0 or 1');
  const engine = values.engine;
  if (engine !== undefined && !(ENGINE_NAMES as readonly string[]).includes(engine))
    throw new UsageError(`--engine takes one of ${ENGINE_NAMES.join(', ')} (got "${engine}")`);
  const cascadeBelow = values['cascade-below'] === undefined ? undefined : Number(values['cascade-below']);
  if (cascadeBelow !== undefined && !(cascadeBelow >= 0 && cascadeBelow <= 1))
    throw new UsageError(`--cascade-below takes a number from 0 to 1 (got "${values['cascade-below']}")`);
  const groupBy = values['group-by'];
  if (groupBy !== undefined && groupBy.trim() === '') throw new UsageError('--group-by takes a manifest column, e.g. repo or lang');
  return {
    manifest: positionals[0],
    manifests: positionals,
    online: values.online,
    classifier: values.classifier,
    engine,
    model: values.model,
    cascadeBelow,
    examples: values.examples,
    shots: integer('--shots', values.shots, 5, 1),
    seed: integer('--seed', values.seed, 1, 0),
    splitHalf: splitHalf === undefined ? undefined : (Number(splitHalf) as 0 | 1),
    groupBy,
    json: values.json,
    report: values.report,
    cacheDir: values['no-cache'] ? null : path.resolve(values.cache ?? '.cache/pages'),
    concurrency: integer('--concurrency', values.concurrency, 2, 1),
  };
}

/** Enough to see where a change loses without drowning the summary. */
const WORST_GROUPS_SHOWN = 10;

function formatOnlineSummary(result: OnlineEvalResult): string {
  const points = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)} points`;
  const lines = [
    `documents          ${result.documents} (${result.pages} pages), order seed ${result.seed}`,
    `zero-shot          ${result.zero_shot_accuracy}`,
    `online             ${result.online_accuracy}   (${points(result.online_accuracy - result.zero_shot_accuracy)})`,
    `second half        ${result.online_second_half_accuracy}   (zero-shot on it ${result.zero_shot_second_half_accuracy})`,
    `reviews            ${result.reviews} (${result.examples} became examples)`,
    `repeated mistakes  ${result.repeated_mistakes}`,
    `training_seconds   ${result.training_seconds} of ${result.loop_seconds} in the loop`,
  ];
  if (result.mistakes.length > 0) {
    lines.push('', 'Mistakes, in the order met (position: gold → online answer, zero-shot answer):');
    for (const m of result.mistakes)
      lines.push(
        `  ${String(m.position).padStart(4)} ${m.file}: ${m.gold} → ${m.predicted} (zero-shot ${m.zero_shot})${m.repeated ? ' repeated' : ''}`,
      );
  }
  for (const failure of result.failed) lines.push(`  ${failure.file}: ${failure.error}: ${failure.message}`);
  return lines.join('\n');
}

function formatSummary(result: EvalResult): string {
  const lines = [
    `documents          ${result.documents} (${result.pages} pages${result.examples ? `, ${result.examples} training examples` : ''})`,
    `accuracy           ${result.accuracy}   (naive baseline ${result.baseline_accuracy})`,
    `macro_f1           ${result.macro_f1}`,
    `ece                ${result.ece}`,
    `unknown P / R      ${result.unknown_precision} / ${result.unknown_recall}`,
  ];
  if (result.page_accuracy !== undefined) {
    lines.push(
      `page_accuracy      ${result.page_accuracy}`,
      `boundary_f1        ${result.boundary_f1}`,
      `segment_exact      ${result.segment_exact}`,
    );
  }
  lines.push(`pages_per_second   ${result.pages_per_second} (engine only)`, `extract_seconds    ${result.extract_seconds}`);
  lines.push(`engine             ${result.engine}`);
  if (result.llm) {
    lines.push(
      `llm                ${result.llm.calls} calls on ${result.llm.pages} pages, ${result.llm.input_tokens} tokens in, ${result.llm.output_tokens} out`,
    );
  }
  if (result.per_group) {
    const groups = Object.keys(result.per_group).length;
    const worst = worstGroups(result.per_group, WORST_GROUPS_SHOWN);
    lines.push(
      '',
      `Worst of ${groups} groups by ${result.group_by}${worst.length === 0 ? ': none, every group is all right' : ' (accuracy, count):'}`,
    );
    for (const [group, measured] of worst) lines.push(`  ${measured.accuracy.toFixed(2)}  ${String(measured.count).padStart(4)}  ${group}`);
  }
  if (result.misclassified.length > 0) {
    lines.push('', 'Misclassified:');
    for (const m of result.misclassified) lines.push(`  ${m.file}: ${m.gold} → ${m.predicted} (${m.confidence.toFixed(2)}) ${m.reason}`);
  }
  for (const failure of result.failed) lines.push(`  ${failure.file}: ${failure.error}: ${failure.message}`);
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parseCli>;
  try {
    options = parseCli(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`docsort eval: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (options === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const extractor = createExtractor();
  try {
    const loaded = await loadClassifierFile(options.classifier, options.online ? undefined : ENGINE_NAMES);
    const settings = {
      ...loaded.settings,
      ...(options.engine !== undefined ? { engine: options.engine } : {}),
      ...(options.model !== undefined ? { model: options.model } : {}),
      ...(options.cascadeBelow !== undefined ? { cascade_below: options.cascadeBelow } : {}),
    };
    const classifier = { ...loaded, settings };
    let chat = null;
    if (LLM_ENGINE_NAMES.includes(settings.engine ?? 'builtin')) {
      const config = loadCommandConfig('eval');
      if (!config) return 2;
      chat = createChatModel(config);
      if (!chat) {
        process.stderr.write(
          `docsort eval: the ${settings.engine} engine needs a model server: set LLM_BASE_URL and LLM_MODEL (see docs/llm.md)\n`,
        );
        return 2;
      }
    }
    const progress = process.stderr.isTTY && !options.json;
    const onProgress = progress
      ? (done: number, total: number, file: string) => process.stderr.write(`\r${done}/${total} ${file.slice(-60).padEnd(60)}`)
      : undefined;
    if (options.online) {
      for (const manifest of options.manifests) {
        if ((await readManifest(manifest)).kind === 'bundles') {
          process.stderr.write(
            `docsort eval: ${manifest} is a bundle manifest; --online takes document manifests (file,label)\n\n${USAGE}\n`,
          );
          return 2;
        }
      }
      const result = await runOnlineEval({
        manifestPaths: options.manifests,
        classifier,
        extractor,
        cacheDir: options.cacheDir,
        seed: options.seed,
        concurrency: options.concurrency,
        onProgress,
      });
      if (progress) process.stderr.write('\n');
      process.stdout.write((options.json ? JSON.stringify(result, null, 2) : formatOnlineSummary(result)) + '\n');
      return 0;
    }
    const result = await runEval({
      manifestPath: options.manifest,
      classifier,
      extractor,
      cacheDir: options.cacheDir,
      examplesPath: options.examples,
      shots: options.shots,
      seed: options.seed,
      splitHalf: options.splitHalf,
      groupBy: options.groupBy,
      concurrency: options.concurrency,
      onProgress,
      chat,
    });
    if (progress) process.stderr.write('\n');
    if (options.report) {
      await mkdir(path.dirname(path.resolve(options.report)), { recursive: true });
      await writeFile(options.report, renderReportHtml(result, `docsort eval — ${path.basename(options.manifest)}`));
    }
    process.stdout.write((options.json ? JSON.stringify(result, null, 2) : formatSummary(result)) + '\n');
    return 0;
  } catch (error) {
    const appError = isAppError(error) ? error : toAppError(error);
    process.stderr.write(`docsort eval: ${appError.code}: ${appError.message}\n`);
    return 1;
  } finally {
    await extractor.close();
  }
}
