/**
 * What "better" means in each mode (SPEC §1), as a total order on outcomes:
 *
 * 1. a failed evaluation is last;
 * 2. a candidate that meets the SLOs beats any that does not, and among
 *    those that do not, the smaller total relative violation wins;
 * 3. then the mode's objective, then its tie-breaks, in order.
 *
 * | mode        | objective                  | tie-breaks              | constraints                 |
 * | performance | min p99                    | mean latency, throughput| delivery ≥ SLO, p99 ≤ SLO   |
 * | reliability | max delivery ratio         | p99                     | p99 ≤ SLO, delivery ≥ SLO   |
 * | cost        | min cost per delivered     | p99, delivery ratio     | p99 ≤ SLO, delivery ≥ SLO   |
 *
 * When the scenario states no delivery SLO, performance and cost modes use
 * 0.99: without it, a configuration that drops most messages would "win" on
 * latency or cost per message.
 */
import type { ClassSlo, SloSpec } from '../scenario/types.js';
import { mean, stdev, studentTQuantile } from '../metrics/stats.js';
import type { ClassOutcome, Mode, Outcome } from './types.js';

export type Metric = 'p99' | 'meanLatency' | 'throughput' | 'deliveryRatio' | 'costPerDelivered';

/** +1: smaller is better; −1: larger is better. */
export const DIRECTION: Readonly<Record<Metric, 1 | -1>> = {
  p99: 1,
  meanLatency: 1,
  throughput: -1,
  deliveryRatio: -1,
  costPerDelivered: 1,
};

export const PRIMARY: Readonly<Record<Mode, Metric>> = {
  performance: 'p99',
  reliability: 'deliveryRatio',
  cost: 'costPerDelivered',
};

const TIE_BREAKS: Readonly<Record<Mode, Metric[]>> = {
  performance: ['meanLatency', 'throughput'],
  reliability: ['p99'],
  cost: ['p99', 'deliveryRatio'],
};

/**
 * The search's margin from the delivery SLO (see Objective.margin). An
 * objective that trades delivery for latency (a deadline that drops late
 * messages) settles exactly on the delivery bound, and on fresh seeds half of
 * such winners would fall just short: 10% of the allowed loss is the room left
 * for that sampling noise. Nothing pushes a winner onto the p99 bound the same
 * way, and holding it on every search seed is margin enough there.
 */
export const SEARCH_MARGIN = 0.1;

/** The objective the search ranks by: the mode's, with the SLO margin. */
export function searchObjective(obj: Objective): Objective {
  return { ...obj, margin: SEARCH_MARGIN };
}

/** Delivery SLO assumed by modes that need one when the scenario gives none. */
export const DEFAULT_DELIVERY_SLO = 0.99;

/** Relative weight of latency, loss and cost in a study (auto's reading of the workload). */
export interface Weights {
  latency: number;
  loss: number;
  cost: number;
}

export interface Objective {
  mode: Mode;
  /**
   * Safety margin the search keeps from the delivery SLO, as a fraction: loss
   * within (1 − margin) of what the SLO allows. Absent (0) for judging claims
   * on fresh seeds.
   */
  margin?: number;
  /** Constraints in force (null = none); `classes`: per priority class, held like the global ones. */
  slo: { p99: number | null; deliveryRatio: number | null; classes?: Record<string, ClassSlo> };
  primary: Metric;
  tieBreaks: Metric[];
  weights: Weights;
  /** How the constraints were set, for the report. */
  notes: string[];
}

const MODE_WEIGHTS: Readonly<Record<Mode, Weights>> = {
  performance: { latency: 1, loss: 0, cost: 0 },
  reliability: { latency: 0, loss: 1, cost: 0 },
  cost: { latency: 0, loss: 0, cost: 1 },
};

const METRIC_OF: Readonly<Record<keyof Weights, Metric>> = { latency: 'p99', loss: 'deliveryRatio', cost: 'costPerDelivered' };

