/**
 * The few-shot table: for each manifest, seed and half, zero-shot accuracy on the half against
 * accuracy with K examples per class from the other half. With `--opaque` the classes are renamed
 * "class 01", "class 02", … and lose their descriptions, so nothing but the examples can tell
 * them apart: that measures what the learned layer learns on its own, for classes the knowledge
 * pack cannot know.
 *
 *   node dist/eval/few-shot.js MANIFEST.csv… --classifier DEF.json [--shots 5] [--seeds 1,2] [--opaque] [--json]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ClassifierDefinition } from '../src/core/classifier.js';
import { createExtractor } from '../src/extract/index.js';
import { makeOpaque } from './opaque-classes.js';
import { runEval } from '../src/evaluate/run-eval.js';

interface SplitRow {
  manifest: string;
  seed: number;
  half: 0 | 1;
  documents: number;
  examples: number;
  zero_shot: number;
  few_shot: number;
  gain_points: number;
  /** Share of the half's `other` documents still answered unknown with the examples. */
  unknown_kept: number;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      classifier: { type: 'string' },
      shots: { type: 'string', default: '5' },
      seeds: { type: 'string', default: '1,2' },
      opaque: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      cache: { type: 'string', default: '.cache/pages' },
    },
  });
  const shots = Number(values.shots);
  const seeds = values.seeds.split(',').map(Number);
  if (
    positionals.length === 0 ||
    !values.classifier ||
    !Number.isInteger(shots) ||
    shots < 1 ||
    seeds.some((seed) => !Number.isInteger(seed) || seed < 0)
  ) {
    process.stderr.write(
      'Usage: node dist/eval/few-shot.js MANIFEST.csv… --classifier DEF.json [--shots K] [--seeds 1,2] [--opaque] [--json]\n',
    );
    process.exitCode = 2;
    return;
  }
  const defined = JSON.parse(await readFile(values.classifier, 'utf8')) as ClassifierDefinition;
  const { classifier, labelMap } = values.opaque ? makeOpaque(defined) : { classifier: defined, labelMap: undefined };
  const extractor = createExtractor();
  const rows: SplitRow[] = [];
  try {
    for (const manifestPath of positionals) {
      for (const seed of seeds) {
        for (const half of [0, 1] as const) {
          const common = { manifestPath, classifier, extractor, cacheDir: path.resolve(values.cache), seed, splitHalf: half, labelMap };
          const zeroShot = await runEval(common);
          const fewShot = await runEval({ ...common, examplesPath: manifestPath, shots });
          rows.push({
            manifest: path.basename(manifestPath),
            seed,
            half,
            documents: zeroShot.documents,
            examples: fewShot.examples,
            zero_shot: zeroShot.accuracy,
            few_shot: fewShot.accuracy,
            gain_points: Math.round((fewShot.accuracy - zeroShot.accuracy) * 1000) / 10,
            unknown_kept: fewShot.unknown_recall,
          });
        }
      }
    }
  } finally {
    await extractor.close();
  }
  if (values.json) {
    process.stdout.write(JSON.stringify({ shots, opaque: values.opaque, splits: rows }, null, 2) + '\n');
    return;
  }
  process.stdout.write(`${shots} examples per class from the other half${values.opaque ? ', classes under opaque names' : ''}\n`);
  process.stdout.write('manifest                seed half  docs  examples  zero-shot  few-shot   gain  unknown kept\n');
  for (const row of rows) {
    process.stdout.write(
      `${row.manifest.padEnd(22)} ${String(row.seed).padStart(5)} ${String(row.half).padStart(4)} ${String(row.documents).padStart(5)} ${String(row.examples).padStart(9)}` +
        `  ${row.zero_shot.toFixed(3).padStart(9)} ${row.few_shot.toFixed(3).padStart(9)} ${((row.gain_points >= 0 ? '+' : '') + row.gain_points.toFixed(1)).padStart(6)}  ${row.unknown_kept.toFixed(2).padStart(12)}\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
