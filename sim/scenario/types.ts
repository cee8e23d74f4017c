/**
 * A scenario after loading: units resolved (durations in milliseconds, sizes
 * in bytes, rates per second), defaults filled, names checked. Everything
 * downstream (model, study, report) sees only this plain, validated shape.
 */
import type { DistSpec } from '../engine/distributions.js';

export type { DistSpec };

/** A role's service time: a distribution, or an LLM call priced by tokens. */
export type ServiceSpec =
  | DistSpec
  | { dist: 'tokens'; base: number; perTokenIn: number; perTokenOut: number };

export interface TokensSpec {
  in: DistSpec;
  out: DistSpec;
}

export interface RoleSpec {
  name: string;
  /** Replicas of the role. */
  count: number;
  /** Parallel service slots per replica. */
  workers: number;
  /** Service time per message, ms. */
  service: ServiceSpec;
  /** Time a replica spends forwarding a message it relays for others, ms. */
  relay: DistSpec;
  /** Tokens consumed per message served (LLM roles); null when not an LLM. */
  tokens: TokensSpec | null;
  /** Bounds a study searches the role's resources within; absent when it may not change them. */
  scale?: ScaleBounds;
  /** Probability that a service at the role ends in an error (0: never). */
  errors: number;
}

/** `roles.<role>.scale`: inclusive [min, max] of replicas and of worker slots per replica. */
export interface ScaleBounds {
  count: [number, number] | null;
  workers: [number, number] | null;
}

export type TopologyKind =
  | 'full-mesh'
  | 'star'
  | 'ring'
  | 'hierarchical'
  | 'small-world'
  | 'scale-free'
  | 'random'
  | 'explicit';

export interface TopologySpec {
  kind: TopologyKind;
  /** hierarchical: children per node. */
  fanout: number;
  /** small-world: neighbours per node (even); random: mean degree. */
  degree: number;
  /** small-world: rewiring probability. */
  rewire: number;
  /** scale-free: edges added per new node (Barabási–Albert m). */
  m: number;
  /** explicit: undirected edges between agent names (`role#i`). */
  edges: Array<[string, string]>;
  /** What a study may change in the graph (SPEC §4); absent when it may not. */
  search?: TopologySearch;
}

/** `tree` = the hierarchical graph by `fanout`; `flat` = one coordinator linked to every other agent. */
export type TopologyShape = 'tree' | 'flat';

/** `topology.search`: inclusive [min, max] ranges, and the shapes to choose between. */
export interface TopologySearch {
  fanout?: [number, number];
  degree?: [number, number];
  m?: [number, number];
  shape?: TopologyShape[];
}

/** `config.topology`: the graph's settings a configuration overrides (SPEC §5). */
export interface TopologyConfig {
  fanout?: number;
  degree?: number;
  m?: number;
  shape?: TopologyShape;
}

export interface LinksSpec {
  /** One-way latency, ms. */
  latency: DistSpec;
  /** Bytes per second; Infinity = no transmission delay. */
  bandwidth: number;
  /** Probability that a transmission is lost. */
  loss: number;
}

/**
 * `{parallel: [...]}` in `then`: branches that start together from the stage
 * before the group and are joined when every one has finished. Each branch is
 * an inclusive [first, last] range of indexes into `then`; the branches are
 * consecutive, in the order written.
 */
export interface ParallelGroup {
  branches: Array<[number, number]>;
}

export interface FanoutSpec {
  count: number;
  quorum: number;
}

interface WorkloadCommon {
  /** `external` or a role name. */
  from: string;
  /** The first role the message is sent to. */
  to: string;
  /** Request size, bytes. */
  size: DistSpec;
  /** Present for request–reply: the reply's size, bytes. */
  reply: { size: DistSpec } | null;
  /**
   * Hand-offs after `to`, in stage order, with the roles of parallel groups
   * flattened in: stage k + 1 is then[k].
   */
  then: string[];
  /** The parallel groups among `then`, in order (empty when none). */
  parallel: ParallelGroup[];
  /** Window in which the entry sends, ms. `stop` defaults to the scenario duration. */
  start: number;
  stop: number;
  /** 0 (lowest) … 7. */
  priority: number;
  /** Priority class (SPEC §4); absent when the file names none. */
  class?: string;
  /** Key space for consistent hashing (keys drawn uniformly in [0, keys)). */
  keys: number;
  /** Scatter–gather on the first stage. */
  fanout: FanoutSpec | null;
}

