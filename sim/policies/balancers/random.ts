import type { Stream } from '../../engine/rng.js';
import type { Balancer, BalancerView, RoleRange } from './types.js';
import { firstEligibleFrom } from './scan.js';

/** Uniformly random replica; an ineligible pick moves on to the next eligible one. */
export class RandomBalancer implements Balancer {
  constructor(
    private readonly roles: RoleRange[],
    private readonly view: BalancerView,
  ) {}

  pick(role: number, _sender: number, _key: number, rng: Stream): number {
    const r = this.roles[role]!;
    const start = rng.int(r.count);
    return firstEligibleFrom(this.view, r, start);
  }
}
