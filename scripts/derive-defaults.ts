/**
 * Derives the recommended defaults that `meshtune reset` writes: the preset
 * configuration with the best mean rank across the scenario library.
 *
 * Every preset runs on every library scenario on the same seeds (common
 * random numbers); on each scenario the presets are ranked by the
 * performance objective under the scenario's SLOs (an SLO-violating preset
 * ranks below every one that meets them; then p99, mean latency, throughput);
 * presets with identical outcomes share their ranks; the winner has the best
 * mean rank, and among equals the fewest knobs. Presets leave timeouts out on purpose:
 * a timeout is a property of a service (milliseconds for a cache, minutes
 * for an LLM), not a default.
 *
 * Writes results/reset/defaults-table.md and .csv (the table the choice was
 * made from) and sim/study/recommended-defaults.ts (the chosen preset).
 *
 * Run: node --import tsx scripts/derive-defaults.ts [--seeds 2] [--fraction 1]
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { compileScenario, modelKey, type CompiledScenario } from '../sim/model/index.js';
import { runOnce } from '../sim/runner/index.js';
import { loadScenario } from '../sim/scenario/index.js';
import type { MeshConfig } from '../sim/scenario/types.js';
import { compareOutcomes, makeObjective } from '../sim/study/objective.js';
import { meanOutcome, outcomeOf } from '../sim/study/outcome.js';
import { scaleScenario } from '../sim/study/fidelity.js';
import type { Outcome } from '../sim/study/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { seeds: { type: 'string', default: '2' }, fraction: { type: 'string', default: '1' } } });
const SEEDS = Array.from({ length: Number(values.seeds) }, (_, i) => 5000 + i);
const FRACTION = Number(values.fraction);

const budgeted = { maxAttempts: 3, base: 25, cap: 1000, jitter: 'full', budget: 0.2 } as const;

/** The presets: balancing × protection, none with a timeout (see the file comment). */
const PRESETS: Record<string, MeshConfig> = {
  plain: {},
  p2c: { routing: { balancer: 'p2c' } },
  'least-request': { routing: { balancer: 'least-request' } },
  'peak-ewma': { routing: { balancer: 'peak-ewma' } },
  'p2c + outlier': { routing: { balancer: 'p2c' }, outlier: {} },
  'least-request + outlier': { routing: { balancer: 'least-request' }, outlier: {} },
  'peak-ewma + outlier': { routing: { balancer: 'peak-ewma' }, outlier: {} },
  'p2c + budgeted retry': { routing: { balancer: 'p2c' }, retry: budgeted },
  'least-request + budgeted retry + outlier': { routing: { balancer: 'least-request' }, retry: budgeted, outlier: {} },
  'peak-ewma + budgeted retry + outlier': { routing: { balancer: 'peak-ewma' }, retry: budgeted, outlier: {} },
  'p2c + budgeted retry + outlier + breaker': { routing: { balancer: 'p2c' }, retry: budgeted, outlier: {}, breaker: {} },
  'least-request + at-least-once + budget': { routing: { balancer: 'least-request' }, delivery: 'at-least-once', retry: budgeted },
  'peak-ewma + at-least-once + budget + outlier': {
    routing: { balancer: 'peak-ewma' },
    delivery: 'at-least-once',
    retry: budgeted,
    outlier: {},
  },
  'least-request + adaptive + at-least-once + budget + outlier': {
    routing: { balancer: 'least-request', path: 'adaptive' },
    delivery: 'at-least-once',
    retry: budgeted,
    outlier: {},
  },
  'peak-ewma + adaptive + at-least-once + budget + outlier': {
    routing: { balancer: 'peak-ewma', path: 'adaptive' },
    delivery: 'at-least-once',
    retry: budgeted,
    outlier: {},
  },
};

