/**
 * The mesh configuration (SPEC §5): every knob's type and range, as a strict
 * schema (an unknown key is an error), and the table of knobs that the
 * scenario's `search` block may name.
 */
import { z } from 'zod';
import type { MeshConfig } from './types.js';
import { choice, duration, fraction, int, list, num, size, strict } from './fields.js';
import { describeValue } from './units.js';
import { MAX_REPLICAS, MAX_WORKERS, TOPOLOGY_LIMITS } from './ranges.js';

/** `tree`: the hierarchical graph by fanout; `flat`: one coordinator linked to every other agent. */
export const TOPOLOGY_SHAPES = ['tree', 'flat'] as const;

const BALANCERS = ['random', 'round-robin', 'least-request', 'p2c', 'peak-ewma', 'consistent-hash'] as const;
const PATHS = ['shortest', 'ecmp', 'adaptive'] as const;
const POLICIES = ['drop-tail', 'drop-head', 'priority', 'backpressure'] as const;
const JITTERS = ['none', 'full', 'equal', 'decorrelated'] as const;
const CODECS = ['none', 'gzip', 'brotli'] as const;
const DELIVERIES = ['at-most-once', 'at-least-once', 'exactly-once'] as const;
const ADAPTIVE_LIMITS = ['aimd', 'gradient'] as const;
export const AUTOSCALE_POLICIES = ['reactive', 'predictive'] as const;
export const AUTOSCALE_METRICS = ['utilization', 'queue'] as const;

/** How a knob is searched: over whole numbers, real numbers, or a list of values. */
export type KnobKind = 'int' | 'float' | 'choice';

interface Knob<S extends z.ZodType> {
  /** Validates (and converts units of) a value of the knob. */
  schema: S;
  kind: KnobKind;
  /** Validates a `min`/`max` bound of a search range; null for choice-only knobs. */
  bound: z.ZodType<number> | null;
}

function knob<S extends z.ZodType<number, unknown>>(schema: S, kind: 'int' | 'float'): Knob<S> {
  return { schema, kind, bound: schema };
}

function named<S extends z.ZodType>(schema: S): Knob<S> {
  return { schema, kind: 'choice', bound: null };
}

/** A fixed limit, or an adaptive one. */
const concurrencyLimit = z.union(
  [int({ min: 1, max: 1_000_000 }), z.enum(ADAPTIVE_LIMITS, { error: (iss) => `expected a whole number >= 1, aimd or gradient; got ${describeValue(iss.input)}` })],
  { error: (iss) => `expected a whole number >= 1, aimd or gradient; got ${describeValue(iss.input)}` },
);

/** Every knob by its dotted path. */
export const KNOBS = {
  'routing.balancer': named(choice(BALANCERS, 'balancer', 'balancers')),
  'routing.path': named(choice(PATHS, 'path kind', 'path kinds')),
  'routing.redundancy': knob(int({ min: 1, max: 3 }), 'int'),
  'routing.redundantPriority': knob(int({ min: 0, max: 7 }), 'int'),
  'buffer.capacity': knob(int({ min: 0, max: 100_000_000 }), 'int'),
  'buffer.policy': named(choice(POLICIES, 'buffer policy', 'buffer policies')),
  'timeout.perTry': knob(duration({ gt: 0 }), 'float'),
  'timeout.overall': knob(duration({ gt: 0 }), 'float'),
  'retry.maxAttempts': knob(int({ min: 1, max: 1_000_000 }), 'int'),
  'retry.base': knob(duration(), 'float'),
  'retry.cap': knob(duration(), 'float'),
  'retry.jitter': named(choice(JITTERS, 'jitter', 'jitters')),
  'retry.budget': knob(num({ min: 0, max: 100 }), 'float'),
  'hedge.after': knob(duration(), 'float'),
  'breaker.failureRate': knob(num({ gt: 0, max: 1 }), 'float'),
  'breaker.minRequests': knob(int({ min: 1, max: 1_000_000 }), 'int'),
  'breaker.window': knob(duration({ gt: 0 }), 'float'),
  'breaker.openFor': knob(duration({ gt: 0 }), 'float'),
  'breaker.halfOpenProbes': knob(int({ min: 1, max: 1_000_000 }), 'int'),
  'outlier.consecutiveErrors': knob(int({ min: 1, max: 1_000_000 }), 'int'),
  'outlier.ejectFor': knob(duration({ gt: 0 }), 'float'),
  /** Largest fraction of a role's replicas ejected at once. */
  'outlier.maxEjected': knob(fraction(), 'float'),
  'batching.maxSize': knob(int({ min: 1, max: 1_000_000 }), 'int'),
  'batching.maxBytes': knob(size({ min: 1 }), 'int'),
  'batching.linger': knob(duration(), 'float'),
  'compression.codec': named(choice(CODECS, 'codec', 'codecs')),
  'compression.minBytes': knob(size(), 'int'),
  delivery: named(choice(DELIVERIES, 'delivery guarantee', 'delivery guarantees')),
  'concurrency.limit': { schema: concurrencyLimit, kind: 'int', bound: int({ min: 1, max: 1_000_000 }) } satisfies Knob<typeof concurrencyLimit>,
  /** Queue fill above which the lowest priorities are shed. */
  'shedding.queueFraction': knob(num({ gt: 0, max: 1 }), 'float'),
} as const;

