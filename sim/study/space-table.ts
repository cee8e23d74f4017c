/**
 * The default search space: one dimension per knob of SPEC §5, with ranges a
 * practitioner would search, plus on/off "gate" dimensions for the mechanisms
 * that are off unless configured. A knob that only matters in some
 * configurations (a breaker's thresholds when there is no breaker, backoff
 * when there is no retry) is conditional: active only when its parent
 * dimension takes the values it needs, so a strategy never learns from a
 * value that had no effect.
 *
 * Durations are ms and sizes bytes. Ranges that span orders of magnitude are
 * searched on a log scale (the effect of a timeout from 10 ms to 20 ms is like
 * that of 1 s to 2 s).
 */
import { DEFAULTS, resolvePolicies } from '../model/policies.js';
import { resolveAutoscale } from '../policies/autoscale/index.js';
import type { KnobPath } from '../scenario/config.js';
import type { MeshConfig } from '../scenario/types.js';
import { getPath } from './config-paths.js';

export type Value = string | number | boolean | null;

/** A dimension is active when dimension `dim` is active and takes one of `values` (or exceeds `above`). */
export interface Condition {
  dim: string;
  values?: readonly Value[];
  above?: number;
}

interface DimCommon {
  /** The knob path, or the gate's name (`breaker`, `timeout`, …). */
  name: string;
  when: Condition | null;
}

/** A role's replicas or worker slots (`config.resources`), searched within its `scale` bounds. */
export type ResourcePath = `resources.${string}.${'count' | 'workers'}`;

/** A setting of the graph (`config.topology`), searched within `topology.search`. */
export type TopologyPath = `topology.${'fanout' | 'degree' | 'm' | 'shape'}`;

/** A priority class's weight (`config.priority.weights`), searched when the workload has classes. */
export type WeightPath = `priority.weights.${string}`;

/** A setting of a role's autoscaler (`config.autoscale.<role>`), searched when the configuration autoscales the role. */
export type AutoscalePath = `autoscale.${string}.${'target' | 'min' | 'max' | 'downWindow'}`;

/**
 * A dimension whose value is added to another setting's: the knob is set to
 * the value of `over` (as decoded, or the configuration's when `over` is not
 * searched) plus this dimension's, held within [floor, cap]. An autoscaler's
 * `max` is searched as its `min` plus spare replicas, so that every point is
 * a valid autoscaler (space-autoscale.ts says why).
 */
export interface Headroom {
  over: AutoscalePath;
  floor: number;
  cap: number;
}

export interface NumericDim extends DimCommon {
  kind: 'int' | 'float';
  path: KnobPath | ResourcePath | TopologyPath | WeightPath | AutoscalePath;
  min: number;
  max: number;
  log: boolean;
  /** Set when the dimension is a headroom over another setting (its range is then the headroom's). */
  headroom?: Headroom;
}

export interface ChoiceDim extends DimCommon {
  kind: 'choice';
  path: KnobPath | TopologyPath;
  values: Value[];
}

/**
 * An on/off (or several-way) switch over a mechanism. `off` deletes
 * `clears` from the configuration; any other value creates `block` (an empty
 * block turns the mechanism on with its defaults, see model/policies.ts) and
 * writes `writes[value]`.
 */
export interface GateDim extends DimCommon {
  kind: 'gate';
  values: string[];
  clears: string[];
  block: string | null;
  writes: Record<string, Array<[KnobPath, Value]>>;
  /** Knobs under this gate; the gate is searched when one of `requires` is. */
  knobs: KnobPath[];
  requires: KnobPath[];
  /** The gate's state in a configuration. */
  stateOf(config: MeshConfig): string;
}

export type Dim = NumericDim | ChoiceDim | GateDim;

const BALANCERS = ['random', 'round-robin', 'least-request', 'p2c', 'peak-ewma', 'consistent-hash'];
const PATHS = ['shortest', 'ecmp', 'adaptive'];
const POLICIES = ['drop-tail', 'drop-head', 'priority', 'backpressure'];
const JITTERS = ['none', 'full', 'equal', 'decorrelated'];
const CODECS = ['none', 'gzip', 'brotli'];
const DELIVERIES = ['at-most-once', 'at-least-once', 'exactly-once'];

