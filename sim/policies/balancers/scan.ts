import type { BalancerView, RoleRange } from './types.js';

/** The first eligible replica at or after offset `start` (wrapping), or -1. */
export function firstEligibleFrom(view: BalancerView, r: RoleRange, start: number): number {
  for (let i = 0; i < r.count; i++) {
    let k = start + i;
    if (k >= r.count) k -= r.count;
    const a = r.first + k;
    if (view.eligible(a)) return a;
  }
  return -1;
}
