/**
 * Strategy benchmark (`npm run bench search`): does the default search
 * strategy find better configurations than random search at the same budget?
 *
 * For each scenario, budget and study seed, a study runs once with the
 * default strategy and once with `random`, in performance mode. Each study's
 * winner is measured on the study's confirmation seeds (fresh seeds, the same
 * for both strategies at a given study seed: a paired comparison), and its
 * p99 there is the value compared — a winner that misses the delivery SLO on
 * those seeds counts as worst (Infinity), whatever its p99. The table gives,
 * per scenario and budget, the median over study seeds of each strategy's
 * value, how many seeds the default won, and writes
 * results/search/strategy-bench.{json,md}.
 *
 * Each finished study is appended to strategy-bench.partial.jsonl as it ends;
 * `--resume` keeps those rows and runs only the studies missing, so a killed
 * benchmark loses at most the study in flight. The file is removed once the
 * table is written.
 *
 * Flags: --budgets 30,100  --seeds 5  --scenarios default,gray-failure,microservice-chain  --workers W  --resume
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadScenario } from '../sim/scenario/index.js';
import { DEFAULT_STRATEGY, PiscinaRunner, runStudy, type StrategyName } from '../sim/study/index.js';
import { median } from '../sim/metrics/stats.js';
import { collectEnv } from './lib/env.js';

interface Row {
  scenario: string;
  budget: number;
  seed: number;
  strategy: StrategyName;
  /** The winner's p99 on the confirmation seeds, ms. */
  p99: number;
  feasible: boolean;
}

const fmt = (ms: number): string => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : '∞ (misses the SLO)');

export default async function main(argv: readonly string[] = []): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      budgets: { type: 'string', default: '30,100' },
      seeds: { type: 'string', default: '5' },
      scenarios: { type: 'string', default: 'default,gray-failure,microservice-chain' },
      workers: { type: 'string' },
      out: { type: 'string', default: 'results/search' },
      resume: { type: 'boolean', default: false },
    },
  });
  const outDir = path.resolve(values.out);
  mkdirSync(outDir, { recursive: true });
  const partial = path.join(outDir, 'strategy-bench.partial.jsonl');
  const budgets = values.budgets.split(',').map(Number);
  const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => 100 + i);
  const scenarios = values.scenarios.split(',');
  const strategies: StrategyName[] = [DEFAULT_STRATEGY, 'random'];
  const runner = new PiscinaRunner(values.workers ? Number(values.workers) : undefined);
  const rows: Row[] = values.resume ? readPartial(partial) : [];
  if (!values.resume) rmSync(partial, { force: true });
  const done = new Set(rows.map(rowKey));
  if (rows.length > 0) process.stderr.write(`resuming: ${rows.length} studies already done\n`);
  try {
    for (const name of scenarios) {
      const scenario = loadScenario(name);
      for (const budget of budgets) {
        for (const seed of seeds) {
          for (const strategy of strategies) {
            if (done.has(rowKey({ scenario: name, budget, seed, strategy }))) continue;
            const result = await runStudy(
              scenario,
              { scenarioPath: scenario.file, mode: 'performance', budget, seed, strategy, confirmReplications: 10 },
              runner,
            );
            const c = result.confirmation!;
            const row: Row = { scenario: name, budget, seed, strategy, p99: c.winner.p99, feasible: c.winnerFeasible };
            rows.push(row);
            appendFileSync(partial, `${JSON.stringify(row)}\n`);
            process.stderr.write(`${name} budget ${budget} seed ${seed} ${strategy}: p99 ${c.winner.p99.toFixed(1)} ms${c.winnerFeasible ? '' : ' (misses an SLO)'}\n`);
          }
        }
      }
    }
  } finally {
    await runner.close();
  }

  const summary = scenarios.flatMap((scenario) =>
    budgets.map((budget) => {
      // Sorted by seed so that the two strategies' rows pair up whatever order they finished in.
      const of = (s: StrategyName): Row[] =>
        rows.filter((r) => r.scenario === scenario && r.budget === budget && r.strategy === s).sort((a, b) => a.seed - b.seed);
      const def = of(DEFAULT_STRATEGY);
      const rnd = of('random');
      // Paired by study seed: the default wins a seed when its winner's p99 is lower.
      const value = (r: Row): number => (r.feasible ? r.p99 : Infinity);
      const wins = def.filter((r, i) => value(r) < value(rnd[i]!)).length;
      return {
        scenario,
        budget,
        defaultMedianP99: median(def.map(value)),
        randomMedianP99: median(rnd.map(value)),
        defaultMisses: def.filter((r) => !r.feasible).length,
        randomMisses: rnd.filter((r) => !r.feasible).length,
        defaultWins: wins,
        studies: def.length,
      };
    }),
  );
  const env = collectEnv();
  writeFileSync(path.join(outDir, 'strategy-bench.json'), `${JSON.stringify({ env, strategies, seeds, rows, summary }, null, 2)}\n`);
  const md = [
    '# Strategy benchmark: default strategy vs random search',
    '',
    `Node ${env.node} · ${env.cpu} · ${env.cores} cores · ${env.date} · commit ${env.commit}`,
    '',
    `Performance mode; each study's winner measured on 10 fresh confirmation seeds (the same for both strategies at a study seed); study seeds ${seeds.join(', ')}. Lower p99 is better; a winner that misses the delivery SLO there counts as worst (∞).`,
    '',
    `| scenario | budget | ${DEFAULT_STRATEGY}: median p99 | random: median p99 | winners missing the SLO (${DEFAULT_STRATEGY} / random) | ${DEFAULT_STRATEGY} better on | verdict |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...summary.map(
      (s) =>
        `| ${s.scenario} | ${s.budget} | ${fmt(s.defaultMedianP99)} | ${fmt(s.randomMedianP99)} | ${s.defaultMisses} / ${s.randomMisses} | ${s.defaultWins} of ${s.studies} seeds | ${s.defaultMedianP99 < s.randomMedianP99 ? `${DEFAULT_STRATEGY} better` : s.defaultMedianP99 > s.randomMedianP99 ? 'random better' : 'tie'} |`,
    ),
    '',
  ].join('\n');
  writeFileSync(path.join(outDir, 'strategy-bench.md'), md);
  rmSync(partial, { force: true });
  process.stdout.write(md);
}

const rowKey = (r: Pick<Row, 'scenario' | 'budget' | 'seed' | 'strategy'>): string => `${r.scenario}|${r.budget}|${r.seed}|${r.strategy}`;

/** The studies a killed run finished (a torn last line, from a kill mid-write, is dropped). */
function readPartial(file: string): Row[] {
  if (!existsSync(file)) return [];
  const rows: Row[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      // JSON has no Infinity: a p99 that was Infinity comes back as null.
      const r = JSON.parse(line) as Row & { p99: number | null };
      rows.push({ ...r, p99: r.p99 ?? Infinity });
    } catch {
      // the line being written when the run was killed
    }
  }
  return rows;
}
