/**
 * The load limit as an interval: [highest load shown to meet the SLOs,
 * lowest load shown to break them]. Loads double from today's (or halve)
 * until both ends exist, then the widest gap next to the ends is split
 * (geometric midpoint) until the interval is as narrow as the precision
 * asks. Loads that stay undecided lie close to the limit: the search then
 * splits the gaps between them and the decided ends, and stops when those are
 * too narrow to matter. The point estimate is where a monotone fit of p99
 * (and of the delivery ratio) against load crosses the SLO, inside the interval.
 */
import { crossing, isotonicFit } from './isotonic.js';
import type { ProbeRecord } from './prober.js';
import type { PlanSlo } from './types.js';

/** The search stops doubling above this multiplier and halving below its inverse. */
export const MAX_LOAD_FACTOR = 64;

/** Probed loads are rounded to this many significant digits (readable, and the same load is never probed twice). */
const LOAD_DIGITS = 4;

export const roundLoad = (x: number): number => Number(x.toPrecision(LOAD_DIGITS));

export interface Ends {
  /** Highest load shown to meet below `high` (null when none). */
  low: number | null;
  /** Lowest load shown to break (null when none). */
  high: number | null;
}

export function endsOf(records: readonly ProbeRecord[]): Ends {
  let high: number | null = null;
  for (const r of records) if (r.probe.verdict === 'breaks' && (high === null || r.probe.x < high)) high = r.probe.x;
  let low: number | null = null;
  for (const r of records) {
    const x = r.probe.x;
    if (r.probe.verdict === 'meets' && (high === null || x < high) && (low === null || x > low)) low = x;
  }
  return { low, high };
}

/** Relative half-width of [low, high]: (high − low)/(high + low). */
export const halfWidth = (low: number, high: number): number => (high - low) / (high + low);

export type NextLoad = { x: number } | { stop: 'reached' | 'never-breaks' | 'never-meets' | 'undecided' };

/** The next load to probe, or why to stop. */
export function nextLoad(records: readonly ProbeRecord[], precision: number): NextLoad {
  if (records.length === 0) return { x: 1 };
  const xs = records.map((r) => r.probe.x);
  const { low, high } = endsOf(records);
  if (high === null) {
    const top = Math.max(...xs);
    return top * 2 > MAX_LOAD_FACTOR ? { stop: 'never-breaks' } : { x: roundLoad(top * 2) };
  }
  if (low === null) {
    const bottom = Math.min(...xs);
    return bottom / 2 < 1 / MAX_LOAD_FACTOR ? { stop: 'never-meets' } : { x: roundLoad(bottom / 2) };
  }
  if (halfWidth(low, high) <= precision) return { stop: 'reached' };
  const inside = records
    .filter((r) => r.probe.verdict === 'undecided' && r.probe.x > low && r.probe.x < high)
    .map((r) => r.probe.x)
    .sort((a, b) => a - b);
  const gaps: Array<[number, number]> = inside.length === 0 ? [[low, high]] : [[low, inside[0]!], [inside[inside.length - 1]!, high]];
  const [lo, hi] = gaps.reduce((a, b) => (b[1] / b[0] > a[1] / a[0] ? b : a));
  // A gap under half the precision cannot narrow the interval enough to matter.
  if (hi / lo - 1 < precision / 2) return { stop: 'undecided' };
  const x = roundLoad(Math.sqrt(lo * hi));
  return x > lo && x < hi && !xs.includes(x) ? { x } : { stop: 'undecided' };
}

/**
 * The point estimate: where the monotone fits of pooled p99 (non-decreasing)
 * and delivery ratio (non-increasing) against load — of all messages and of
 * each class with an SLO — first cross their SLO, weighted by replications,
 * kept inside [low, high].
 */
export function pointEstimate(records: readonly ProbeRecord[], slo: PlanSlo, ends: Ends): number | null {
  if (ends.low === null) return null;
  const sorted = [...records].sort((a, b) => a.probe.x - b.probe.x);
  const xs = sorted.map((r) => r.probe.x);
  const w = sorted.map((r) => r.probe.replications.length);
  const cuts: number[] = [];
  const at = (ys: number[], target: number): void => {
    const c = crossing(xs, isotonicFit(ys, w), target);
    if (c === 'below') cuts.push(xs[0]!);
    else if (c !== 'above') cuts.push(c.x);
  };
  if (slo.p99Ms !== null) at(sorted.map((r) => r.probe.p99Ms), slo.p99Ms);
  if (slo.deliveryRatio !== null) at(sorted.map((r) => -r.probe.deliveryRatio), -slo.deliveryRatio);
  // Each class's own fits: the limit is where the first of all the SLOs gives way.
  for (const [name, bounds] of Object.entries(slo.classes ?? {})) {
    if (bounds.p99Ms !== null) at(sorted.map((r) => r.probe.classes?.[name]?.p99Ms ?? 0), bounds.p99Ms);
    if (bounds.deliveryRatio !== null) at(sorted.map((r) => -(r.probe.classes?.[name]?.deliveryRatio ?? 1)), -bounds.deliveryRatio);
  }
  const x = cuts.length > 0 ? Math.min(...cuts) : ends.high ?? ends.low;
  const lo = ends.low;
  const hi = ends.high ?? Infinity;
  return x < lo ? lo : x > hi ? hi : x;
}
