/**
 * The strategy benchmark's cells and its judge. A cell is a mesh and a mode;
 * every arm's advice (the configuration a study recommends, or the peer's
 * best) is judged the same way: simulated on the same JUDGE_SEEDS fresh seeds,
 * which no study ever runs, and scored on the mode's objective, with the
 * scenario's SLOs judged on the means over those seeds.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Runner } from '../../sim/runner/runner.js';
import { makeObjective, feasible } from '../../sim/study/objective.js';
import { meanOutcome, outcomeOf } from '../../sim/study/outcome.js';
import type { Mode, Outcome } from '../../sim/study/types.js';
import type { MeshConfig, Scenario } from '../../sim/scenario/types.js';
import { repoRoot } from './library.js';

export interface Cell {
  /** A library scenario's name or a mesh of bench/meshes. */
  mesh: string;
  mode: Mode;
}

/**
 * The default cells: every mode; library scenarios and meshes the library
 * does not hold (bench/meshes), so that a search tuned on the library shows
 * here whether it carries over.
 */
export const DEFAULT_CELLS: readonly Cell[] = [
  { mesh: 'microservice-chain', mode: 'performance' },
  { mesh: 'gateway-40', mode: 'performance' },
  { mesh: 'edge-api-db', mode: 'performance' },
  { mesh: 'llm-swarm-500', mode: 'cost' },
  { mesh: 'llm-retry-pool', mode: 'cost' },
  { mesh: 'partition-heal', mode: 'reliability' },
  { mesh: 'lossy-relay', mode: 'reliability' },
  { mesh: 'actor-shards', mode: 'performance' },
];

export const cellName = (c: Cell): string => `${c.mesh}/${c.mode}`;

export function parseCells(text: string): Cell[] {
  return text.split(',').map((s) => {
    const [mesh, mode] = s.split('/');
    if (mesh === undefined || !['performance', 'cost', 'reliability'].includes(mode ?? '')) {
      throw new Error(`--cells: '${s}' is not <mesh>/<performance|cost|reliability>`);
    }
    return { mesh, mode: mode as Mode };
  });
}

/** A cell's mesh: bench/meshes/<mesh>.yaml when there is one, else the library scenario of that name. */
export function meshArg(mesh: string): string {
  const own = path.join(repoRoot(), 'bench', 'meshes', `${mesh}.yaml`);
  return existsSync(own) ? own : mesh;
}

/** Fresh seeds every piece of advice is judged on; far from any study's search or confirmation seeds. */
export const JUDGE_SEEDS: readonly number[] = Array.from({ length: 10 }, (_, i) => 7_000_000 + i);

/** A configuration as the judge measured it. */
export interface Judged {
  /** The mode's objective, smaller is better: p99 (ms), cost per delivered, or loss (1 − delivery). */
  value: number;
  feasible: boolean;
  p99: number;
  deliveryRatio: number;
  costPerDelivered: number;
}

/** The mode's objective of an outcome, oriented so that smaller is better. */
export function objectiveValue(mode: Mode, o: Pick<Outcome, 'p99' | 'deliveryRatio' | 'costPerDelivered'>): number {
  return mode === 'performance' ? o.p99 : mode === 'cost' ? o.costPerDelivered : 1 - o.deliveryRatio;
}

export async function judge(scenario: Scenario, mode: Mode, config: MeshConfig, runner: Runner): Promise<Judged> {
  const runs = await Promise.all(JUDGE_SEEDS.map((seed) => runner.run({ scenarioPath: scenario.file, fraction: 1, config, seed })));
  const outcomes = runs.map((r) => (r.ok ? outcomeOf(r.metrics) : null));
  if (outcomes.some((o) => o === null)) return { value: Infinity, feasible: false, p99: Infinity, deliveryRatio: 0, costPerDelivered: Infinity };
  const m = meanOutcome(outcomes as Outcome[]);
  const onMean: Outcome = { ...m, worstP99: m.p99, worstDeliveryRatio: m.deliveryRatio };
  return {
    value: objectiveValue(mode, m),
    feasible: feasible(makeObjective(mode, scenario.slo), onMean),
    p99: m.p99,
    deliveryRatio: m.deliveryRatio,
    costPerDelivered: m.costPerDelivered,
  };
}

/** How close to the best of a cell a piece of advice must be to count as the same answer. */
export const CONSISTENCY_RATIO = 1.15;

/**
 * Loss below which two reliability answers are the same answer whatever
 * their ratio: 10⁻⁵ is one message in 100,000, about the resolution of ten
 * judge runs of these meshes; a ratio between two losses of that size is noise.
 */
export const LOSS_FLOOR = 1e-5;

/** Within CONSISTENCY_RATIO of the best value (and, for a loss, within the floor). */
export function closeToBest(mode: Mode, value: number, best: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (mode === 'reliability' && value <= best + LOSS_FLOOR) return true;
  return value <= best * CONSISTENCY_RATIO;
}

/** A value in the mode's unit. */
export function fmtValue(mode: Mode, v: number): string {
  if (!Number.isFinite(v)) return '∞';
  if (mode === 'performance') return v >= 1000 ? `${(v / 1000).toPrecision(3)} s` : `${v.toPrecision(3)} ms`;
  if (mode === 'cost') return `$${v.toPrecision(3)}`;
  return `${(v * 100).toPrecision(3)}%`;
}
