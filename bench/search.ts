/**
 * Strategy benchmark (`npm run bench search`): is a study's advice good, the
 * same from every study seed, better than random search's, and at least as
 * good as Optuna's at the same budget?
 *
 * For each cell (a mesh and a mode, bench/lib/search-judge.ts), budget and
 * study seed, a study runs with the default strategy, and at the top budget
 * with `random` and (with `--peer optuna`) an Optuna TPE study of as many
 * one-run trials. Every arm's advice — the configuration a study recommends,
 * or Optuna's best — is judged on the same 10 fresh seeds, which no study
 * runs: the mode's objective there (p99, cost per delivered message, or
 * loss), and whether it meets the scenario's SLOs (a miss counts as worst).
 *
 * The table gives per cell: each arm's median, meshtune's five answers and
 * how many are within 1.15× of the best of them (the consistency target:
 * 4 of 5, none missing an SLO), the smallest budget at which meshtune's
 * median comes within 1.15× of the best advice any arm gave, and each arm's
 * median study wall time. results/search/strategy-bench.{json,md}.
 *
 * Each finished study is appended to strategy-bench.partial.jsonl as it
 * ends; `--resume` keeps those rows and runs only the studies missing.
 *
 * Flags: --cells mesh/mode,…  --budgets 30,60,100  --seeds 5  --workers W
 *        --peer optuna  --arms meshtune,random  --resume  --out DIR
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadScenario } from '../sim/scenario/index.js';
import { CONFIRM_REPLICATIONS, DEFAULT_STRATEGY, PiscinaRunner, runStudy, TAIL_REPLICATIONS } from '../sim/study/index.js';
import type { MeshConfig } from '../sim/scenario/types.js';
import { median } from '../sim/metrics/stats.js';
import { collectEnv } from './lib/env.js';
import { findOptunaPython, optunaStudy } from './lib/optuna-peer.js';
import { cellName, closeToBest, CONSISTENCY_RATIO, DEFAULT_CELLS, fmtValue, JUDGE_SEEDS, judge, meshArg, parseCells, type Cell, type Judged } from './lib/search-judge.js';
import { userPath } from './lib/args.js';

type Arm = 'meshtune' | 'random' | 'optuna';

interface Row extends Judged {
  cell: string;
  mode: Cell['mode'];
  budget: number;
  seed: number;
  arm: Arm;
  /** Study wall time, ms: search to verdict (the report's evidence runs and the judge's runs not included). */
  wallMs: number;
  /** The advice judged. */
  config: MeshConfig;
}

const rowKey = (r: Pick<Row, 'cell' | 'budget' | 'seed' | 'arm'>): string => `${r.cell}|${r.budget}|${r.seed}|${r.arm}`;

