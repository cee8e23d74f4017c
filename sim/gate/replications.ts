import { GATED_METRICS, type GatedMetric, type ReplicatedDocument, type ReplicatedValue } from './shape.js';
import { welchFromCI } from './welch.js';

/**
 * Two replicated measurements of a mesh (two `simulate --replications R
 * --json` outputs, or two studies' recommended configurations) compared
 * metric by metric, each with its own direction.
 *
 * A metric changed significantly when Welch's t test, rebuilt from the means
 * and 95% CI half-widths (welch.ts), passes Holm's step-down at α over the
 * metrics tested (`holm`): the family, not each metric, errs at most α. Its verdict is *worse* or
 * *better* when it changed significantly AND its relative change
 * |c − b| / |b| exceeds the threshold (for the delivery ratio, the relative
 * change of the loss, 1 − ratio); otherwise *no change*. The evidence is
 * flagged: `disjoint CIs` when the two 95% intervals do not even overlap (a
 * strong signal, p well under 0.01), `Welch t` when only the test sees it.
 * A metric some replication could not measure (no interval) is *untested*.
 */

export type MetricVerdict = 'better' | 'worse' | 'no change' | 'untested';

/** Which way is good, and how the metric is named in the summary. */
export const METRIC_INFO: Record<GatedMetric, { label: string; unit: string; higherIsBetter: boolean }> = {
  'latencyMs.p99': { label: 'p99 latency', unit: 'ms', higherIsBetter: false },
  'latencyMs.p50': { label: 'p50 latency', unit: 'ms', higherIsBetter: false },
  'latencyMs.mean': { label: 'mean latency', unit: 'ms', higherIsBetter: false },
  deliveryRatio: { label: 'delivery ratio', unit: '', higherIsBetter: true },
  'cost.perDelivered': { label: 'cost per delivered', unit: '', higherIsBetter: false },
  throughputPerSec: { label: 'throughput', unit: '/s', higherIsBetter: true },
};

export interface MetricComparison {
  metric: GatedMetric;
  label: string;
  unit: string;
  higherIsBetter: boolean;
  baseline: ReplicatedValue;
  candidate: ReplicatedValue;
  /** (c − b) / |b|; ±Infinity when b = 0 and c ≠ 0, 0 when both are 0. */
  change: number;
  /**
   * The change the threshold is held against: `change`, except for the delivery
   * ratio, whose loss (1 − ratio) changes by it — 99.8% to 97.8% is −2% of the
   * ratio and eleven times the loss.
   */
  judgedChange: number;
  /** Welch's t, degrees of freedom and two-sided p. */
  t: number;
  df: number;
  p: number;
  /** The two 95% intervals do not overlap. */
  disjoint: boolean;
  significant: boolean;
  beyondThreshold: boolean;
  /** Which evidence made it significant. */
  evidence: 'disjoint CIs' | 'Welch t' | null;
  verdict: MetricVerdict;
}

export interface ReplicationsComparison {
  kind: 'replications';
  source: ReplicatedDocument['source'];
  threshold: number;
  scenario: { baseline: string; candidate: string };
  replications: { baseline: number; candidate: number };
  metrics: MetricComparison[];
  notes: string[];
  /** True when any metric is worse. */
  failed: boolean;
}

function relativeChange(b: number, c: number): number {
  if (b === c) return 0;
  if (b === 0) return c > 0 ? Infinity : -Infinity;
  return (c - b) / Math.abs(b);
}

/** Compares the metrics both documents hold. */
export function compareReplications(
  baseline: ReplicatedDocument,
  candidate: ReplicatedDocument,
  opts: { threshold: number; alpha?: number },
): ReplicationsComparison {
  const alpha = opts.alpha ?? 0.05;
  const notes: string[] = [];
  if (baseline.scenario !== candidate.scenario) {
    notes.push(`the baseline simulates scenario '${baseline.scenario}', the candidate '${candidate.scenario}'`);
  }
  if (baseline.source !== candidate.source) {
    notes.push(`the baseline comes from a ${baseline.source} output, the candidate from a ${candidate.source} output`);
  }
  const metrics: MetricComparison[] = [];
  for (const metric of GATED_METRICS) {
    const b = baseline.metrics[metric];
    const c = candidate.metrics[metric];
    if (b === undefined || c === undefined) {
      if (b !== undefined || c !== undefined) notes.push(`${metric} is in one file only: not compared`);
      continue;
    }
    const info = METRIC_INFO[metric];
    const change = relativeChange(b.mean, c.mean);
    const judgedChange = metric === 'deliveryRatio' ? relativeChange(1 - b.mean, 1 - c.mean) : change;
    const testable = [b.mean, b.lo, b.hi, c.mean, c.lo, c.hi].every(Number.isFinite);
    const w = testable
      ? welchFromCI({ ...b, n: baseline.replications }, { ...c, n: candidate.replications })
      : { t: NaN, df: NaN, p: NaN };
    const disjoint = testable && (c.lo > b.hi || c.hi < b.lo);
    const beyondThreshold = Math.abs(judgedChange) > opts.threshold;
    metrics.push({
      metric,
      label: info.label,
      unit: info.unit,
      higherIsBetter: info.higherIsBetter,
      baseline: b,
      candidate: c,
      change,
      judgedChange,
      t: w.t,
      df: w.df,
      p: w.p,
      disjoint,
      // Significance, evidence and the verdict are settled by `holm` below, once every metric's p
      // is known: six tests at α each would fail about one identical pair in thirty (two of 66 were seen to).
      significant: false,
      beyondThreshold,
      evidence: null,
      verdict: testable ? 'no change' : 'untested',
    });
  }
  holm(metrics, alpha);
  for (const m of metrics) {
    if (m.verdict === 'untested') notes.push(`${m.label}: no confidence interval on one side (a replication could not measure it): not tested`);
  }
  return {
    kind: 'replications',
    source: candidate.source,
    threshold: opts.threshold,
    scenario: { baseline: baseline.scenario, candidate: candidate.scenario },
    replications: { baseline: baseline.replications, candidate: candidate.replications },
    metrics,
    notes,
    failed: metrics.some((m) => m.verdict === 'worse'),
  };
}

/**
 * Holm's step-down over the tested metrics (Holm 1979): sorted by p, the i-th
 * smallest (from 0) is significant while p < α / (k − i), k the number tested;
 * the first that is not stops the rest. The family of metrics then fails an
 * identical pair at most α of the time, where α for each would let six
 * chances add up. Sets `significant`, `evidence` and the verdict of each.
 */
function holm(metrics: MetricComparison[], alpha: number): void {
  const tested = metrics.filter((m) => m.verdict !== 'untested').sort((a, b) => a.p - b.p);
  let stopped = false;
  tested.forEach((m, i) => {
    const passes = !stopped && m.p < alpha / (tested.length - i);
    if (!passes) stopped = true;
    m.significant = passes;
    m.evidence = passes ? (m.disjoint ? 'disjoint CIs' : 'Welch t') : null;
    const worse = m.higherIsBetter ? m.candidate.mean < m.baseline.mean : m.candidate.mean > m.baseline.mean;
    m.verdict = passes && m.beyondThreshold ? (worse ? 'worse' : 'better') : 'no change';
  });
}
