/**
 * Routes planned ahead of their use, by (from, to, hash): when a search-routed
 * request is planned, the route its reply will take back is walked from the
 * same search and kept here (PathFinder.route), so that the reply costs no
 * search of its own. Direct-mapped: a slot holds the last route hashed to it,
 * and is emptied when taken; a route overwritten before its reply comes is
 * planned again then. Every entry is the route those three values give, so a
 * hit is always right, whichever message finds it.
 *
 * Memory: 4 × (4 + hops) bytes a slot.
 */
export class RouteStash {
  /** Per slot: from, to and hash; count −1 when empty. */
  private readonly from: Int32Array;
  private readonly to: Int32Array;
  private readonly hash: Int32Array;
  private readonly count: Int32Array;
  private readonly edges: Int32Array;
  private readonly mask: number;

  constructor(
    /** A power of two. */
    slots: number,
    private readonly hops: number,
  ) {
    this.from = new Int32Array(slots);
    this.to = new Int32Array(slots);
    this.hash = new Int32Array(slots);
    this.count = new Int32Array(slots).fill(-1);
    this.edges = new Int32Array(slots * hops);
    this.mask = slots - 1;
  }

  private slot(from: number, to: number, hash: number): number {
    return (Math.imul(from, 0x9e3779b1) ^ Math.imul(to, 0x85ebca6b) ^ hash) & this.mask;
  }

  /** Keeps the `n` (≤ hops) edges `src[off …]` as the route (from, to, hash). */
  put(from: number, to: number, hash: number, src: Int32Array, off: number, n: number): void {
    const h = hash | 0;
    const s = this.slot(from, to, h);
    this.from[s] = from;
    this.to[s] = to;
    this.hash[s] = h;
    this.count[s] = n;
    this.edges.set(src.subarray(off, off + n), s * this.hops);
  }

  /** Writes the route (from, to, hash) into `dst[off …]` (at most `max` edges) and empties its slot; −1 when it is not kept. */
  take(from: number, to: number, hash: number, dst: Int32Array, off: number, max: number): number {
    const h = hash | 0;
    const s = this.slot(from, to, h);
    const n = this.count[s]!;
    if (n < 0 || this.from[s] !== from || this.to[s] !== to || this.hash[s] !== h) return -1;
    const k = n < max ? n : max;
    dst.set(this.edges.subarray(s * this.hops, s * this.hops + k), off);
    this.count[s] = -1;
    return k;
  }
}