/**
 * The objective of a mode under the scenario's SLOs. With `weights` (auto),
 * the tie-breaks after the mode's own follow the weights, heaviest first.
 */
export function makeObjective(mode: Mode, slo: SloSpec, weights?: Weights): Objective {
  const notes: string[] = [];
  // Every mode holds every SLO the scenario states: meeting them comes first,
  // whatever the mode optimises (a faster candidate that misses the p99 SLO
  // never beats one that meets it; in reliability mode, a delivery ratio
  // short of its SLO is a shortfall to report, not just a lower score).
  let delivery = slo.deliveryRatio;
  if (delivery === null && (mode === 'performance' || mode === 'cost')) {
    delivery = DEFAULT_DELIVERY_SLO;
    notes.push(`the scenario gives no delivery-ratio SLO; ${mode} mode requires delivery ratio ≥ ${DEFAULT_DELIVERY_SLO}`);
  }
  const p99 = slo.p99;
  if (p99 === null && mode !== 'performance') notes.push('the scenario gives no p99 SLO; latency is not constrained');
  const primary = PRIMARY[mode];
  let tieBreaks = [...TIE_BREAKS[mode]];
  if (weights !== undefined) {
    const ranked = (Object.keys(weights) as Array<keyof Weights>)
      .filter((k) => weights[k] > 0)
      .sort((a, b) => weights[b] - weights[a])
      .map((k) => METRIC_OF[k])
      .filter((m) => m !== primary);
    tieBreaks = [...new Set([...ranked, ...tieBreaks])];
  }
  const classes = slo.classes !== undefined && Object.keys(slo.classes).length > 0 ? { classes: slo.classes } : {};
  return { mode, slo: { p99, deliveryRatio: delivery, ...classes }, primary, tieBreaks, weights: weights ?? MODE_WEIGHTS[mode], notes };
}

/**
 * Total relative violation of the constraints, on the evaluation's worst
 * seed: 0 when feasible. p99 counts
 * its excess over the bound relative to the bound; delivery counts its
 * shortfall relative to the loss the SLO allows (1 − bound, at least 0.001),
 * so that 99% against a 99.9% SLO (ten times the allowed loss) weighs as much
 * as a p99 ten times over its bound.
 */
export function violation(obj: Objective, o: Outcome): number {
  let v = sloViolation(obj.slo, obj.margin ?? 0, o);
  // A class SLO is held like the global ones, on the class's own figures; an
  // outcome without them (a failed class) misses it entirely.
  for (const [name, slo] of Object.entries(obj.slo.classes ?? {})) {
    v += sloViolation(slo, obj.margin ?? 0, o.classes?.[name] ?? { p99: Infinity, deliveryRatio: 0 });
  }
  return v;
}

/** What {@link violation} adds up for one pair of bounds. */
function sloViolation(slo: ClassSlo, margin: number, o: { p99: number; deliveryRatio: number; worstP99?: number; worstDeliveryRatio?: number }): number {
  let v = 0;
  const p99 = slo.p99;
  const deliveryRatio = slo.deliveryRatio === null ? null : 1 - (1 - slo.deliveryRatio) * (1 - margin);
  // Held on the worst seed of the evaluation (see Outcome.worstP99).
  if (p99 !== null) {
    const w = o.worstP99 ?? o.p99;
    const x = Number.isNaN(w) ? Infinity : w;
    if (x > p99) v += (x - p99) / p99;
  }
  if (deliveryRatio !== null) {
    const w = o.worstDeliveryRatio ?? o.deliveryRatio;
    const x = Number.isNaN(w) ? 0 : w;
    if (x < deliveryRatio) v += (deliveryRatio - x) / Math.max(1 - deliveryRatio, 1e-3);
  }
  return v;
}