const on = (dim: string): Condition => ({ dim, values: ['on'] });
const retrying: Condition = { dim: 'retry.maxAttempts', above: 1 };

function num(path: KnobPath, kind: 'int' | 'float', min: number, max: number, log: boolean, when: Condition | null = null): NumericDim {
  return { name: path, kind, path, min, max, log, when };
}

function choice(path: KnobPath, values: Value[], when: Condition | null = null): ChoiceDim {
  return { name: path, kind: 'choice', path, values, when };
}

function gate(
  name: string,
  g: Partial<Pick<GateDim, 'values' | 'block' | 'writes' | 'requires' | 'when'>> &
    Pick<GateDim, 'clears' | 'knobs' | 'stateOf'>,
): GateDim {
  return {
    name,
    kind: 'gate',
    values: g.values ?? ['off', 'on'],
    clears: g.clears,
    block: g.block ?? null,
    writes: g.writes ?? {},
    knobs: g.knobs,
    requires: g.requires ?? g.knobs,
    stateOf: g.stateOf,
    when: g.when ?? null,
  };
}

const present = (path: string) => (c: MeshConfig) => (getPath(c, path) !== undefined ? 'on' : 'off');

/** State of the concurrency gate: off, a fixed limit, or an adaptive one. */
export function concurrencyState(c: MeshConfig): string {
  const limit = c.concurrency?.limit;
  if (limit === undefined) return 'off';
  return typeof limit === 'number' ? 'fixed' : limit;
}

/** A fresh copy of the default dimensions, parents before children. */
export function defaultDims(): Dim[] {
  return [
    choice('routing.balancer', BALANCERS),
    choice('routing.path', PATHS),
    num('routing.redundancy', 'int', 1, 3, false),
    num('routing.redundantPriority', 'int', 0, 7, false, { dim: 'routing.redundancy', above: 1 }),

    gate('buffer', {
      clears: ['buffer'],
      block: 'buffer',
      knobs: ['buffer.capacity', 'buffer.policy'],
      requires: ['buffer.capacity'],
      stateOf: (c) => (c.buffer?.capacity !== undefined && Number.isFinite(c.buffer.capacity) ? 'on' : 'off'),
    }),
    num('buffer.capacity', 'int', 4, 4096, true, on('buffer')),
    choice('buffer.policy', POLICIES, on('buffer')),

    gate('timeout', { clears: ['timeout.perTry'], knobs: ['timeout.perTry'], stateOf: present('timeout.perTry') }),
    num('timeout.perTry', 'float', 10, 30_000, true, on('timeout')),
    gate('deadline', { clears: ['timeout.overall'], knobs: ['timeout.overall'], stateOf: present('timeout.overall') }),
    num('timeout.overall', 'float', 50, 60_000, true, on('deadline')),

    num('retry.maxAttempts', 'int', 1, 5, false),
    num('retry.base', 'float', 5, 1000, true, retrying),
    num('retry.cap', 'float', 50, 30_000, true, retrying),
    choice('retry.jitter', JITTERS, retrying),
    gate('retryBudget', { clears: ['retry.budget'], knobs: ['retry.budget'], stateOf: present('retry.budget'), when: retrying }),
    num('retry.budget', 'float', 0.01, 1, true, on('retryBudget')),

    gate('hedge', { clears: ['hedge'], block: 'hedge', knobs: ['hedge.after'], stateOf: present('hedge.after') }),
    num('hedge.after', 'float', 1, 10_000, true, on('hedge')),

    gate('breaker', {
      clears: ['breaker'],
      block: 'breaker',
      knobs: ['breaker.failureRate', 'breaker.minRequests', 'breaker.window', 'breaker.openFor', 'breaker.halfOpenProbes'],
      stateOf: present('breaker'),
    }),
    num('breaker.failureRate', 'float', 0.05, 1, false, on('breaker')),
    num('breaker.minRequests', 'int', 5, 200, true, on('breaker')),
    num('breaker.window', 'float', 1000, 60_000, true, on('breaker')),
    num('breaker.openFor', 'float', 100, 60_000, true, on('breaker')),
    num('breaker.halfOpenProbes', 'int', 1, 10, false, on('breaker')),

    gate('outlier', {
      clears: ['outlier'],
      block: 'outlier',
      knobs: ['outlier.consecutiveErrors', 'outlier.ejectFor', 'outlier.maxEjected'],
      stateOf: present('outlier'),
    }),
    num('outlier.consecutiveErrors', 'int', 1, 20, true, on('outlier')),
    num('outlier.ejectFor', 'float', 1000, 120_000, true, on('outlier')),
    num('outlier.maxEjected', 'float', 0.02, 0.5, true, on('outlier')),

    gate('batching', {
      clears: ['batching'],
      block: 'batching',
      knobs: ['batching.maxSize', 'batching.maxBytes', 'batching.linger'],
      stateOf: present('batching'),
    }),
    num('batching.maxSize', 'int', 2, 256, true, on('batching')),
    num('batching.maxBytes', 'int', 1024, 1_048_576, true, on('batching')),
    num('batching.linger', 'float', 0.1, 50, true, on('batching')),

    choice('compression.codec', CODECS),
    num('compression.minBytes', 'int', 64, 65_536, true, { dim: 'compression.codec', values: ['gzip', 'brotli'] }),

    choice('delivery', DELIVERIES),

    gate('concurrency', {
      values: ['off', 'fixed', 'aimd', 'gradient'],
      clears: ['concurrency'],
      block: 'concurrency',
      writes: { aimd: [['concurrency.limit', 'aimd']], gradient: [['concurrency.limit', 'gradient']] },
      knobs: ['concurrency.limit'],
      stateOf: concurrencyState,
    }),
    num('concurrency.limit', 'int', 1, 256, true, { dim: 'concurrency', values: ['fixed'] }),

    // Shedding acts on the fill of a bounded buffer: nothing to shed without one.
    gate('shedding', {
      clears: ['shedding'],
      block: 'shedding',
      knobs: ['shedding.queueFraction'],
      stateOf: present('shedding'),
      when: on('buffer'),
    }),
    num('shedding.queueFraction', 'float', 0.3, 0.99, false, on('shedding')),
  ];
}