export interface PoissonWorkload extends WorkloadCommon {
  pattern: 'poisson';
  /** Messages per second. */
  rate: number;
}

export interface BurstyWorkload extends WorkloadCommon {
  pattern: 'bursty';
  rate: number;
  burstRate: number;
  /** Mean length of a burst, ms. */
  meanBurst: number;
  /** Mean length of a normal period, ms. */
  meanGap: number;
}

export interface DiurnalWorkload extends WorkloadCommon {
  pattern: 'diurnal';
  /** Mean rate, per second (sinusoid form). */
  rate: number;
  /** Relative amplitude in [0, 1] (sinusoid form). */
  amplitude: number;
  /** Period, ms (sinusoid form). */
  period: number;
  /** Piecewise-constant alternative: rate from `at` (ms) on. Empty = sinusoid. */
  table: Array<{ at: number; rate: number }>;
}

export interface ClosedWorkload extends WorkloadCommon {
  pattern: 'closed';
  /** Number of clients, each with one message outstanding at a time. */
  clients: number;
  /** Think time between a completion and the next send, ms. */
  think: DistSpec;
}

export type TraceFormat = 'csv' | 'jsonl' | 'azure-llm' | 'otlp';

export interface TraceWorkload extends WorkloadCommon {
  pattern: 'trace';
  /** Absolute path (resolved against the scenario file's folder). */
  file: string;
  format: TraceFormat;
  /** Divides the trace's inter-arrival times. */
  speedup: number;
  /** azure-llm: bytes per token for the message size. */
  bytesPerToken: number;
  /** Priority classes its rows may name (`class` column); empty when they name none. */
  classes: string[];
}

export type WorkloadSpec = PoissonWorkload | BurstyWorkload | DiurnalWorkload | ClosedWorkload | TraceWorkload;

/** A fault window: from `at` for `for` ms; or recurring by `mtbf`/`mttr` (crash only). */
interface FaultWindow {
  at: number;
  for: number;
}

export interface CrashFault extends FaultWindow {
  kind: 'crash';
  target: string;
  /** Replicas affected: `count`, or `fraction` of the role (rounded up). */
  count: number | null;
  fraction: number | null;
  /** Correlated failure: the k-th of `zones` equal slices of the role. */
  zone: number | null;
  zones: number;
  /** Recurring failures per replica (ms); both null for a single window. */
  mtbf: number | null;
  mttr: number | null;
}

export interface SlowFault extends FaultWindow {
  kind: 'slow';
  target: string;
  count: number | null;
  fraction: number | null;
  zone: number | null;
  zones: number;
  /** Service time multiplier. */
  factor: number;
}

export interface PartitionFault extends FaultWindow {
  kind: 'partition';
  /** Two groups of roles; links between them are cut. */
  between: [string[], string[]];
}

export interface LossFault extends FaultWindow {
  kind: 'loss';
  /** Extra loss probability on every link. */
  rate: number;
}

export interface LatencyFault extends FaultWindow {
  kind: 'latency';
  /** Link latency multiplier. */
  factor: number;
}

export type FaultSpec = CrashFault | SlowFault | PartitionFault | LossFault | LatencyFault;

export interface SloSpec {
  /** End-to-end p99 latency bound, ms. */
  p99: number | null;
  /** Minimum delivery ratio in [0, 1]. */
  deliveryRatio: number | null;
  /** Per priority class; absent when the file gives none (the shape older scenarios had). */
  classes?: Record<string, ClassSlo>;
}

/** `slo.classes.<class>`: the bounds one priority class must meet. */
export interface ClassSlo {
  p99: number | null;
  deliveryRatio: number | null;
}

/** Prices; every field defaults to 0. */
export interface CostSpec {
  perMessage: number;
  perGB: number;
  perCpuHour: number;
  perAgentHour: number;
  /** Per worker slot and hour it runs (a replica of `workers` slots pays it `workers` times); absent = 0. */
  perSlotHour?: number;
  perMTokenIn: number;
  perMTokenOut: number;
}

// ---------------------------------------------------------------------------
// Configuration (SPEC §5): the knobs a study tunes. Every key is optional; an
// absent key leaves its mechanism off.

