/**
 * The structure of a scenario file (SPEC §4) as zod schemas: types, ranges,
 * units and the defaults that need nothing else from the file. Defaults that
 * depend on other fields (a workload's `stop`, a trace's format) and checks
 * across fields (role names) are in `normalize.ts`.
 */
import { z } from 'zod';
import { configSchema, TOPOLOGY_SHAPES } from './config.js';
import { searchSchema } from './search.js';
import { constant, dist, service } from './dist.js';
import { bandwidth, choice, duration, fraction, int, list, num, rate, strict } from './fields.js';
import { MAX_REPLICAS, MAX_SEED, MAX_WORKERS, TOPOLOGY_LIMITS } from './ranges.js';
import { describeValue } from './units.js';
import { unknownName } from './errors.js';

export const TOPOLOGY_KINDS = [
  'full-mesh',
  'star',
  'ring',
  'hierarchical',
  'small-world',
  'scale-free',
  'random',
  'explicit',
] as const;

export const PATTERNS = ['poisson', 'bursty', 'diurnal', 'closed', 'trace'] as const;
export const FAULT_KINDS = ['crash', 'slow', 'partition', 'loss', 'latency'] as const;
export const TRACE_FORMATS = ['csv', 'jsonl', 'azure-llm', 'otlp'] as const;

/** The default request and reply size, bytes. */
export const DEFAULT_SIZE = 1000;

/** Role names become agent names (`worker#3`), so they are plain words, and not `external`. */
const roleName = z
  .string()
  .regex(/^[A-Za-z][\w.-]*$/, { error: (iss) => `role names are words like worker or llm-1, got ${describeValue(iss.input)}` })
  .refine((n) => n !== 'external', { error: "'external' is reserved for traffic from outside the mesh" });

/** A reference to a role by name; whether it exists is checked once all roles are known. */
/** A priority class (`workload[i].class`): a plain word, so it can key `slo.classes` and `config.priority.weights`. */
export const className = () =>
  z.string().regex(/^[A-Za-z][\w-]*$/, { error: (iss) => `class names are words like gold or batch-jobs, got ${describeValue(iss.input)}` });

const roleRef = () =>
  z.string({
    error: (iss) => (iss.input === undefined ? 'required; expected a role name' : `expected a role name, got ${describeValue(iss.input)}`),
  });

export { MAX_REPLICAS, MAX_WORKERS };

/** `[min, max]`: whole numbers from 1 to `top`, min <= max. */
const countRange = (top: number) =>
  z
    .tuple([int({ min: 1, max: top }), int({ min: 1, max: top })], {
      error: (iss) => `expected [min, max], like [2, 16], got ${describeValue(iss.input)}`,
    })
    .superRefine(([min, max], ctx) => {
      if (min > max) ctx.addIssue({ code: 'custom', path: [1], message: `expected max >= min (${min}), got ${max}` });
    });

/** `scale: {count: [min, max], workers: [min, max]}`: what a study may give the role. */
const scaleBounds = strict({ count: countRange(MAX_REPLICAS).optional(), workers: countRange(MAX_WORKERS).optional() }, 'scale key').superRefine((s, ctx) => {
  if (s.count === undefined && s.workers === undefined) {
    ctx.addIssue({ code: 'custom', path: [], message: 'expected count: [min, max] and/or workers: [min, max]' });
  }
});

const role = strict({
  count: int({ min: 1, max: MAX_REPLICAS }),
  workers: int({ min: 1, max: MAX_WORKERS }).default(1),
  service: service(),
  relay: dist('duration').default(() => constant(0)),
  tokens: strict({
    in: dist('count').default(() => constant(0)),
    out: dist('count').default(() => constant(0)),
  }).optional(),
  scale: scaleBounds.optional(),
  /** Probability that a service at the role ends in an error (SPEC §4). */
  errors: fraction().default(0),
});

/**
 * `topology.search`: what a study may change in the graph — a tree's
 * branching factor, an overlay's degree, the edges per new node of a
 * scale-free graph, and for a tree the choice of a flat fan-out. Which keys
 * fit which kind is checked in normalize.ts.
 */