const names = readdirSync(path.join(root, 'scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();

const presetNames = Object.keys(PRESETS);
/** ranks[scenario][preset] (1 = best) and the outcomes behind them. */
const ranks: Record<string, Record<string, number>> = {};
const outcomes: Record<string, Record<string, Outcome>> = {};
for (const name of names) {
  const sc = loadScenario(name);
  const scenario = scaleScenario(sc, FRACTION);
  // A model per layout the presets ask for: a scenario whose own configuration
  // autoscales or arranges a topology is laid out otherwise without it.
  const models = new Map<string, CompiledScenario>();
  const modelFor = (config: MeshConfig): CompiledScenario => {
    const key = modelKey(scenario, config);
    let compiled = models.get(key);
    if (compiled === undefined) models.set(key, (compiled = compileScenario(scenario, config)));
    return compiled;
  };
  const obj = makeObjective('performance', sc.slo);
  outcomes[name] = {};
  for (const preset of presetNames) {
    // Presets replace the scenario's configuration entirely: a default is what
    // a mesh gets before anyone tunes it.
    const runs = SEEDS.map((seed) => outcomeOf(runOnce(modelFor(PRESETS[preset]!), PRESETS[preset]!, seed)));
    outcomes[name]![preset] = meanOutcome(runs);
    process.stderr.write(`${name} · ${preset}: p99 ${outcomes[name]![preset]!.p99.toFixed(1)} ms, delivery ${outcomes[name]![preset]!.deliveryRatio.toFixed(5)}\n`);
  }
  const order = [...presetNames].sort((a, b) => compareOutcomes(obj, outcomes[name]![a]!, outcomes[name]![b]!) || a.localeCompare(b));
  // Presets with identical outcomes share the mean of their ranks.
  ranks[name] = {};
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && compareOutcomes(obj, outcomes[name]![order[i]!]!, outcomes[name]![order[j + 1]!]!) === 0) j++;
    for (let k = i; k <= j; k++) ranks[name]![order[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
}

/** Knobs a preset sets: among equals, the simpler preset is recommended. */
const knobs = (c: unknown): number =>
  c !== null && typeof c === 'object' ? Object.values(c).reduce((n: number, v) => n + knobs(v), 0) : 1;

const meanRank = (p: string): number => names.reduce((s, n) => s + ranks[n]![p]!, 0) / names.length;
const table = [...presetNames].sort(
  (a, b) => meanRank(a) - meanRank(b) || knobs(PRESETS[a]) - knobs(PRESETS[b]) || a.localeCompare(b),
);
const best = table[0]!;

const outDir = path.join(root, 'results', 'reset');
mkdirSync(outDir, { recursive: true });
const header = ['preset', 'mean rank', ...names];
const rows = table.map((p) => [p, meanRank(p).toFixed(2), ...names.map((n) => String(ranks[n]![p]))]);
writeFileSync(path.join(outDir, 'defaults-table.csv'), stringify([header, ...rows]));
const md = [
  '# Recommended defaults: ranks across the scenario library',
  '',
  `Each preset ran on every scenario on seeds ${SEEDS.join(', ')} (${FRACTION === 1 ? 'full duration' : `${FRACTION} of the duration`}), ranked per scenario by the performance objective under the scenario's SLOs (violations first, then p99). Derived by scripts/derive-defaults.ts on ${new Date().toISOString().slice(0, 10)}. Best mean rank: **${best}**.`,
  '',
  `| ${header.join(' | ')} |`,
  `| ${header.map((_, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
  '',
  '## p99 (ms) and delivery ratio per scenario',
  '',
  `| preset | ${names.join(' | ')} |`,
  `| --- | ${names.map(() => '---:').join(' | ')} |`,
  ...table.map(
    (p) =>
      `| ${p} | ${names.map((n) => `${outcomes[n]![p]!.p99.toFixed(0)} / ${(outcomes[n]![p]!.deliveryRatio * 100).toFixed(2)}%`).join(' | ')} |`,
  ),
  '',
].join('\n');
writeFileSync(path.join(outDir, 'defaults-table.md'), md);

const ts = `// Generated by scripts/derive-defaults.ts — do not edit by hand; re-run the script.
// The preset with the best mean rank across the scenario library; the table it
// was chosen from is results/reset/defaults-table.md.
import type { MeshConfig } from '../scenario/types.js';

export const RECOMMENDED_NAME = ${JSON.stringify(best)};

export const RECOMMENDED_DEFAULTS: MeshConfig = ${JSON.stringify(PRESETS[best], null, 2)};
`;
writeFileSync(path.join(root, 'sim', 'study', 'recommended-defaults.ts'), ts);
process.stderr.write(`best mean rank: ${best} (${meanRank(best).toFixed(2)}); wrote results/reset/ and sim/study/recommended-defaults.ts\n`);
