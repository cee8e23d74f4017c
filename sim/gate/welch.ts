import { studentTCdf, studentTQuantile } from '../metrics/stats.js';

/**
 * Welch's unequal-variances t test (Welch 1947) rebuilt from what a
 * replications report keeps: each side's mean, its 95% Student-t interval
 * and its number of replications. The interval is x̄ ± t_{0.975, n−1} · s/√n
 * (sim/metrics/stats.ts `ci95`), so the standard error is
 *
 *   SE = half-width / t_{0.975, n−1},
 *
 * and then t = (x̄_c − x̄_b) / √(SE_b² + SE_c²) with the Welch–Satterthwaite
 * degrees of freedom ν = (SE_b² + SE_c²)² / (SE_b⁴/(n_b − 1) + SE_c⁴/(n_c − 1)).
 */

export interface SideSummary {
  mean: number;
  /** 95% CI of the mean. */
  lo: number;
  hi: number;
  /** Replications (n ≥ 2). */
  n: number;
}

export interface WelchResult {
  t: number;
  df: number;
  /** Two-sided p-value. */
  p: number;
}

/** Standard error of a mean from its 95% t interval over n observations. */
export function standardErrorFromCI(side: SideSummary): number {
  const half = (side.hi - side.lo) / 2;
  return half / studentTQuantile(0.975, side.n - 1);
}

/**
 * Welch's test of candidate vs baseline. Two exact (zero-width) intervals
 * give p = 1 when the means agree and p = 0 when they differ: with no
 * spread at all, any difference is real.
 */
export function welchFromCI(baseline: SideSummary, candidate: SideSummary): WelchResult {
  const sb = standardErrorFromCI(baseline);
  const sc = standardErrorFromCI(candidate);
  const d = candidate.mean - baseline.mean;
  const vb = sb * sb;
  const vc = sc * sc;
  const v = vb + vc;
  if (!(v > 0)) {
    if (Number.isNaN(v) || Number.isNaN(d)) return { t: NaN, df: NaN, p: NaN };
    return d === 0 ? { t: 0, df: Infinity, p: 1 } : { t: d > 0 ? Infinity : -Infinity, df: Infinity, p: 0 };
  }
  const t = d / Math.sqrt(v);
  const df = (v * v) / ((vb * vb) / (baseline.n - 1) + (vc * vc) / (candidate.n - 1));
  const p = Math.min(1, 2 * studentTCdf(-Math.abs(t), df));
  return { t, df, p };
}