const topologySearch = strict(
  {
    fanout: countRange(TOPOLOGY_LIMITS.fanout).optional(),
    degree: countRange(TOPOLOGY_LIMITS.degree).optional(),
    m: countRange(TOPOLOGY_LIMITS.m).optional(),
    shape: list(choice(TOPOLOGY_SHAPES, 'shape', 'shapes'), 2, 2, 'expected both shapes: [tree, flat]').optional(),
  },
  'topology search key',
);

const topology = z.preprocess(
  // `topology: ring` is short for `topology: {kind: ring}`.
  (v) => (typeof v === 'string' ? { kind: v } : v),
  strict({
    kind: choice(TOPOLOGY_KINDS, 'topology kind', 'kinds').default('full-mesh'),
    fanout: int({ min: 1, max: TOPOLOGY_LIMITS.fanout }).default(8),
    degree: int({ min: 1, max: TOPOLOGY_LIMITS.degree }).default(4),
    rewire: fraction().default(0.1),
    m: int({ min: 1, max: TOPOLOGY_LIMITS.m }).default(2),
    edges: list(z.tuple([z.string(), z.string()]), 1_000_000).default(() => []),
    search: topologySearch.optional(),
  }),
);

const links = strict({
  latency: dist('duration').default(() => constant(0)),
  bandwidth: bandwidth().default(Infinity),
  loss: num({ min: 0, max: 1 }).default(0),
});

const fanout = strict({
  count: int({ min: 1, max: MAX_REPLICAS }),
  /** Replies needed before the scatter–gather completes; default all of them. */
  quorum: int({ min: 1, max: MAX_REPLICAS }).optional(),
}).superRefine((f, ctx) => {
  if (f.quorum !== undefined && f.quorum > f.count) {
    ctx.addIssue({ code: 'custom', path: ['quorum'], message: `expected 1 <= quorum <= count (${f.count}), got ${f.quorum}` });
  }
});

/** `reply: true` is a reply of the default size; `reply: {size: 2KB}` sets it. */
const reply = z.union(
  [z.boolean(), strict({ size: dist('size').default(() => constant(DEFAULT_SIZE)) })],
  { error: (iss) => `expected true, false or {size: 2KB}, got ${describeValue(iss.input)}` },
);

/** Most branches of a parallel group: the model joins them with a bit per branch. */
export const MAX_BRANCHES = 8;
/** Most stages of a message (`to`, then every role of `then`): one bit each in the model. */
export const MAX_STAGES = 31;

/** A branch of a parallel group: one role, or roles one after the other. */
const branch = z.union([roleRef(), list(roleRef(), MAX_STAGES - 1, 1)], {
  error: (iss) => `expected a role name or a list of role names, got ${describeValue(iss.input)}`,
});

/** `{parallel: [db, [cache, store]]}`: branches that start together and are joined when all have finished. */
const parallelGroup = strict({ parallel: list(branch, MAX_BRANCHES, 2) }, 'key', 'keys here (a group is {parallel: [...]})');

/** A step of `then`: a role, or a parallel group. */
const step = z.union([roleRef(), parallelGroup], {
  error: (iss) => `expected a role name or {parallel: [...]}, got ${describeValue(iss.input)}`,
});

const common = {
  from: roleRef().default('external'),
  to: roleRef(),
  size: dist('size').default(() => constant(DEFAULT_SIZE)),
  reply: reply.optional(),
  then: list(step, MAX_STAGES - 1).default(() => []),
  start: duration().default(0),
  stop: duration({ gt: 0 }).optional(),
  priority: int({ min: 0, max: 7 }).default(0),
  /** The priority class the entry's messages belong to (SPEC §4); absent = the class `default` when others are named. */
  class: className().optional(),
  keys: int({ min: 1, max: 2 ** 31 - 1 }).default(1024),
  fanout: fanout.optional(),
};

const poisson = strict({ ...common, pattern: z.literal('poisson'), rate: rate({ gt: 0 }) });

