/**
 * Coverage of capacity plans against queueing theory (SPEC §10): 40 plans of
 * the M/M/1 and of the M/M/4 queue (test/fixtures/plan), each on its own
 * seeds, at the default effort. A plan holds when its interval contains the
 * closed-form load limit; the goal is ≥ 95% of the plans, each narrower than
 * ±5%. The same plans at ±2% probe much closer to the limit, where verdicts
 * can go wrong, and so test the decision rule harder. Writes
 * results/plan/coverage.json and coverage.md.
 *
 *   flock /work/.bench.lock node --import tsx scripts/plan-coverage.ts [--plans 40] [--workers 2] [--precisions 0.05,0.02]
 *   node --import tsx scripts/plan-coverage.ts --render     rewrite coverage.md from coverage.json
 *
 * Plan k runs on seeds 1000·k + 1 … (16 at most per probe), so no two plans
 * share a seed. The wall time per plan is quoted as a median; run it alone
 * on the machine (the lock above) for that figure to mean anything.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_EFFORT, plan, type PlanResult } from '../sim/plan/index.js';
import { loadScenario } from '../sim/scenario/index.js';
import { PiscinaRunner } from '../sim/runner/piscina-runner.js';
import { mmcRateForQuantile } from '../sim/validation/analytic.js';
import { median } from '../sim/metrics/stats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Case {
  name: string;
  file: string;
  /** Closed-form limit as a multiple of the scenario's load. */
  limit: number;
  theory: string;
}

/** μ = 10/s (100 ms service); today's rates and SLOs as in the fixture files. */
const CASES: Case[] = [
  { name: 'M/M/1', file: 'test/fixtures/plan/mm1.yaml', limit: mmcRateForQuantile(10, 1, 0.99, 1)! / 4, theory: 'λ = μ − ln(100)/1 s = 5.395/s over 4/s' },
  { name: 'M/M/4', file: 'test/fixtures/plan/mmc.yaml', limit: mmcRateForQuantile(10, 4, 0.99, 0.6)! / 22, theory: 'Erlang C wait + Exp(μ) service: p99 = 600 ms at λ = 29.98/s, over 22/s' },
];

interface Row {
  precision: number;
  seed: number;
  interval: [number | null, number | null];
  answer: number | null;
  contains: boolean;
  halfWidth: number;
  runs: number;
  wallMs: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const dir = path.join(root, 'results', 'plan');
  if (process.argv.includes('--render')) {
    const saved = JSON.parse(readFileSync(path.join(dir, 'coverage.json'), 'utf8')) as { env: Env; cases: Array<Case & { rows: Row[] }> };
    writeFileSync(path.join(dir, 'coverage.md'), markdown(saved.cases, saved.env));
    return;
  }
  const plans = arg('--plans', 40);
  const workers = arg('--workers', 2);
  const i = process.argv.indexOf('--precisions');
  const precisions = i >= 0 ? process.argv[i + 1]!.split(',').map(Number) : [DEFAULT_EFFORT.precision, 0.02];
  const runner = new PiscinaRunner(workers);
  const out: Array<Case & { rows: Row[] }> = [];
  try {
    for (const c of CASES) {
      const scenario = loadScenario(path.join(root, c.file));
      const rows: Row[] = [];
      for (const precision of precisions) {
        for (let k = 1; k <= plans; k++) {
          const seed = 1000 * k + 1;
          const t0 = performance.now();
          const r: PlanResult = await plan(scenario, { seed, runner, levers: false, effort: { precision } });
          const wallMs = performance.now() - t0;
          const [lo, hi] = r.interval;
          const contains = lo !== null && hi !== null && lo <= c.limit && c.limit <= hi;
          const halfWidth = lo !== null && hi !== null ? (hi - lo) / (hi + lo) : Infinity;
          rows.push({ precision, seed, interval: r.interval, answer: r.answer, contains, halfWidth, runs: r.runs, wallMs });
          process.stderr.write(`${c.name} ±${precision * 100}% plan ${k}: [${lo}, ${hi}] ${contains ? 'contains' : 'MISSES'} ×${c.limit.toFixed(4)}, ±${(halfWidth * 100).toFixed(1)}%, ${r.runs} runs, ${(wallMs / 1000).toFixed(1)} s\n`);
        }
      }
      out.push({ ...c, rows });
    }
  } finally {
    await runner.close();
  }
  mkdirSync(dir, { recursive: true });
  const env: Env = { node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), workers, effort: DEFAULT_EFFORT };
  writeFileSync(path.join(dir, 'coverage.json'), `${JSON.stringify({ env, cases: out }, null, 2)}\n`);
  writeFileSync(path.join(dir, 'coverage.md'), markdown(out, env));
  process.stdout.write(markdown(out, env));
}

interface Env {
  node: string;
  cpu: string;
  cores: number;
  workers: number;
  effort: typeof DEFAULT_EFFORT;
}

function markdown(cases: Array<Case & { rows: Row[] }>, env: Env): string {
  const lines = [
    '# Capacity plans against queueing theory',
    '',
    `Plans per queue at the default effort (precision ±${DEFAULT_EFFORT.precision * 100}%, ${DEFAULT_EFFORT.initialReplications}–${DEFAULT_EFFORT.maxReplications} seeds per probe, ${DEFAULT_EFFORT.confidence * 100}% confidence, a budget of ${DEFAULT_EFFORT.budgetRuns} runs) and with the precision alone tightened, each plan on its own seeds; written by \`scripts/plan-coverage.ts\`.`,
    `Machine: ${env.cpu}, ${env.cores} cores, Node ${env.node}, ${env.workers} worker threads. The host was shared with other work during the run: the wall times are indicative; the runs per plan are the measure of effort.`,
    '',
    '| queue | precision asked | closed-form limit | intervals containing it | widest half-width | runs per plan (median, max) | wall time per plan (median) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  const groups = cases.flatMap((c) => [...new Set(c.rows.map((r) => r.precision))].map((precision) => ({ c, precision, rows: c.rows.filter((r) => r.precision === precision) })));
  for (const { c, precision, rows } of groups) {
    const covered = rows.filter((r) => r.contains).length;
    const widest = Math.max(...rows.map((r) => r.halfWidth));
    const runs = rows.map((r) => r.runs);
    lines.push(
      `| ${c.name} (${c.theory}) | ±${precision * 100}% | ×${c.limit.toFixed(4)} | ${covered} of ${rows.length} (${((covered / rows.length) * 100).toFixed(1)}%) | ±${(widest * 100).toFixed(2)}% | ${median(runs)}, ${Math.max(...runs)} | ${(median(rows.map((r) => r.wallMs)) / 1000).toFixed(2)} s |`,
    );
  }
  for (const { c, precision, rows } of groups) {
    lines.push('', `## ${c.name}, ±${precision * 100}%`, '', '| seed | interval | answer | contains the limit | half-width | runs |', '| --- | --- | --- | --- | --- | --- |');
    for (const r of rows) {
      lines.push(`| ${r.seed} | [${r.interval[0]}, ${r.interval[1]}] | ${r.answer} | ${r.contains ? 'yes' : '**no**'} | ±${(r.halfWidth * 100).toFixed(2)}% | ${r.runs} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

await main();
