/**
 * A capacity plan as plain data (JSON-ready except for Infinity, which the
 * CLI writes as null): the probes with their replications, the limit as an
 * interval, the bottleneck and the levers tried. SPEC §10 describes it.
 */
import type { MeshConfig } from '../scenario/types.js';
import type { AutoscalePlan } from './autoscale-plan.js';

/** The service levels a plan must keep. */
export interface PlanSlo {
  p99Ms: number | null;
  deliveryRatio: number | null;
  /**
   * Per priority class (the scenario's `slo.classes`): a load or a count
   * meets the SLOs only when every class meets its own as well.
   */
  classes?: Record<string, ClassSlo>;
}

/** One priority class's bounds (`slo.classes.<class>`). */
export interface ClassSlo {
  p99Ms: number | null;
  deliveryRatio: number | null;
}

/** An SLO by name: a global one (`class` null) or a class's. */
export interface SloRef {
  class: string | null;
  slo: 'p99' | 'deliveryRatio';
}

/** One class's share of a probe: its own messages pooled and judged as the probe's are. */
export interface ClassProbe {
  /** Pooled p99 of the class's messages, ms; Infinity when a seed delivered none of them. */
  p99Ms: number;
  p99Ci: [number, number] | null;
  /** Σ delivered / Σ generated of the class. */
  deliveryRatio: number;
  deliveryCi: [number, number] | null;
  /** The class's SLOs its intervals show broken. */
  breaks: Array<'p99' | 'deliveryRatio'>;
}

/** What a probe was shown to do: decided only when its interval clears the SLO. */
export type Verdict = 'meets' | 'breaks' | 'undecided';

/** One seed's run at a probed point. */
export interface Replication {
  seed: number;
  /** p99 of this seed's messages, ms; Infinity when it delivered nothing. */
  p99Ms: number;
  deliveryRatio: number;
  generated: number;
  delivered: number;
}

/** One probed point of a capacity search. */
export interface Probe {
  /** Load multiplier (load search) or replica count (role search). */
  x: number;
  /**
   * p99 of all replications' messages in one histogram (pooled), ms: what a
   * monitoring system shows over the same traffic. The SLO is judged on it.
   */
  p99Ms: number;
  /** Decision interval of the pooled p99 at the last look (sectioning; `level` two-sided); null with one replication. */
  p99Ci: [number, number] | null;
  /** Mean of the per-seed p99s, ms (the replication method's estimate; not the p99 of the traffic when seeds differ, e.g. a fault hitting another replica on each). */
  p99MeanMs: number;
  /** Delivered / generated over all replications. */
  deliveryRatio: number;
  deliveryCi: [number, number] | null;
  /** Busy fraction of each role's worker slots, mean over replications. */
  utilization: Record<string, number>;
  /** Busiest role and its utilisation. */
  bottleneck: { role: string; utilization: number };
  /** Over every SLO, the global ones and each class's. */
  verdict: Verdict;
  /**
   * The global SLOs its intervals show broken. The verdict is "breaks"
   * exactly when this or a class's `breaks` is non-empty.
   */
  breaks: Array<'p99' | 'deliveryRatio'>;
  /** Per class with an SLO (`slo.classes`), present only then. */
  classes?: Record<string, ClassProbe>;
  /** verdict === 'meets' (kept for readers of the first plan format). */
  meets: boolean;
  /** Two-sided level of `p99Ci` and `deliveryCi` (1 − 2α of one look, see SPEC §10). */
  level: number;
  replications: Replication[];
}

import type { ReplicaInWindow } from '../runner/attribution.js';
export type { FaultOnReplica, ReplicaInWindow, RunAttribution } from '../runner/attribution.js';

/** The bottleneck of a plan: the culprit most runs agree on, at the load where the SLO breaks. */
export interface Bottleneck {
  /** Load multiplier (or replica count) of the runs it was read from. */
  x: number;
  /**
   * `replica`: one replica (often one a fault hit) holds most slow messages;
   * `role`: the role's replicas are about equally busy (its capacity is the limit when they are busy, see `bottleneckText`).
   */
  kind: 'replica' | 'role';
  /** The culprit of the representative run (its seed below). */
  culprit: ReplicaInWindow;
  window: { fromMs: number; toMs: number };
  seed: number;
  /** Runs whose culprit has the same role, fault and kind; of `runs`. */
  agreeing: number;
  runs: number;
  /** Each run's culprit, by seed (victims of a fault differ between seeds). */
  perSeed: Array<{ seed: number; replica: string | null }>;
  /** One sentence for people. */
  text: string;
}

export type LeverKind = 'replicas' | 'outlier-ejection' | 'hedge' | 'balancer' | 'retry';

/** A change tried against the bottleneck, simulated at the lever load. */
export interface LeverResult {
  kind: LeverKind;
  /** What it changes, for people. */
  label: string;
  /** The configuration keys it sets (merged over the plan's configuration). */
  config: MeshConfig;
  /** Replica counts it sets. */
  roles: Record<string, number>;
  probe: Probe;
  /** Cost per delivered message, mean over replications. */
  costPerDelivered: number;
}

export interface PlanResult {
  /** `autoscale`: the role's autoscaler (target, min, max) at the lowest replica-hours; probes are targets. */
  kind: 'load' | 'role' | 'autoscale';
  role: string | null;
  /**
   * Load: the point estimate of the limit, a multiple of today's load (where
   * the monotone fit of p99 against load crosses the SLO, inside `interval`).
   * Role: the fewest replicas shown to meet the SLOs. Null when none was found.
   */
  answer: number | null;
  /**
   * Load: [highest load shown to meet, lowest load shown to break] (null when
   * none was); role: [fewest replicas not shown to break, fewest shown to meet].
   */
  interval: [number | null, number | null];
  /** Offered messages per second at the answer (load search). */
  offeredPerSec: number | null;
  /** Relative half-width aimed for, (high − low) / (high + low). */
  precision: number;
  /** True when the interval is as narrow as `precision` asks. */
  reached: boolean;
  /** Confidence the interval is designed for (SPEC §10). */
  confidence: number;
  /** Which p99 the SLO is judged on. */
  judgedOn: 'pooled';
  /** Simulation runs spent (probes and levers). */
  runs: number;
  /** Runs the plan was allowed. */
  budget: number;
  probes: Probe[];
  bottleneck: Bottleneck | null;
  /** Load multiplier the levers were simulated at; null when none was tried. */
  leverLoad: number | null;
  levers: LeverResult[];
  /** The lever recommended (its index in `levers`): shown to meet the SLOs, lowest p99; null when none is. */
  recommendation: { lever: number; kind: LeverKind; label: string } | null;
  recommendationText: string | null;
  /** What limited the plan or deserves a look (non-monotone probes, budget, undecided loads, a class SLO that binds). */
  notes: string[];
  /**
   * The SLOs that bind: those shown broken where the interval ends in a
   * break (load: the lowest load shown to break; role: the most replicas
   * shown to break). Empty when nothing was shown to break there; absent
   * from plans written before class SLOs were held.
   */
  binding?: SloRef[];
  /** kind `autoscale`: the autoscaler recommended, and the configuration's for comparison. */
  autoscale?: AutoscalePlan;
}
