import type { Stream } from '../../engine/rng.js';
import type { Balancer, BalancerView, RoleRange } from './types.js';

/**
 * Join-the-shortest-queue over every replica: the fewest outstanding requests,
 * ties broken uniformly at random (reservoir sampling over the tied set), so
 * that an idle role does not pile onto its first replica.
 */
export class LeastRequestBalancer implements Balancer {
  constructor(
    private readonly roles: RoleRange[],
    private readonly view: BalancerView,
  ) {}

  pick(role: number, _sender: number, _key: number, rng: Stream): number {
    const r = this.roles[role]!;
    const out = this.view.outstanding;
    let best = -1;
    let bestLoad = Infinity;
    let ties = 0;
    const end = r.first + r.count;
    for (let a = r.first; a < end; a++) {
      const load = out[a]!;
      if (load > bestLoad || !this.view.eligible(a)) continue;
      if (load < bestLoad) {
        bestLoad = load;
        best = a;
        ties = 1;
      } else if (rng.int(++ties) === 0) {
        best = a;
      }
    }
    return best;
  }
}
