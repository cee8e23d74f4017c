/**
 * The fewest replicas of a role that keep the SLOs, with the same verdicts as
 * the load search: bisection over counts between the largest count shown to
 * break (0 serves nothing) and the smallest shown to meet, doubling from
 * today's count until one meets. A count left undecided counts as "not shown
 * to meet": the answer is always a count shown to meet.
 */
import type { ProbeRecord } from './prober.js';

/** The role search gives up above this multiple of today's count. */
export const MAX_COUNT_FACTOR = 16;

export type NextCount = { n: number } | { stop: 'reached' | 'never-meets' | 'undecided' };

export function countEnds(records: readonly ProbeRecord[]): { low: number; high: number | null } {
  let high: number | null = null;
  for (const r of records) if (r.probe.verdict === 'meets' && (high === null || r.probe.x < high)) high = r.probe.x;
  let low = 0;
  for (const r of records) if (r.probe.verdict === 'breaks' && (high === null || r.probe.x < high) && r.probe.x > low) low = r.probe.x;
  return { low, high };
}

export function nextCount(records: readonly ProbeRecord[], current: number): NextCount {
  if (records.length === 0) return { n: current };
  const xs = records.map((r) => r.probe.x);
  const { low, high } = countEnds(records);
  if (high === null) {
    const top = Math.max(...xs);
    return top >= current * MAX_COUNT_FACTOR ? { stop: 'never-meets' } : { n: Math.max(top + 1, top * 2) };
  }
  const inside = xs.filter((x) => x > low && x < high).sort((a, b) => a - b);
  const gaps: Array<[number, number]> = inside.length === 0 ? [[low, high]] : [[low, inside[0]!], [inside[inside.length - 1]!, high]];
  const [lo, hi] = gaps.reduce((a, b) => (b[1] - b[0] > a[1] - a[0] ? b : a));
  if (hi - lo <= 1) return { stop: inside.length === 0 ? 'reached' : 'undecided' };
  return { n: Math.floor((lo + hi) / 2) };
}
