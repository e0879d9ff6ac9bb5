/**
 * The review-loop table: `--online` for each manifest and seed, and for all the manifests as one
 * stream ("the whole corpus", a mixed inbox), with the mean over the seeds. The targets,
 * on the whole corpus: online ≥ zero-shot + 5 points, second half ≥ zero-shot + 8 points. The
 * second half of a seeded order can be easier or harder than the whole, so the table also gives
 * zero-shot on the same second half: only the gain over that is what the reviews taught.
 *
 *   node dist/eval/online.js MANIFEST.csv… --classifier DEF.json [--seeds 1,2,3] [--cache DIR] [--json]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadClassifierFile } from '../src/cli/load-classifier.js';
import { createExtractor } from '../src/extract/index.js';
import { runOnlineEval, type OnlineEvalResult } from '../src/evaluate/run-online.js';

interface TableRow {
  set: string;
  seed: number | 'mean';
  documents: number;
  zero_shot: number;
  online: number;
  second_half: number;
  zero_shot_second_half: number;
  repeated_mistakes: number;
  reviews: number;
  training_seconds: number;
  loop_seconds: number;
}

const WHOLE_CORPUS = 'all together';

function toRow(set: string, result: OnlineEvalResult): TableRow {
  return {
    set,
    seed: result.seed,
    documents: result.documents,
    zero_shot: result.zero_shot_accuracy,
    online: result.online_accuracy,
    second_half: result.online_second_half_accuracy,
    zero_shot_second_half: result.zero_shot_second_half_accuracy,
    repeated_mistakes: result.repeated_mistakes,
    reviews: result.reviews,
    training_seconds: result.training_seconds,
    loop_seconds: result.loop_seconds,
  };
}

function meanRow(rows: TableRow[]): TableRow {
  const mean = (pick: (row: TableRow) => number) => rows.reduce((sum, row) => sum + pick(row), 0) / rows.length;
  return {
    set: rows[0].set,
    seed: 'mean',
    documents: rows[0].documents,
    zero_shot: mean((row) => row.zero_shot),
    online: mean((row) => row.online),
    second_half: mean((row) => row.second_half),
    zero_shot_second_half: mean((row) => row.zero_shot_second_half),
    repeated_mistakes: mean((row) => row.repeated_mistakes),
    reviews: mean((row) => row.reviews),
    training_seconds: mean((row) => row.training_seconds),
    loop_seconds: mean((row) => row.loop_seconds),
  };
}

function formatPoints(value: number, reference: number): string {
  const points = (value - reference) * 100;
  return `${points >= 0 ? '+' : ''}${points.toFixed(1)}`;
}

/** "0.812 (+3.1)": an accuracy and its gain over zero-shot in points. */
function withGain(value: number, zeroShot: number): string {
  return `${value.toFixed(3)} (${formatPoints(value, zeroShot)})`;
}

function formatTable(rows: TableRow[]): string {
  const lines = [
    '| set | seed | documents | zero-shot | online | zero-shot, 2nd half | online, 2nd half | 2nd half − zero-shot (issue) | repeated mistakes | reviews | training s | loop s |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const seed = row.seed === 'mean' ? '**mean**' : String(row.seed);
    const count = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
    lines.push(
      `| ${row.set} | ${seed} | ${row.documents} | ${row.zero_shot.toFixed(3)} | ${withGain(row.online, row.zero_shot)} | ` +
        `${row.zero_shot_second_half.toFixed(3)} | ${withGain(row.second_half, row.zero_shot_second_half)} | ${formatPoints(row.second_half, row.zero_shot)} | ` +
        `${count(row.repeated_mistakes)} | ${count(row.reviews)} | ${row.training_seconds.toFixed(1)} | ${row.loop_seconds.toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      classifier: { type: 'string' },
      seeds: { type: 'string', default: '1,2,3' },
      cache: { type: 'string', default: '.cache/pages' },
      json: { type: 'boolean', default: false },
    },
  });
  const seeds = values.seeds.split(',').map(Number);
  if (positionals.length === 0 || !values.classifier || seeds.some((seed) => !Number.isInteger(seed) || seed < 0)) {
    process.stderr.write('Usage: node dist/eval/online.js MANIFEST.csv… --classifier DEF.json [--seeds 1,2,3] [--cache DIR] [--json]\n');
    process.exitCode = 2;
    return;
  }
  const classifier = await loadClassifierFile(values.classifier);
  const extractor = createExtractor();
  const sets: { name: string; manifests: string[] }[] = positionals.map((manifest) => ({
    name: path.basename(manifest, '.csv'),
    manifests: [manifest],
  }));
  if (positionals.length > 1) sets.push({ name: WHOLE_CORPUS, manifests: positionals });
  const rows: TableRow[] = [];
  try {
    for (const set of sets) {
      const perSeed: TableRow[] = [];
      for (const seed of seeds) {
        const result = await runOnlineEval({
          manifestPaths: set.manifests,
          classifier,
          extractor,
          cacheDir: path.resolve(values.cache),
          seed,
        });
        perSeed.push(toRow(set.name, result));
        process.stderr.write(
          `${set.name} seed ${seed}: zero-shot ${result.zero_shot_accuracy}, online ${result.online_accuracy}, second half ${result.online_second_half_accuracy}\n`,
        );
      }
      rows.push(...perSeed);
      if (perSeed.length > 1) rows.push(meanRow(perSeed));
    }
  } finally {
    await extractor.close();
  }
  process.stdout.write((values.json ? JSON.stringify({ seeds, rows }, null, 2) : formatTable(rows)) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