export type BalancerKind = 'random' | 'round-robin' | 'least-request' | 'p2c' | 'peak-ewma' | 'consistent-hash';
export type PathKind = 'shortest' | 'ecmp' | 'adaptive';
export type BufferPolicy = 'drop-tail' | 'drop-head' | 'priority' | 'backpressure';
export type JitterKind = 'none' | 'full' | 'equal' | 'decorrelated';
export type CodecKind = 'none' | 'gzip' | 'brotli';
export type DeliveryKind = 'at-most-once' | 'at-least-once' | 'exactly-once';

export interface MeshConfig {
  routing?: {
    balancer?: BalancerKind;
    path?: PathKind;
    /** Copies over disjoint paths (1–3). */
    redundancy?: number;
    /** Messages at or above this priority get `redundancy` copies. */
    redundantPriority?: number;
  };
  buffer?: { capacity?: number; policy?: BufferPolicy };
  timeout?: { perTry?: number; overall?: number };
  retry?: { maxAttempts?: number; base?: number; cap?: number; jitter?: JitterKind; budget?: number };
  hedge?: { after?: number };
  breaker?: {
    failureRate?: number;
    minRequests?: number;
    window?: number;
    openFor?: number;
    halfOpenProbes?: number;
  };
  outlier?: { consecutiveErrors?: number; ejectFor?: number; maxEjected?: number };
  batching?: { maxSize?: number; maxBytes?: number; linger?: number };
  compression?: { codec?: CodecKind; minBytes?: number };
  delivery?: DeliveryKind;
  concurrency?: { limit?: number | 'aimd' | 'gradient' };
  shedding?: { queueFraction?: number };
  /** Replicas and worker slots per role (SPEC §5); absent roles keep the scenario's. */
  resources?: Record<string, RoleResources>;
  /** Roles whose replica count an autoscaler decides at run time. */
  autoscale?: Record<string, AutoscaleConfig>;
  /** Weighted fair sharing across priority classes (SPEC §5). */
  priority?: { weights?: Record<string, number> };
  /** The topology's fanout, degree, m or shape instead of the scenario's (SPEC §5). */
  topology?: TopologyConfig;
}

export interface RoleResources {
  count?: number;
  workers?: number;
}

export type AutoscalePolicy = 'reactive' | 'predictive';
export type AutoscaleMetric = 'utilization' | 'queue';

/**
 * A role's autoscaler (SPEC §5): target tracking as Kubernetes' HPA computes
 * it, or scaling for a forecast of the arrival rate. Durations in ms.
 */
export interface AutoscaleConfig {
  policy?: AutoscalePolicy;
  metric?: AutoscaleMetric;
  /** Utilisation in (0, 1], or messages in service or waiting per replica. */
  target?: number;
  min?: number;
  max: number;
  period?: number;
  tolerance?: number;
  upWindow?: number;
  downWindow?: number;
  provisioning?: number;
  /** Predictive: the length of the load's cycle (a day), for the seasonal term. */
  season?: number;
  /** How fast the count may rise / fall (the HPA's behavior.scaleUp / scaleDown policies). */
  upRate?: ScaleRateConfig;
  downRate?: ScaleRateConfig;
}

/** Rate policies of one scaling direction; durations in ms. */
export interface ScaleRateConfig {
  select?: 'max' | 'min' | 'disabled';
  policies?: Array<{ type: 'pods' | 'percent'; value: number; period: number }>;
}

/** A knob's search range (SPEC §5, the scenario's `search` block). */
export type KnobRange =
  | { kind: 'int'; min: number; max: number; log: boolean }
  | { kind: 'float'; min: number; max: number; log: boolean }
  | { kind: 'choice'; values: Array<string | number | boolean | null> };

export interface SearchSpec {
  /** Knob path (`retry.maxAttempts`) → its range; overrides the default space. */
  knobs: Record<string, KnobRange>;
  /** Knob paths left out of the search. */
  exclude: string[];
  /** When non-empty, only these knob paths are searched. */
  only: string[];
}

export interface Scenario {
  name: string;
  /** One-line description (the comment at the top of a library file). */
  description: string;
  /** Absolute path of the file it came from ('' when built in code). */
  file: string;
  /** Simulated time during which sources send, ms. */
  duration: number;
  /** Messages created before this are not measured, ms. */
  warmup: number;
  /** How long the run may drain after `duration`, ms. */
  drain: number;
  seed: number;
  roles: RoleSpec[];
  topology: TopologySpec;
  links: LinksSpec;
  workload: WorkloadSpec[];
  faults: FaultSpec[];
  slo: SloSpec;
  cost: CostSpec;
  config: MeshConfig;
  search: SearchSpec;
}