export default async function main(argv: readonly string[] = []): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      cells: { type: 'string' },
      budgets: { type: 'string', default: '30,60,100' },
      seeds: { type: 'string', default: '5' },
      arms: { type: 'string', default: 'meshtune,random' },
      peer: { type: 'string' },
      workers: { type: 'string' },
      out: { type: 'string', default: 'results/search' },
      resume: { type: 'boolean', default: false },
    },
  });
  const outDir = userPath(values.out);
  mkdirSync(outDir, { recursive: true });
  const partial = path.join(outDir, 'strategy-bench.partial.jsonl');
  const cells = values.cells !== undefined ? parseCells(values.cells) : [...DEFAULT_CELLS];
  const budgets = values.budgets.split(',').map(Number).sort((a, b) => a - b);
  const top = budgets[budgets.length - 1]!;
  const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => 100 + i);
  const arms = values.arms.split(',') as Arm[];
  let python: string | null = null;
  if (values.peer === 'optuna') {
    python = findOptunaPython();
    if (python === null) process.stderr.write('bench search: no Python with optuna (apt-get install -y python3-optuna); the Optuna arm is skipped\n');
    else arms.push('optuna');
  } else if (values.peer !== undefined) throw new Error(`--peer: unknown peer '${values.peer}'; the peer is optuna`);
  // The commit and date when the studies start: the code that runs them (a commit made while they run is not it).
  const env = collectEnv();
  const runner = new PiscinaRunner(values.workers ? Number(values.workers) : undefined);
  const rows: Row[] = values.resume ? readPartial(partial) : [];
  if (!values.resume) rmSync(partial, { force: true });
  const done = new Set(rows.map(rowKey));
  if (rows.length > 0) process.stderr.write(`resuming: ${rows.length} studies already done\n`);
  try {
    for (const cell of cells) {
      const scenario = loadScenario(meshArg(cell.mesh));
      for (const budget of budgets) {
        for (const seed of seeds) {
          for (const arm of arms) {
            // The default strategy runs at every budget (how much it needs); the others at the top budget.
            if (arm !== 'meshtune' && budget !== top) continue;
            const key = { cell: cellName(cell), budget, seed, arm };
            if (done.has(rowKey(key))) continue;
            const started = performance.now();
            let config: MeshConfig;
            let wallMs: number;
            if (arm === 'optuna') {
              const peer = await optunaStudy(python!, scenario, cell.mode, budget, seed);
              config = peer.config;
              wallMs = peer.wallMs;
            } else {
              const result = await runStudy(
                scenario,
                { scenarioPath: scenario.file, mode: cell.mode, budget, seed, strategy: arm === 'meshtune' ? DEFAULT_STRATEGY : 'random', confirmReplications: CONFIRM_REPLICATIONS, tailReplications: TAIL_REPLICATIONS, evidence: false },
                runner,
              );
              config = result.recommendation.config;
              wallMs = performance.now() - started;
            }
            const j = await judge(scenario, cell.mode, config, runner);
            const row: Row = { ...key, mode: cell.mode, wallMs, config, ...j };
            rows.push(row);
            appendFileSync(partial, `${JSON.stringify(row)}\n`);
            process.stderr.write(
              `${key.cell} budget ${budget} seed ${seed} ${arm}: ${fmtValue(cell.mode, j.value)}${j.feasible ? '' : ' (misses an SLO)'} in ${(wallMs / 1000).toFixed(1)} s\n`,
            );
          }
        }
      }
    }
  } finally {
    await runner.close();
  }
  const summary = cells.map((cell) => summarise(cell, rows, budgets, arms));
  writeFileSync(path.join(outDir, 'strategy-bench.json'), `${JSON.stringify({ env, cells, budgets, seeds, judgeSeeds: JUDGE_SEEDS, arms, rows, summary }, null, 2)}\n`);
  const md = render(env, summary, seeds, budgets, arms);
  writeFileSync(path.join(outDir, 'strategy-bench.md'), md);
  rmSync(partial, { force: true });
  process.stdout.write(md);
}

interface CellSummary {
  cell: string;
  mode: Cell['mode'];
  /** Best advice any arm gave at any budget (feasible only). */
  bestKnown: number;
  /** Per arm at the top budget: median (a miss counts as ∞), misses, median wall time. */
  arms: Partial<Record<Arm, { median: number; misses: number; wallMs: number; values: number[] }>>;
  /** meshtune at each budget: its five values, how many are within the ratio of the best of them, misses. */
  meshtune: Array<{ budget: number; values: number[]; withinOfBest: number; misses: number; median: number }>;
  /** Smallest budget whose median is within CONSISTENCY_RATIO of bestKnown; null when none is. */
  budgetToBest: number | null;
  consistent: boolean;
}

const valueOf = (r: Row): number => (r.feasible ? r.value : Infinity);

function summarise(cell: Cell, rows: Row[], budgets: number[], arms: Arm[]): CellSummary {
  const name = cellName(cell);
  const mine = rows.filter((r) => r.cell === name);
  const top = budgets[budgets.length - 1]!;
  const feasibleValues = mine.filter((r) => r.feasible).map((r) => r.value);
  const bestKnown = feasibleValues.length > 0 ? Math.min(...feasibleValues) : Infinity;
  const armSummary: CellSummary['arms'] = {};
  for (const arm of arms) {
    const at = mine.filter((r) => r.arm === arm && r.budget === top).sort((a, b) => a.seed - b.seed);
    if (at.length === 0) continue;
    armSummary[arm] = { median: median(at.map(valueOf)), misses: at.filter((r) => !r.feasible).length, wallMs: median(at.map((r) => r.wallMs)), values: at.map(valueOf) };
  }
  const meshtune = budgets.map((budget) => {
    const at = mine.filter((r) => r.arm === 'meshtune' && r.budget === budget).sort((a, b) => a.seed - b.seed);
    const values = at.map(valueOf);
    const best = Math.min(...values);
    return {
      budget,
      values,
      withinOfBest: values.filter((v) => closeToBest(cell.mode, v, best)).length,
      misses: at.filter((r) => !r.feasible).length,
      median: values.length > 0 ? median(values) : NaN,
    };
  });
  const budgetToBest = meshtune.find((m) => closeToBest(cell.mode, m.median, bestKnown))?.budget ?? null;
  const atTop = meshtune[meshtune.length - 1]!;
  const consistent = atTop.values.length > 0 && atTop.withinOfBest >= atTop.values.length - 1 && atTop.misses === 0;
  return { cell: name, mode: cell.mode, bestKnown, arms: armSummary, meshtune, budgetToBest, consistent };
}

