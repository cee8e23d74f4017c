/** The search strategies by name (`--strategy`). */
import { Stream } from '../../engine/rng.js';
import type { SearchSpace } from '../space.js';
import { SuccessiveHalving } from './halving.js';
import { LatinHypercubeSampler, MixedSampler, SAMPLER_PURPOSE } from './random.js';
import { SingleFidelity } from './single.js';
import { TpeSampler, type TpeDim } from './tpe.js';
import { IncumbentSampler, type LocalDim } from './local.js';
import { decodeValue, encodeValue } from '../codec.js';
import type { Sampler, Strategy, StrategyContext } from './types.js';

export type { Strategy, StrategyContext, Proposal, Observation, Sampler, SamplerObservation } from './types.js';

export const STRATEGIES = ['halving', 'tpe-halving', 'tpe', 'random'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

/**
 * The default: successive halving, its candidates half Latin hypercube and
 * half local search around the incumbent (local.ts). The strategy benchmark
 * (`npm run bench search`, results/search/strategy-bench.md) runs it against
 * `random` at budgets 30 and 100 over 5 study seeds on default, gray-failure
 * and microservice-chain, judging each winner on 10 fresh seeds: its median
 * p99 is the lower in all six cells. An earlier comparison on four test
 * scenarios (test/fixtures/study) had halving ahead of tpe-halving and tpe
 * at budget 60 and level with them at 150, within about two standard errors.
 */
export const DEFAULT_STRATEGY: StrategyName = 'halving';

export function isStrategyName(s: string): s is StrategyName {
  return (STRATEGIES as readonly string[]).includes(s);
}

export function tpeDims(space: SearchSpace): TpeDim[] {
  return space.dims.map((d) => (d.kind === 'gate' || d.kind === 'choice' ? { categorical: true, k: d.values.length } : { categorical: false }));
}

/** Counts of a role the screening halves and doubles: its replicas and slots, an autoscaler's floor and ceiling. */
const SIZE_KNOB = /^(resources\.[^.]+\.(count|workers)|autoscale\.[^.]+\.(min|max))$/;

/**
 * Knobs that are waits measured against the mesh's own latency: when local
 * search switches one on next to a measured incumbent, it tries the
 * incumbent's p50, p90-ish and p99 (local.ts).
 */
const LATENCY_KNOBS: ReadonlySet<string> = new Set(['hedge.after', 'timeout.perTry', 'timeout.overall']);

/**
 * The order a choice's values are screened in, where it is not the space's:
 * a balancer's load-aware values first. When the balancer is what holds a
 * mesh back (a slow replica, uneven work), the fix is one that sees the
 * replicas' load or latency — least-request (Envoy's default), peak-EWMA
 * (Finagle's and Linkerd's), power of two choices (Mitzenmacher 2001) — not
 * another oblivious spread; breadth-first screening tries one alternative of
 * every mechanism before a second of any, so at a small budget only the
 * first one or two are ever tried. Values not listed follow in space order.
 */
const SCREEN_ORDER: Readonly<Record<string, readonly string[]>> = {
  'routing.balancer': ['least-request', 'peak-ewma', 'p2c', 'consistent-hash', 'round-robin', 'random'],
};

/** A choice's value indices in SCREEN_ORDER's order, or undefined for the space's own. */
function screenOrder(path: string, values: readonly unknown[]): number[] | undefined {
  const first = SCREEN_ORDER[path];
  if (first === undefined) return undefined;
  const rank = (v: unknown): number => {
    const i = first.indexOf(String(v));
    return i < 0 ? first.length : i;
  };
  return values.map((_, i) => i).sort((a, b) => rank(values[a]) - rank(values[b]) || a - b);
}

/**
 * As tpeDims; each gate lists the numeric dimensions that depend on it
 * directly, and a latency-scaled knob how a wait in ms maps to its unit coordinate.
 */
export function localDims(space: SearchSpace): LocalDim[] {
  const dims = tpeDims(space);
  return space.dims.map((d, i) => {
    const dim = dims[i]!;
    if ((d.kind === 'int' || d.kind === 'float') && LATENCY_KNOBS.has(d.path)) return { ...dim, fromMs: (ms: number) => encodeValue(d, ms) };
    if (d.kind === 'int' && SIZE_KNOB.test(d.path)) {
      // Half and twice the current count: what sizing a role tries first (cost: fewer; a tail: more).
      return { ...dim, resize: (u: number) => [0.5, 2].map((f) => encodeValue(d, Number(decodeValue(d, u)) * f)) };
    }
    if (d.kind === 'choice') {
      const order = screenOrder(d.path, d.values);
      return order !== undefined ? { ...dim, order } : dim;
    }
    if (d.kind !== 'gate') return dim;
    // Class weights count only relative to each other: the same setting for all is no priority at all.
    const relative = d.name === 'priority.weights';
    const children: number[] = [];
    space.dims.forEach((c, j) => {
      if (c.kind !== 'gate' && c.kind !== 'choice' && c.when !== null && c.when.dim === d.name) children.push(j);
    });
    const companion = companionOf(space, d.name);
    return { ...dim, children, ...(companion !== null ? { companion } : {}), ...(relative ? { relative: true } : {}) };
  });
}

/** Attempts a timeout is screened with when nothing retries: the usual three (Envoy's and gRPC's default retry policies stop at 2–5). */
const COMPANION_ATTEMPTS = 3;

/**
 * What gives a gate its use when the configuration lacks it: a per-try
 * timeout turns a silently lost message (a lossy link, a crashed replica)
 * into a failure, and only a retry turns the failure into a delivery. Each
 * alone changes little, so one-change screening never finds the pair.
 */
function companionOf(space: SearchSpace, gate: string): NonNullable<LocalDim['companion']> | null {
  if (gate !== 'timeout') return null;
  const j = space.dims.findIndex((c) => c.kind === 'int' && c.path === 'retry.maxAttempts');
  if (j < 0) return null;
  const attempts = space.dims[j]!;
  return { dim: j, unit: encodeValue(attempts, COMPANION_ATTEMPTS), idle: (u: number) => Number(decodeValue(attempts, u)) <= 1 };
}

/** Share of model-based strategies' proposals spent near the incumbent (local.ts). */
export const LOCAL_FRACTION = 0.75;

export function createStrategy(name: StrategyName, ctx: StrategyContext): Strategy {
  const rng = new Stream(ctx.seed, SAMPLER_PURPOSE);
  const d = ctx.space.dims.length;
  const sampler = (kind: 'random' | 'tpe' | 'local'): Sampler =>
    kind === 'random'
      ? new LatinHypercubeSampler(d, rng)
      : kind === 'tpe'
        ? new TpeSampler(tpeDims(ctx.space), ctx.rank, rng)
        : new IncumbentSampler(localDims(ctx.space), ctx.baseline.point, ctx.rank, rng, ctx.warmStart ?? []);
  // Half the proposals explore the space, half refine the best so far.
  const withLocal = (global: Sampler): Sampler => new MixedSampler(sampler('local'), global, 1 - LOCAL_FRACTION);
  switch (name) {
    case 'random':
      return new SingleFidelity(name, ctx, sampler('random'));
    case 'tpe':
      return new SingleFidelity(name, ctx, withLocal(sampler('tpe')));
    case 'halving':
      return new SuccessiveHalving(name, ctx, withLocal(sampler('random')), true);
    case 'tpe-halving':
      // A third of each bracket stays random (BOHB's default random fraction).
      return new SuccessiveHalving(name, ctx, withLocal(new MixedSampler(sampler('tpe'), sampler('random'), 1 / 3)), true);
  }
}
