import type { Stream } from '../../engine/rng.js';
import type { Balancer, BalancerView, RoleRange } from './types.js';
import { firstEligibleFrom } from './scan.js';

/**
 * Power of two choices (Mitzenmacher 1996; Envoy's least-request): two
 * distinct replicas drawn uniformly, the one with fewer outstanding requests
 * wins (the first on a tie). `cost` can be replaced to weigh the load
 * differently (peak-EWMA does).
 */
export class P2CBalancer implements Balancer {
  constructor(
    protected readonly roles: RoleRange[],
    protected readonly view: BalancerView,
  ) {}

  protected cost(agent: number): number {
    return this.view.outstanding[agent]!;
  }

  pick(role: number, _sender: number, _key: number, rng: Stream): number {
    const r = this.roles[role]!;
    if (r.count === 1) return this.view.eligible(r.first) ? r.first : -1;
    const i = rng.int(r.count);
    let j = rng.int(r.count - 1);
    if (j >= i) j++;
    let a = r.first + i;
    let b = r.first + j;
    const okA = this.view.eligible(a);
    const okB = this.view.eligible(b);
    if (!okA && !okB) {
      a = firstEligibleFrom(this.view, r, i);
      return a;
    }
    if (!okA) return b;
    if (!okB) return a;
    return this.cost(b) < this.cost(a) ? b : a;
  }
}
