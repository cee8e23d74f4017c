import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { median } from '../../sim/metrics/stats.js';
import { collectEnv } from './env.js';
import { parseSuiteArgs, SUITE_USAGE } from './args.js';
import type { SuiteArgs } from './args.js';
import { toMarkdown, writeResults } from './results.js';
import type { BenchReport } from './results.js';
import { measureBatches } from './runner.js';
import type { BatchTask, MeasuredTask } from './runner.js';
import type { ProcessTask } from './import-scale.js';

/**
 * The command-line face of a suite made of batch tasks: parse flags, measure
 * (in several fresh processes unless told otherwise), write
 * `results/bench/<name>.*`, print the Markdown table on stdout. Progress and
 * checksums go to stderr so that stdout is only the table.
 */
export function runBatchSuite(name: string, tasks: readonly BatchTask[], argv: readonly string[], processTasks: readonly ProcessTask[] = []): BenchReport {
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
  const whole = filter === undefined ? processTasks : processTasks.filter((t) => filter.test(t.name));
  if (selected.length === 0 && whole.length === 0) {
    const names = [...tasks, ...processTasks].map((t) => `  ${t.name}`).join('\n');
    throw new Error(`${name}: no task matches ${String(filter)}; tasks:\n${names}`);
  }

  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  // Tasks measured whole, each run in its own process, after the batch tasks (and only by the parent).
  const measureWhole = (): BenchReport['tasks'] =>
    whole.flatMap((t) => {
      log(`bench ${name}: ${t.name}`);
      return t.measure({ quick: args.quick, runs: Math.min(args.processes, 3), log });
    });
  if (selected.length === 0) return finish(name, { env: collectEnv(), tasks: measureWhole() }, args, log);
  if (args.childOut !== undefined || args.processes === 1) {
    log(`bench ${name}: ${selected.length} tasks, ≥ ${args.runner.minSamples} samples each${args.quick ? ' (quick)' : ''}`);
    const measured = measureBatches(selected, args.runner, {
      onWarmup: () => log('  warming up…'),
      onTaskDone: (t) => log(`  ${t.name}: ${t.samples.length} samples, checksum ${formatChecksum(t.checksum)}`),
    });
    log(`checksum ${formatChecksum(totalChecksum(measured))}`);
    const results = measured.map(({ name: taskName, unit, higherIsBetter, samples }) => ({ name: taskName, unit, higherIsBetter, samples }));
    if (args.childOut !== undefined) {
      writeFileSync(args.childOut, JSON.stringify(results));
      return { env: collectEnv(), tasks: results };
    }
    return finish(name, { env: collectEnv(), tasks: [...results, ...measureWhole()] }, args, log);
  }
  // One fresh process per round; each round's median is one sample.
  const dir = mkdtempSync(path.join(tmpdir(), `bench-${name}-`));
  const rounds: Array<BenchReport['tasks']> = [];
  try {
    for (let r = 0; r < args.processes; r++) {
      log(`bench ${name}: process ${r + 1} of ${args.processes}`);
      const out = path.join(dir, `round-${r}.json`);
      const res = spawnSync(process.execPath, [...process.argv.slice(1), '--processes', '1', '--child-out', out], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      if (res.status !== 0) throw new Error(`${name}: measuring process ${r + 1} exited with ${res.status}`);
      rounds.push(JSON.parse(readFileSync(out, 'utf8')) as BenchReport['tasks']);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const merged = rounds[0]!.map((t, i) => ({ ...t, samples: rounds.map((round) => median(round[i]!.samples)) }));
  return finish(name, { env: collectEnv(), tasks: [...merged, ...measureWhole()] }, args, log);
}

function finish(name: string, report: BenchReport, args: SuiteArgs, log: (line: string) => void): BenchReport {
  const files = writeResults(name, report, args.outDir);
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