/**
 * The class bounds an outcome misses on its own figures, in the classes'
 * order, p99 before delivery within a class; a class the outcome has no
 * figures for misses every bound it has.
 */
export function classSloMisses(
  classes: Record<string, ClassSlo> | undefined,
  o: Pick<Outcome, 'classes'>,
): Array<{ name: string; metric: 'p99' | 'deliveryRatio' }> {
  const out: Array<{ name: string; metric: 'p99' | 'deliveryRatio' }> = [];
  for (const [name, slo] of Object.entries(classes ?? {})) {
    const c = o.classes?.[name];
    if (slo.p99 !== null && !(c !== undefined && c.p99 <= slo.p99)) out.push({ name, metric: 'p99' });
    if (slo.deliveryRatio !== null && !(c !== undefined && c.deliveryRatio >= slo.deliveryRatio)) out.push({ name, metric: 'deliveryRatio' });
  }
  return out;
}

/** The objective with one SLO in force: the global p99, the global delivery, then each class bound. */
export function eachSlo(obj: Objective): Objective[] {
  const none = { p99: null, deliveryRatio: null };
  const parts: Objective[] = [
    { ...obj, slo: { p99: obj.slo.p99, deliveryRatio: null } },
    { ...obj, slo: { p99: null, deliveryRatio: obj.slo.deliveryRatio } },
  ];
  for (const [name, c] of Object.entries(obj.slo.classes ?? {})) {
    if (c.p99 !== null) parts.push({ ...obj, slo: { ...none, classes: { [name]: { p99: c.p99, deliveryRatio: null } } } });
    if (c.deliveryRatio !== null) parts.push({ ...obj, slo: { ...none, classes: { [name]: { p99: null, deliveryRatio: c.deliveryRatio } } } });
  }
  return parts;
}

/** The objective with the global and every class's delivery-ratio SLO lifted (the p99 SLOs kept). */
export function withoutDeliverySlo(obj: Objective): Objective {
  const classes = obj.slo.classes === undefined ? {} : { classes: Object.fromEntries(Object.entries(obj.slo.classes).map(([name, c]) => [name, { ...c, deliveryRatio: null }])) };
  return { ...obj, slo: { p99: obj.slo.p99, deliveryRatio: null, ...classes } };
}

export function feasible(obj: Objective, o: Outcome): boolean {
  return violation(obj, o) === 0;
}

/** A metric oriented so that smaller is better; NaN counts as the worst value. */
export function oriented(metric: Metric, o: Outcome): number {
  const x = o[metric];
  return Number.isNaN(x) ? Infinity : DIRECTION[metric] * x;
}

function cmp(a: number, b: number): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * Relative difference in the mode's objective that a simplified winner may
 * lose against the winner, per seed: a change is worth keeping when putting
 * it back costs more than this.
 */
export const SIMPLIFY_TOLERANCE = 0.02;

/** An outcome with its per-seed values (for paired comparisons). */
export interface Measured {
  outcome: Outcome | null;
  perSeed: ReadonlyArray<Outcome | null>;
}

/**
 * The scale a difference of the objective is judged against: the value
 * itself, or for delivery its complement — 99.0% against 99.9% is ten times
 * the loss, not a 0.9% difference. A winner that loses nothing leaves no room.
 */
function objectiveScale(obj: Objective, o: Outcome): number {
  const x = obj.primary === 'deliveryRatio' ? 1 - o.deliveryRatio : Math.abs(oriented(obj.primary, o));
  return Number.isFinite(x) && x > 0 ? x : Number.MIN_VALUE;
}

/** Each SLO in force that `a` misses on this seed while `b` meets it. */
function slosLost(obj: Objective, a: Outcome, b: Outcome): boolean {
  return eachSlo(obj).some((o) => feasible(o, one(b)) && !feasible(o, one(a)));
}

