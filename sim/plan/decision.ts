/**
 * The decision rule of a capacity plan (SPEC §10): a probe meets the SLOs
 * only when its interval lies wholly inside them and breaks only when the
 * interval of one lies wholly outside; replications are added in looks
 * (4, 8, 16 seeds by default) until it is decided or the looks run out.
 *
 * Error control. A verdict can be wrong in one direction only (a probe truly
 * within the SLO can only be wrongly judged "breaks", and the other way
 * round), so its error is a one-sided tail. The plan aims at a two-sided
 * confidence `confidence` for its interval, α = (1 − confidence)/2 for each
 * end's verdict, and spends α over the looks by Bonferroni: α/K per look, K
 * the number of looks. However many looks it took, a verdict at a given load
 * is then wrong with probability at most α, and the interval [highest load
 * shown to meet, lowest load shown to break] misses the true limit (when p99
 * grows with load) with probability at most 2α = 1 − confidence for any two
 * loads fixed in advance. The plan chooses its loads from the data, which the
 * bound does not cover; the coverage is measured instead
 * (scripts/plan-coverage.ts, results/plan/coverage.md).
 */
import { LatencyHistogram } from '../metrics/histogram.js';
import { studentTQuantile } from '../metrics/stats.js';
import type { PlanSlo, Verdict } from './types.js';
import type { ProbeStats } from './probe-stats.js';

/** How much a plan may spend and how narrow it aims. */
export interface Effort {
  /** Replications at the first look of a probe. */
  initialReplications: number;
  /** Replications at the last look (looks double from the first). */
  maxReplications: number;
  /** Relative half-width of the interval aimed for: (high − low)/(high + low). */
  precision: number;
  /** Runs the whole plan may spend (probes and levers). */
  budgetRuns: number;
  /** Two-sided confidence of the interval. */
  confidence: number;
}

export const DEFAULT_EFFORT: Effort = {
  initialReplications: 4,
  maxReplications: 16,
  precision: 0.05,
  budgetRuns: 240,
  confidence: 0.95,
};

/** Replications at each look: the first, doubling, the last capped at the maximum. */
export function looksOf(e: Effort): number[] {
  const out: number[] = [];
  for (let r = e.initialReplications; r < e.maxReplications; r *= 2) out.push(r);
  out.push(e.maxReplications);
  return out;
}

/** One-sided error spent at each look: (1 − confidence)/2 over the K looks. */
export function lookAlpha(e: Effort): number {
  return (1 - e.confidence) / 2 / looksOf(e).length;
}

export interface Judgement {
  /** Over every SLO: the global ones and each class's. */
  verdict: Verdict;
  /** The global SLOs shown broken. */
  breaks: Array<'p99' | 'deliveryRatio'>;
  p99Ci: [number, number] | null;
  deliveryCi: [number, number] | null;
  /** Per class with an SLO: its intervals and the bounds shown broken. */
  classes: Record<string, ClassJudgement>;
  /** Two-sided level of the intervals: 1 − 2α. */
  level: number;
}

/** One class's share of a verdict. */
export interface ClassJudgement {
  breaks: Array<'p99' | 'deliveryRatio'>;
  meets: boolean;
  p99Ci: [number, number] | null;
  deliveryCi: [number, number] | null;
}

/**
 * Sectioning interval (Asmussen & Glynn, "Stochastic Simulation", 2007,
 * §III.5a; Nakayama 2014): centred on the pooled estimate, with the spread of
 * the per-seed estimates, pooled ± t_{1−α, R−1} · s/√R. Null for one seed.
 */
export function sectioningInterval(pooled: number, perSeed: readonly number[], alpha: number): [number, number] | null {
  const r = perSeed.length;
  if (r < 2) return null;
  let m = 0;
  for (const x of perSeed) m += x;
  m /= r;
  let ss = 0;
  for (const x of perSeed) ss += (x - m) * (x - m);
  const half = studentTQuantile(1 - alpha, r - 1) * Math.sqrt(ss / (r - 1) / r);
  return [pooled - half, pooled + half];
}

/**
 * An interval of histogram quantiles, widened by the histogram's relative
 * error: every seed's p99 is a bucket's representative value, so seeds whose
 * p99 fall in one bucket agree exactly, and the sectioning interval alone
 * would claim a precision the histogram does not have.
 */