const bursty = strict({
  ...common,
  pattern: z.literal('bursty'),
  rate: rate(),
  burstRate: rate({ gt: 0 }),
  meanBurst: duration({ gt: 0 }),
  meanGap: duration({ gt: 0 }),
});

const diurnal = strict({
  ...common,
  pattern: z.literal('diurnal'),
  /** Required unless `table` is given. */
  rate: rate().optional(),
  amplitude: fraction().default(0.5),
  /** Default: the scenario's duration (one cycle per run). */
  period: duration({ gt: 0 }).optional(),
  table: list(strict({ at: duration(), rate: rate() }), 100_000).default(() => []),
});

const closed = strict({
  ...common,
  pattern: z.literal('closed'),
  clients: int({ min: 1, max: 100_000_000 }),
  think: dist('duration').default(() => constant(0)),
});

const trace = strict({
  ...common,
  pattern: z.literal('trace'),
  /** Needed only by formats whose rows carry no destination (azure-llm). */
  to: roleRef().optional(),
  file: z.string().min(1, { error: 'expected a file path' }),
  /** Default: from the file's extension (.csv, .jsonl). */
  format: choice(TRACE_FORMATS, 'trace format', 'formats').optional(),
  speedup: num({ gt: 0, max: 1e6 }).default(1),
  bytesPerToken: num({ gt: 0, max: 1e6 }).default(4),
  /** The priority classes the rows may name in their `class` column (SPEC §4); a row naming none is in the entry's `class`. */
  classes: list(className(), 8, 1).optional(),
});

/** A discriminated union whose error names the bad tag and the good ones. */
function tagged<const O extends readonly [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]]>(
  key: string,
  options: O,
  what: string,
  plural: string,
  names: readonly string[],
) {
  return z.discriminatedUnion(key, options, {
    error: (iss) => {
      const input = iss.input;
      if (iss.code !== 'invalid_union' || input === null || typeof input !== 'object') {
        return `expected a mapping with ${key}: ${names.join(' | ')}, got ${describeValue(input)}`;
      }
      const tag = (input as Record<string, unknown>)[key];
      if (tag === undefined) return `required; ${plural} are: ${names.join(', ')}`;
      return typeof tag === 'string'
        ? unknownName(what, tag, plural, names)
        : `expected one of ${names.join(', ')}; got ${describeValue(tag)}`;
    },
  });
}

const workload = tagged('pattern', [poisson, bursty, diurnal, closed, trace], 'workload pattern', 'patterns', PATTERNS);

const window = { at: duration(), for: duration() };

/** Which replicas a crash or slow fault hits: exactly one of count, fraction or zone. */
const selection = {
  target: roleRef(),
  count: int({ min: 1, max: MAX_REPLICAS }).optional(),
  fraction: num({ gt: 0, max: 1 }).optional(),
  /** 0-based index of the slice of the role, of `zones` equal slices. */
  zone: int({ min: 0, max: MAX_REPLICAS - 1 }).optional(),
  zones: int({ min: 1, max: MAX_REPLICAS }).default(4),
};

function checkSelection(f: { count?: number | undefined; fraction?: number | undefined; zone?: number | undefined; zones: number }, ctx: z.RefinementCtx): void {
  const given = (['count', 'fraction', 'zone'] as const).filter((k) => f[k] !== undefined);
  if (given.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: given.length > 1 ? [given[1] ?? 'count'] : [],
      message: `expected exactly one of count, fraction or zone${given.length > 1 ? `, got ${given.join(' and ')}` : ''}`,
    });
  }
  if (f.zone !== undefined && f.zone >= f.zones) {
    ctx.addIssue({ code: 'custom', path: ['zone'], message: `expected a zone from 0 to ${f.zones - 1} (zones: ${f.zones}), got ${f.zone}` });
  }
}