/**
 * The value a knob takes in a configuration when the configuration does not
 * name it: the model's defaults (model/policies.ts), so that encoding a
 * configuration places it where the model actually is.
 */
export function effectiveValue(config: MeshConfig, path: NumericDim['path'] | ChoiceDim['path']): unknown {
  const v = getPath(config, path);
  if (v !== undefined) return v;
  if (path === 'retry.maxAttempts') return resolvePolicies(config).maxAttempts;
  if (path.startsWith('autoscale.')) return autoscaleDefault(config, path as AutoscalePath);
  const [block, key] = path.split('.') as [string, string | undefined];
  if (key !== undefined) {
    const defaults = (DEFAULTS as Record<string, Record<string, unknown> | undefined>)[block];
    if (defaults !== undefined && key in defaults) return defaults[key];
  }
  return PLAIN_DEFAULTS[path as KnobPath];
}

/** An autoscaler's setting as the model resolves it (policies/autoscale/settings.ts); undefined when the role does not autoscale. */
function autoscaleDefault(config: MeshConfig, path: AutoscalePath): number | undefined {
  const key = path.slice(path.lastIndexOf('.') + 1) as 'target' | 'min' | 'max' | 'downWindow';
  const a = config.autoscale?.[path.slice('autoscale.'.length, path.lastIndexOf('.'))];
  if (a === undefined) return undefined;
  const s = resolveAutoscale(a);
  return key === 'downWindow' ? s.downWindowMs : s[key];
}

/** Defaults of the knobs that are not in model/policies.ts's DEFAULTS table (SPEC §5's plain defaults). */
const PLAIN_DEFAULTS: Partial<Record<KnobPath, Value>> = {
  'routing.balancer': 'round-robin',
  'routing.path': 'shortest',
  'routing.redundancy': 1,
  'routing.redundantPriority': 0,
  'buffer.policy': 'drop-tail',
  'compression.codec': 'none',
  delivery: 'at-most-once',
};