export type KnobPath = keyof typeof KNOBS;
export const KNOB_PATHS = Object.keys(KNOBS) as [KnobPath, ...KnobPath[]];

const k = <P extends KnobPath>(p: P): (typeof KNOBS)[P]['schema'] => KNOBS[p].schema;

const retry = strict({
  maxAttempts: k('retry.maxAttempts').optional(),
  base: k('retry.base').optional(),
  cap: k('retry.cap').optional(),
  jitter: k('retry.jitter').optional(),
  budget: k('retry.budget').optional(),
}).superRefine((r, ctx) => {
  if (r.base !== undefined && r.cap !== undefined && r.base > r.cap) {
    ctx.addIssue({ code: 'custom', path: ['cap'], message: `expected cap >= base (${r.base}ms), got ${r.cap}ms` });
  }
});

/** Largest queue-length target per replica (a utilisation target is at most 1). */
const MAX_QUEUE_TARGET = 1e6;

/** `resources.<role>`: replicas and worker slots per replica (which roles exist is checked against the scenario). */
const roleResources = strict({ count: int({ min: 1, max: MAX_REPLICAS }).optional(), workers: int({ min: 1, max: MAX_WORKERS }).optional() }, 'resources key');

/** Most rate policies per direction (the HPA accepts any number; a handful is what is written). */
const MAX_RATE_POLICIES = 10;

/** `autoscale.<role>.upRate` / `downRate`: the HPA's scaling policies of one direction. */
const scaleRate = strict(
  {
    select: choice(['max', 'min', 'disabled'] as const, 'policy selection', 'selections').optional(),
    policies: list(
      strict(
        {
          type: choice(['pods', 'percent'] as const, 'rate policy type', 'types'),
          value: int({ min: 1, max: MAX_REPLICAS }),
          period: duration({ gt: 0 }),
        },
        'rate policy key',
      ),
      MAX_RATE_POLICIES,
      1,
      'expected at least one policy (or select: disabled)',
    ).optional(),
  },
  'rate key',
);

/** `autoscale.<role>`: the autoscaler's settings; defaults in model/policies.ts (SPEC §5). */
const autoscaler = strict(
  {
    policy: choice(AUTOSCALE_POLICIES, 'autoscaling policy', 'policies').optional(),
    metric: choice(AUTOSCALE_METRICS, 'autoscaling metric', 'metrics').optional(),
    target: num({ gt: 0, max: MAX_QUEUE_TARGET }).optional(),
    min: int({ min: 1, max: MAX_REPLICAS }).optional(),
    max: int({ min: 1, max: MAX_REPLICAS }),
    period: duration({ gt: 0 }).optional(),
    tolerance: num({ min: 0, max: 0.99 }).optional(),
    upWindow: duration().optional(),
    downWindow: duration().optional(),
    provisioning: duration().optional(),
    season: duration({ gt: 0 }).optional(),
    upRate: scaleRate.optional(),
    downRate: scaleRate.optional(),
  },
  'autoscale key',
).superRefine((a, ctx) => {
  const issue = (key: string, message: string) => ctx.addIssue({ code: 'custom', path: [key], message });
  if (a.min !== undefined && a.min > a.max) issue('max', `expected max >= min (${a.min}), got ${a.max}`);
  if (a.target !== undefined && (a.metric ?? 'utilization') === 'utilization' && a.target > 1) {
    issue('target', `expected a utilisation in (0, 1] with metric utilization, got ${a.target}`);
  }
  if (a.season !== undefined && a.policy !== 'predictive') issue('season', 'only used with policy: predictive');
  for (const dir of ['upRate', 'downRate'] as const) {
    const r = a[dir];
    if (r?.policies !== undefined && r.select === 'disabled') issue(dir, 'policies are not used with select: disabled');
    for (const [i, p] of (r?.policies ?? []).entries()) {
      if (p.type === 'percent' && dir === 'downRate' && p.value > 100) {
        ctx.addIssue({ code: 'custom', path: [dir, 'policies', i, 'value'], message: `expected a percent in [1, 100] when scaling down, got ${p.value}` });
      }
    }
  }
});