const crash = strict({
  kind: z.literal('crash'),
  ...selection,
  at: duration().optional(),
  for: duration().optional(),
  /** Recurring failures: mean time between failures and to repair, per replica. */
  mtbf: duration({ gt: 0 }).optional(),
  mttr: duration({ gt: 0 }).optional(),
}).superRefine((f, ctx) => {
  checkSelection(f, ctx);
  const recurring = f.mtbf !== undefined || f.mttr !== undefined;
  if (recurring) {
    if (f.mtbf === undefined) ctx.addIssue({ code: 'custom', path: ['mtbf'], message: 'required with mttr; expected a duration like 10m' });
    if (f.mttr === undefined) ctx.addIssue({ code: 'custom', path: ['mttr'], message: 'required with mtbf; expected a duration like 30s' });
  } else {
    if (f.at === undefined) ctx.addIssue({ code: 'custom', path: ['at'], message: 'required (or mtbf and mttr); expected a duration like 30s' });
    if (f.for === undefined) ctx.addIssue({ code: 'custom', path: ['for'], message: 'required (or mtbf and mttr); expected a duration like 20s' });
  }
});

/** A slowdown or latency multiplier. */
const factor = () => num({ gt: 0, max: 1e6 });

const slow = strict({ kind: z.literal('slow'), ...selection, factor: factor(), ...window }).superRefine(checkSelection);

/** A side of a partition: one role or a list of roles. */
const side = z.union([roleRef(), list(roleRef(), 10_000, 1)], {
  error: (iss) => `expected a role or a list of roles, got ${describeValue(iss.input)}`,
});

const partition = strict({
  kind: z.literal('partition'),
  between: z.tuple([side, side], { error: (iss) => `expected two sides, like [coordinator, reviewer] or [[a, b], [c]], got ${describeValue(iss.input)}` }),
  ...window,
});

const loss = strict({ kind: z.literal('loss'), rate: fraction(), ...window });
const latency = strict({ kind: z.literal('latency'), factor: factor(), ...window });

const fault = tagged('kind', [crash, slow, partition, loss, latency], 'fault kind', 'fault kinds', FAULT_KINDS);

const classSlo = strict({
  p99: duration({ gt: 0 }).optional(),
  deliveryRatio: fraction().optional(),
});

const slo = strict({
  p99: duration({ gt: 0 }).optional(),
  deliveryRatio: fraction().optional(),
  /** Per priority class (which classes exist is checked against the workload). */
  classes: z.record(className(), classSlo).optional(),
});

/**
 * A price per unit, in the scenario's currency. Generous (tests price a
 * byte or a CPU millisecond at 1 to count them), yet every total stays finite.
 */
const unitPrice = () => num({ min: 0, max: 1e12 });
const price = () => unitPrice().default(0);
const cost = strict({
  perMessage: price(),
  perGB: price(),
  perCpuHour: price(),
  perAgentHour: price(),
  /** Absent when not given (the shape scenarios had before it): no slot is priced. */
  perSlotHour: unitPrice().optional(),
  perMTokenIn: price(),
  perMTokenOut: price(),
});

/** A whole scenario file. */
export const scenarioSchema = strict(
  {
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    duration: duration({ gt: 0 }),
    warmup: duration().default(0),
    drain: duration().default(60_000),
    seed: int({ min: 0, max: MAX_SEED }).default(1),
    roles: z
      .record(roleName, role)
      .refine((r) => Object.keys(r).length > 0, { error: 'expected at least one role, like worker: {count: 4, service: 40ms}' }),
    topology: topology.default(() => ({ kind: 'full-mesh' as const, fanout: 8, degree: 4, rewire: 0.1, m: 2, edges: [] })),
    links: links.default(() => ({ latency: constant(0), bandwidth: Infinity, loss: 0 })),
    workload: list(workload, 100_000, 1, 'expected at least one workload entry, like {pattern: poisson, to: worker, rate: 50/s}'),
    faults: list(fault, 100_000).default(() => []),
    slo: slo.default(() => ({})),
    cost: cost.default(() => ({ perMessage: 0, perGB: 0, perCpuHour: 0, perAgentHour: 0, perMTokenIn: 0, perMTokenOut: 0 })),
    config: configSchema.default(() => ({})),
    search: searchSchema,
  },
  'scenario key',
  'scenario keys',
);

export type ParsedScenario = z.output<typeof scenarioSchema>;
export type ParsedWorkload = ParsedScenario['workload'][number];
export type ParsedFault = ParsedScenario['faults'][number];
