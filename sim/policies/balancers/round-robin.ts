import type { Stream } from '../../engine/rng.js';
import type { Balancer, BalancerView, RoleRange } from './types.js';
import { firstEligibleFrom } from './scan.js';

/**
 * Round-robin kept per (sender, role), as each client of a real mesh keeps its
 * own rotation. Each rotation starts at an offset derived from the sender so
 * that many senders do not march in lock-step.
 */
export class RoundRobinBalancer implements Balancer {
  private readonly next: Int32Array;

  constructor(
    private readonly roles: RoleRange[],
    private readonly view: BalancerView,
    senders: number,
  ) {
    this.next = new Int32Array(senders * roles.length);
    for (let s = 0; s < senders; s++) {
      for (let r = 0; r < roles.length; r++) {
        // Knuth multiplicative hash: spread the starting points.
        this.next[s * roles.length + r] = (Math.imul(s, 0x9e3779b1) >>> 0) % roles[r]!.count;
      }
    }
  }

  resized(role: number): void {
    const count = this.roles[role]!.count;
    const n = this.roles.length;
    for (let i = role; i < this.next.length; i += n) if (this.next[i]! >= count) this.next[i] = this.next[i]! % count;
  }

  pick(role: number, sender: number, _key: number, _rng: Stream): number {
    const r = this.roles[role]!;
    const idx = sender * this.roles.length + role;
    const start = this.next[idx]!;
    const a = firstEligibleFrom(this.view, r, start);
    if (a >= 0) {
      const k = a - r.first + 1;
      this.next[idx] = k === r.count ? 0 : k;
    }
    return a;
  }
}
