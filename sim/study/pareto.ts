/**
 * The Pareto front of a study over (p99, loss = 1 − delivery ratio, cost per
 * delivered), all minimised: the candidates no other candidate beats on all
 * three at once. Kept for every mode, so a report can show what a different
 * mode would have traded.
 */
import type { Outcome } from './types.js';

export interface ParetoPoint {
  candidate: number;
  p99: number;
  loss: number;
  costPerDelivered: number;
}

export function paretoPointOf(candidate: number, o: Outcome): ParetoPoint {
  return { candidate, p99: o.p99, loss: 1 - o.deliveryRatio, costPerDelivered: o.costPerDelivered };
}

const nz = (x: number): number => (Number.isNaN(x) ? Infinity : x);

/** True when a is at least as good on every objective and better on one. */
export function dominates(a: ParetoPoint, b: ParetoPoint): boolean {
  const av = [nz(a.p99), nz(a.loss), nz(a.costPerDelivered)];
  const bv = [nz(b.p99), nz(b.loss), nz(b.costPerDelivered)];
  let strictly = false;
  for (let i = 0; i < 3; i++) {
    if (av[i]! > bv[i]!) return false;
    if (av[i]! < bv[i]!) strictly = true;
  }
  return strictly;
}

/** Non-dominated points, sorted by p99 then loss then cost; duplicates keep the earliest candidate. */
export function paretoFront(points: readonly ParetoPoint[]): ParetoPoint[] {
  const front = points.filter((p, i) => {
    for (let j = 0; j < points.length; j++) {
      const q = points[j]!;
      if (j !== i && dominates(q, p)) return false;
      if (j < i && q.p99 === p.p99 && q.loss === p.loss && q.costPerDelivered === p.costPerDelivered) return false;
    }
    return true;
  });
  return front.sort((a, b) => nz(a.p99) - nz(b.p99) || nz(a.loss) - nz(b.loss) || nz(a.costPerDelivered) - nz(b.costPerDelivered) || a.candidate - b.candidate);
}
