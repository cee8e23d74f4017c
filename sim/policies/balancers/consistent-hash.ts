import type { Stream } from '../../engine/rng.js';
import { mix32 } from '../../engine/rng.js';
import type { Balancer, BalancerView, RoleRange } from './types.js';

/** Points per replica on the ring: ~100 keeps the load spread within a few % (Karger et al. 1997). */
const VNODES = 100;
/**
 * Bounded load (Mirrokni, Thorup, Zadimoghaddam 2018): a replica takes a key
 * only while its outstanding requests stay ≤ ceil(c · mean); c = 1.25 is the
 * value Google's and HAProxy's implementations default to.
 */
const LOAD_FACTOR = 1.25;

/**
 * Consistent hashing by message key with bounded load: the key's point on the
 * ring names a replica; if it is ineligible or over the bound, the walk goes on
 * clockwise to the next distinct replica.
 */
export class ConsistentHashBalancer implements Balancer {
  private readonly points: Uint32Array[] = [];
  private readonly owners: Int32Array[] = [];

  constructor(
    private readonly roles: RoleRange[],
    private readonly view: BalancerView,
  ) {
    for (const r of roles) {
      const n = r.count * VNODES;
      const pairs: Array<[number, number]> = [];
      for (let k = 0; k < r.count; k++) {
        for (let v = 0; v < VNODES; v++) pairs.push([mix32(mix32(k + 1) ^ (v * 0x9e3779b1)) >>> 0, r.first + k]);
      }
      pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      const pts = new Uint32Array(n);
      const own = new Int32Array(n);
      pairs.forEach(([p, a], i) => {
        pts[i] = p;
        own[i] = a;
      });
      this.points.push(pts);
      this.owners.push(own);
    }
  }

  pick(role: number, _sender: number, key: number, _rng: Stream): number {
    const r = this.roles[role]!;
    const pts = this.points[role]!;
    const own = this.owners[role]!;
    const h = mix32(key ^ 0x5bd1e995) >>> 0;
    // First point ≥ h (binary search), wrapping to 0.
    let lo = 0;
    let hi = pts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pts[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    const out = this.view.outstanding;
    const total = this.view.roleOutstanding[role]!;
    const bound = Math.ceil((LOAD_FACTOR * (total + 1)) / r.count);
    let fallback = -1;
    for (let i = 0; i < pts.length; i++) {
      let idx = lo + i;
      if (idx >= pts.length) idx -= pts.length;
      const a = own[idx]!;
      if (!this.view.eligible(a)) continue;
      if (out[a]! < bound) return a;
      if (fallback < 0) fallback = a;
    }
    return fallback;
  }
}
