import { collectEnv } from './env.js';
import { parseSuiteArgs, SUITE_USAGE } from './args.js';
import type { SuiteArgs } from './args.js';
import { toMarkdown, writeResults } from './results.js';
import type { BenchReport } from './results.js';
import { measureBatches } from './runner.js';
import type { BatchTask, MeasuredTask } from './runner.js';

/**
 * The command-line face of a suite made of batch tasks: parse flags, measure,
 * write `results/bench/<name>.*`, print the Markdown table on stdout.
 * Progress and checksums go to stderr so that stdout is only the table.
 */
export function runBatchSuite(name: string, tasks: readonly BatchTask[], argv: readonly string[]): BenchReport {
  let args: SuiteArgs;
  try {
    args = parseSuiteArgs(argv);
  } catch (err) {
    // A usage error: exit 2 like an unknown suite, with the flags listed.
    process.exitCode = 2;
    throw new Error(`${name}: ${(err as Error).message}\n${SUITE_USAGE}`);
  }
  const filter = args.filter;
  const selected = filter === undefined ? tasks : tasks.filter((t) => filter.test(t.name));
  if (selected.length === 0) {
    const names = tasks.map((t) => `  ${t.name}`).join('\n');
    throw new Error(`${name}: no task matches ${String(filter)}; tasks:\n${names}`);
  }

  // Read before measuring: the git call must not overlap a timed batch.
  const env = collectEnv();
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  log(`bench ${name}: ${selected.length} tasks, ≥ ${args.runner.minSamples} samples each${args.quick ? ' (quick)' : ''}`);
  const measured = measureBatches(selected, args.runner, {
    onWarmup: () => log('  warming up…'),
    onTaskDone: (t) => log(`  ${t.name}: ${t.samples.length} samples, checksum ${formatChecksum(t.checksum)}`),
  });

  const report: BenchReport = {
    env,
    tasks: measured.map(({ name: taskName, unit, higherIsBetter, samples }) => ({
      name: taskName,
      unit,
      higherIsBetter,
      samples,
    })),
  };
  const files = writeResults(name, report, args.outDir);
  log(`checksum ${formatChecksum(totalChecksum(measured))}`);
  log(`wrote ${files.json}, ${files.csv}, ${files.md}`);
  process.stdout.write(toMarkdown(name, report));
  return report;
}

function totalChecksum(tasks: readonly MeasuredTask[]): number {
  let sum = 0;
  for (const t of tasks) sum += t.checksum;
  return sum;
}

function formatChecksum(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(12) : String(x);
}