/**
 * True when configuration `a` is shown not worse than `b` (non-inferior),
 * paired by seed over the seeds `a` was measured on (the first ones of `b`'s):
 *
 * - on no seed does `a` miss an SLO that `b` meets there, nor violate the
 *   SLOs by more than `b` does (by more than the tolerance);
 * - and the mode's objective is within `tolerance` (relative) of `b`'s on
 *   every seed, or the one-sided 95% upper confidence bound of the mean
 *   relative difference is within it (a non-inferiority test, margin =
 *   tolerance; Wellek, "Testing Statistical Hypotheses of Equivalence and
 *   Noninferiority", 2010).
 *
 * What the simplification of the winner asks of a configuration with a
 * change put back. With three seeds a two-sided "not shown worse" (a CI that
 * contains 0) accepts almost anything — a p99 270 times worse on two seeds
 * of three included; this rule keeps a change unless its removal is shown
 * harmless.
 */
export function nonInferior(obj: Objective, a: Measured, b: Measured, tolerance = SIMPLIFY_TOLERANCE): boolean {
  if (a.outcome === null || b.outcome === null) return false;
  const rel: number[] = [];
  for (let i = 0; i < a.perSeed.length; i++) {
    const x = a.perSeed[i];
    const z = b.perSeed[i];
    if (!x || !z) return false;
    if (slosLost(obj, x, z)) return false;
    if (violation(obj, one(x)) > violation(obj, one(z)) * (1 + tolerance)) return false;
    rel.push((oriented(obj.primary, x) - oriented(obj.primary, z)) / objectiveScale(obj, z));
  }
  if (rel.length === 0 || rel.some((d) => Number.isNaN(d))) return false;
  if (rel.every((d) => d <= tolerance)) return true;
  if (rel.length < 2 || rel.some((d) => !Number.isFinite(d))) return false;
  const n = rel.length;
  const upper = mean(rel) + studentTQuantile(0.95, n - 1) * (stdev(rel) / Math.sqrt(n));
  return upper <= tolerance;
}

/** One seed's outcome, its own worst seed. */
function one(o: Outcome): Outcome {
  const classes = o.classes === undefined ? {} : { classes: mapClasses(o.classes, (c) => ({ ...c, worstP99: c.p99, worstDeliveryRatio: c.deliveryRatio })) };
  return { ...o, worstP99: o.p99, worstDeliveryRatio: o.deliveryRatio, ...classes };
}

/** Each class of an outcome through `f`. */
export function mapClasses(classes: Record<string, ClassOutcome>, f: (c: ClassOutcome) => ClassOutcome): Record<string, ClassOutcome> {
  return Object.fromEntries(Object.entries(classes).map(([name, c]) => [name, f(c)]));
}

/**
 * `a` is better than `b` by enough to act on: it meets the SLOs better, or
 * it is better on the mode's objective by more than `tolerance` (relative;
 * delivery judged on the loss). A search walking a knob towards an edge
 * (a hedge ever earlier) stops where the gain falls below what is worth a
 * change — short of the edge, where a rare seed would fall over it.
 */
export function materiallyBetter(obj: Objective, a: Outcome | null, b: Outcome | null, tolerance = SIMPLIFY_TOLERANCE): boolean {
  if (a === null) return false;
  if (b === null) return true;
  if (compareOutcomes(obj, a, b) >= 0) return false;
  if (violation(obj, a) < violation(obj, b)) return true;
  return oriented(obj.primary, b) - oriented(obj.primary, a) > tolerance * objectiveScale(obj, b);
}

/** Negative when `a` is better than `b`, positive when worse, 0 when equal in every respect. */
export function compareOutcomes(obj: Objective, a: Outcome | null, b: Outcome | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const c = cmp(violation(obj, a), violation(obj, b));
  if (c !== 0) return c;
  for (const m of [obj.primary, ...obj.tieBreaks]) {
    const d = cmp(oriented(m, a), oriented(m, b));
    if (d !== 0) return d;
  }
  return 0;
}
