/**
 * Plain data shared by the parts of a study: what one evaluation measured,
 * at which fidelity, and the record written for it. Everything here is
 * JSON-ready (non-finite numbers are written as strings by the persistence
 * layer and read back as numbers).
 */
import type { Metrics } from '../metrics/types.js';
import type { MeshConfig } from '../scenario/types.js';

/** The three modes a study optimises for (SPEC §1); `auto` resolves to one of them. */
export type Mode = 'performance' | 'reliability' | 'cost';
export type ModeArg = Mode | 'auto';
export const MODES: readonly Mode[] = ['performance', 'reliability', 'cost'];

/**
 * What a study compares, from one run or averaged over the seeds of an
 * evaluation. Latencies in ms, throughput per second, costs in the
 * scenario's currency. `p99` is Infinity when nothing was delivered (a run
 * that delivers nothing must never look fast).
 */
export interface Outcome {
  p99: number;
  p50: number;
  meanLatency: number;
  throughput: number;
  deliveryRatio: number;
  costPerDelivered: number;
  costTotal: number;
  costTokens: number;
  generated: number;
  delivered: number;
  retries: number;
  hedges: number;
  breakerOpens: number;
  /** Busy fraction of each role's worker slots. */
  utilization: Record<string, number>;
  /**
   * Over the seeds of an evaluation: the worst seed's p99 and delivery ratio
   * (absent for one seed, where they are `p99` and `deliveryRatio`). The
   * SLOs are held against these, so a candidate meets them on every seed,
   * not only on average — a margin against winners that pass on the search
   * seeds by luck and miss on fresh ones.
   */
  worstP99?: number;
  worstDeliveryRatio?: number;
  /** Per priority class (present when the workload names classes): what class SLOs are held against. */
  classes?: Record<string, ClassOutcome>;
}

/** One priority class's p99 and delivery ratio, with the worst seed's as in {@link Outcome}. */
export interface ClassOutcome {
  p99: number;
  deliveryRatio: number;
  worstP99?: number;
  worstDeliveryRatio?: number;
}

/**
 * How much simulation an evaluation buys: a fraction of the scenario's
 * duration (warm-up, workload windows and faults scaled with it) and how many
 * of the study's search seeds it runs.
 */
export interface Fidelity {
  /** 0 = cheapest rung; the top rung is full duration with every search seed. */
  level: number;
  /** Share of the scenario's duration, (0, 1]. */
  fraction: number;
  /** Number of search seeds (the first `seeds` of the study's list). */
  seeds: number;
}

/** Why an evaluation was run. */
export type Phase = 'auto' | 'search' | 'simplify' | 'confirm';

/** Metrics without the engine figures (which vary between identical runs). */
export type StoredMetrics = Omit<Metrics, 'engine'>;

/** One row of `evaluations.jsonl`: a configuration run at one fidelity on a list of seeds. */
export interface EvaluationRecord {
  /** `<phase>:<seq>`: the same proposal gets the same key when a study is resumed. */
  key: string;
  phase: Phase;
  /** Order of the proposal within its phase. */
  seq: number;
  /** Candidate id: 0 is the scenario's current configuration. */
  candidate: number;
  level: number;
  fraction: number;
  seeds: number[];
  /** The candidate in the search space's unit hypercube (null outside the search). */
  point: number[] | null;
  /** The full configuration simulated (the candidate merged over the scenario's). */
  config: MeshConfig;
  status: 'ok' | 'failed';
  error: string | null;
  /** Mean over seeds; null when failed. */
  outcome: Outcome | null;
  /** One outcome per seed, in the order of `seeds`; null for a seed whose run failed. */
  perSeed: Array<Outcome | null>;
  /** Budget charged, in full-run equivalents (one full-duration run on one seed = 1). */
  cost: number;
  /** Wall time of the runs, ms (the only field that varies between identical studies). */
  wallMs: number;
  /** Confirmation rows keep the full metrics (mean over seeds, engine figures left out). */
  metrics?: StoredMetrics;
}

export type { RunTask, RunResult, DetailedMetrics } from '../runner/task.js';