const ARM_LABEL: Record<Arm, string> = { meshtune: 'meshtune', random: 'random', optuna: 'Optuna' };

function render(env: ReturnType<typeof collectEnv>, summary: CellSummary[], seeds: number[], budgets: number[], arms: Arm[]): string {
  const top = budgets[budgets.length - 1]!;
  const others = arms.filter((a) => a !== 'meshtune');
  const secs = (ms: number): string => `${(ms / 1000).toFixed(0)} s`;
  const lines = [
    '# Strategy benchmark',
    '',
    `Node ${env.node} · ${env.cpu} · ${env.cores} cores · ${env.date} · commit ${env.commit}`,
    '',
    `Study seeds ${seeds.join(', ')}; every arm's advice judged on the same ${JUDGE_SEEDS.length} fresh seeds (${JUDGE_SEEDS[0]}…), which no study runs. ` +
      'The value is the mode\'s objective there (performance: p99; cost: cost per delivered message; reliability: loss), smaller is better; advice that misses an SLO on those seeds counts as ∞. ' +
      `meshtune is the default strategy (${DEFAULT_STRATEGY})` +
      (others.length > 0 ? `; ${others.map((a) => ARM_LABEL[a] + (a === 'optuna' ? ' (TPE, one simulation per trial)' : '')).join(' and ')} run at the top budget, ${top}.` : '; no other arm ran.'),
    '',
    `## Consistency: meshtune's ${seeds.length} answers at budget ${top}`,
    '',
    `Target: at least ${seeds.length - 1} of ${seeds.length} within ${CONSISTENCY_RATIO}× of the best of them (a loss within 0.001 percentage points counts as equal), none missing an SLO.`,
    '',
    '| cell | answers (study seeds in order) | within 1.15× of their best | missing an SLO | target |',
    '| --- | --- | ---: | ---: | --- |',
    ...summary.map((s) => {
      const m = s.meshtune[s.meshtune.length - 1]!;
      return `| ${s.cell} | ${m.values.map((v) => fmtValue(s.mode, v)).join(', ')} | ${m.withinOfBest} of ${m.values.length} | ${m.misses} | ${s.consistent ? 'met' : '**missed**'} |`;
    }),
    '',
    // The columns of the arms that ran: an arm left out is not a miss.
    others.length > 0 ? `## Against ${others.map((a) => (a === 'random' ? 'random search' : ARM_LABEL[a])).join(' and ')} at budget ${top}` : `## meshtune at budget ${top}`,
    '',
    `| cell | ${arms.map((arm) => `${ARM_LABEL[arm]} median`).join(' | ')} | misses (${arms.map((arm) => ARM_LABEL[arm]).join(' / ')}) | study wall time, median (${arms.map((arm) => ARM_LABEL[arm]).join(' / ')}) |`,
    `| --- | ${arms.map(() => '---:').join(' | ')} | ---: | ---: |`,
    ...summary.map((s) => {
      const a = s.arms;
      const cols = arms.map((arm) => (a[arm] !== undefined ? fmtValue(s.mode, a[arm]!.median) : '–'));
      const misses = arms.map((arm) => (a[arm] !== undefined ? String(a[arm]!.misses) : '–')).join(' / ');
      const walls = arms.map((arm) => (a[arm] !== undefined ? secs(a[arm]!.wallMs) : '–')).join(' / ');
      return `| ${s.cell} | ${cols.join(' | ')} | ${misses} | ${walls} |`;
    }),
    '',
    '## Budget needed',
    '',
    `meshtune's median at each budget, and the smallest budget at which it comes within ${CONSISTENCY_RATIO}× of the best advice any arm gave in the cell.`,
    '',
    `| cell | best known | ${budgets.map((b) => `median at ${b}`).join(' | ')} | budget to reach it |`,
    `| --- | ---: | ${budgets.map(() => '---:').join(' | ')} | ---: |`,
    ...summary.map(
      (s) => `| ${s.cell} | ${fmtValue(s.mode, s.bestKnown)} | ${s.meshtune.map((m) => fmtValue(s.mode, m.median)).join(' | ')} | ${s.budgetToBest ?? `> ${top}`} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

/** The studies a killed run finished (a torn last line, from a kill mid-write, is dropped). */
function readPartial(file: string): Row[] {
  if (!existsSync(file)) return [];
  const rows: Row[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      // JSON has no Infinity: a value that was Infinity comes back as null.
      const r = JSON.parse(line) as Row & { value: number | null; p99: number | null; costPerDelivered: number | null };
      rows.push({ ...r, value: r.value ?? Infinity, p99: r.p99 ?? Infinity, costPerDelivered: r.costPerDelivered ?? Infinity });
    } catch {
      // the line being written when the run was killed
    }
  }
  return rows;
}