function widen(ci: [number, number] | null, relative: number): [number, number] | null {
  return ci === null ? null : [ci[0] * (1 - relative), ci[1] * (1 + relative)];
}

/** Where a decision interval lies against a bound: shown met, shown broken, or open (across it, or no interval). */
export type BoundVerdict = 'meets' | 'breaks' | 'open';

/** Against an upper bound (a p99): met when the whole interval is at or under it, broken when it is all over. */
export function againstUpper(ci: [number, number] | null, bound: number): BoundVerdict {
  if (ci === null) return 'open';
  if (ci[1] <= bound) return 'meets';
  return ci[0] > bound ? 'breaks' : 'open';
}

/** Against a lower bound (a delivery ratio): met when the whole interval is at or over it, broken when it is all under. */
export function againstLower(ci: [number, number] | null, bound: number): BoundVerdict {
  if (ci === null) return 'open';
  if (ci[0] >= bound) return 'meets';
  return ci[1] < bound ? 'breaks' : 'open';
}

/** What one set of figures (all messages, or one class's) shows against one set of bounds. */
interface Figures {
  pooledP99: number;
  perSeedP99: readonly number[];
  pooledDelivery: number;
  perSeedDelivery: readonly number[];
}

function judgeBounds(s: Figures, bounds: { p99Ms: number | null; deliveryRatio: number | null }, alpha: number): ClassJudgement {
  let p99Ci: [number, number] | null = null;
  let deliveryCi: [number, number] | null = null;
  let meets = true;
  const breaks: ClassJudgement['breaks'] = [];
  if (bounds.p99Ms !== null) {
    if (s.perSeedP99.some((x) => !Number.isFinite(x))) {
      breaks.push('p99');
      meets = false;
    } else {
      p99Ci = widen(sectioningInterval(s.pooledP99, s.perSeedP99, alpha), LatencyHistogram.RELATIVE_ERROR);
      const v = againstUpper(p99Ci, bounds.p99Ms);
      if (v !== 'meets') meets = false;
      if (v === 'breaks') breaks.push('p99');
    }
  }
  if (bounds.deliveryRatio !== null) {
    deliveryCi = sectioningInterval(s.pooledDelivery, s.perSeedDelivery, alpha);
    const v = againstLower(deliveryCi, bounds.deliveryRatio);
    if (v !== 'meets') meets = false;
    if (v === 'breaks') breaks.push('deliveryRatio');
  }
  return { breaks, meets: meets && breaks.length === 0, p99Ci, deliveryCi };
}

/** A class named by an SLO that the runs never measured: nothing sent, nothing to break. */
const SILENT: Figures = { pooledP99: 0, perSeedP99: [], pooledDelivery: 1, perSeedDelivery: [] };

/**
 * The verdict on a probe at one look. A seed that delivered nothing breaks a
 * p99 SLO outright (its p99 is infinite); one seed alone decides nothing
 * unless its runs are identical (no spread to estimate). Each class SLO is
 * judged the same way on the class's own messages: the probe meets only
 * when every bound, global and per class, is shown met, and breaks when any
 * is shown broken.
 */
export function judge(s: ProbeStats, slo: PlanSlo, alpha: number): Judgement {
  const level = 1 - 2 * alpha;
  const all = judgeBounds({ pooledP99: s.pooledP99, perSeedP99: s.perSeedP99, pooledDelivery: s.pooledDelivery, perSeedDelivery: s.perSeedDelivery }, slo, alpha);
  const classes: Record<string, ClassJudgement> = {};
  for (const [name, bounds] of Object.entries(slo.classes ?? {})) {
    const figures = s.classes?.[name] ?? { ...SILENT, perSeedP99: s.perSeedP99.map(() => 0), perSeedDelivery: s.perSeedDelivery.map(() => 1) };
    classes[name] = judgeBounds(figures, bounds, alpha);
  }
  const each = [all, ...Object.values(classes)];
  const verdict: Verdict = each.some((j) => j.breaks.length > 0) ? 'breaks' : each.every((j) => j.meets) ? 'meets' : 'undecided';
  return { verdict, breaks: all.breaks, p99Ci: all.p99Ci, deliveryCi: all.deliveryCi, classes, level };
}