/** Largest weight of a priority class (weights are relative; 1e6 : 1 is strict priority in practice). */
export const MAX_CLASS_WEIGHT = 1e6;

/** `priority`: weighted fair sharing of every agent across the workload's classes (SPEC §5). */
const priority = strict(
  { weights: z.record(z.string(), num({ gt: 0, max: MAX_CLASS_WEIGHT })).optional() },
  'priority key',
);

/** `topology`: the graph's settings a study searches (which keys fit the scenario's kind is checked in topology.ts). */
const topologyConfig = strict(
  {
    fanout: int({ min: 1, max: TOPOLOGY_LIMITS.fanout }).optional(),
    degree: int({ min: 1, max: TOPOLOGY_LIMITS.degree }).optional(),
    m: int({ min: 1, max: TOPOLOGY_LIMITS.m }).optional(),
    shape: choice(TOPOLOGY_SHAPES, 'shape', 'shapes').optional(),
  },
  'topology key',
);

/** The `config` block: every key optional, unknown keys rejected. */
export const configSchema = strict(
  {
    routing: strict({
      balancer: k('routing.balancer').optional(),
      path: k('routing.path').optional(),
      redundancy: k('routing.redundancy').optional(),
      redundantPriority: k('routing.redundantPriority').optional(),
    }).optional(),
    buffer: strict({ capacity: k('buffer.capacity').optional(), policy: k('buffer.policy').optional() }).optional(),
    timeout: strict({ perTry: k('timeout.perTry').optional(), overall: k('timeout.overall').optional() }).optional(),
    retry: retry.optional(),
    hedge: strict({ after: k('hedge.after').optional() }).optional(),
    breaker: strict({
      failureRate: k('breaker.failureRate').optional(),
      minRequests: k('breaker.minRequests').optional(),
      window: k('breaker.window').optional(),
      openFor: k('breaker.openFor').optional(),
      halfOpenProbes: k('breaker.halfOpenProbes').optional(),
    }).optional(),
    outlier: strict({
      consecutiveErrors: k('outlier.consecutiveErrors').optional(),
      ejectFor: k('outlier.ejectFor').optional(),
      maxEjected: k('outlier.maxEjected').optional(),
    }).optional(),
    batching: strict({
      maxSize: k('batching.maxSize').optional(),
      maxBytes: k('batching.maxBytes').optional(),
      linger: k('batching.linger').optional(),
    }).optional(),
    compression: strict({ codec: k('compression.codec').optional(), minBytes: k('compression.minBytes').optional() }).optional(),
    delivery: k('delivery').optional(),
    concurrency: strict({ limit: k('concurrency.limit').optional() }).optional(),
    shedding: strict({ queueFraction: k('shedding.queueFraction').optional() }).optional(),
    resources: z.record(z.string(), roleResources).optional(),
    autoscale: z.record(z.string(), autoscaler).optional(),
    priority: priority.optional(),
    topology: topologyConfig.optional(),
  },
  'configuration key',
);

/** zod marks optional keys `T | undefined`; absent keys are simply left out, so this is exact. */
type Defined<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]: Defined<Exclude<T[K], undefined>> }
    : T;

/** Parsed configuration as the exact `MeshConfig` type (checked here at compile time). */
export function asMeshConfig(parsed: z.output<typeof configSchema>): MeshConfig {
  const exact: Defined<z.output<typeof configSchema>> = parsed as Defined<z.output<typeof configSchema>>;
  return exact;
}

type Plain = { [key: string]: unknown };

const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `over` merged onto `base` key by key, deeply: only what `over` names
 * changes. Returns new objects; neither input is modified.
 */
export function mergeConfig(base: MeshConfig, over: MeshConfig): MeshConfig {
  return mergePlain(base as Plain, over as Plain) as MeshConfig;
}

function mergePlain(base: Plain, over: Plain): Plain {
  const out: Plain = {};
  for (const [key, value] of Object.entries(base)) out[key] = isPlain(value) ? mergePlain(value, {}) : value;
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const prev = out[key];
    out[key] = isPlain(value) ? mergePlain(isPlain(prev) ? prev : {}, value) : value;
  }
  return out;
}
