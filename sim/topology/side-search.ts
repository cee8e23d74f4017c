/**
 * The side set on searched graphs (paths.ts, mode `search`): the neighbours of
 * `at` exactly as far from `to` as `at` itself, which `adaptive` detours
 * through when every closer hop is down. A bidirectional search per neighbour
 * costs the degree in searches; this answers all of them with two balls.
 *
 * With h = d(at, to), every neighbour w is h − 1, h or h + 1 from `to`. Grow
 * a breadth-first ball around `to` (radius rb, exact distances) and one
 * search from all the neighbours at once, each agent carrying a bit per
 * neighbour within rf of it (a multi-source BFS, bit-parallel: Then et al.,
 * "The More the Merrier: Efficient Multi-Source Graph Traversal", VLDB 2014),
 * a level at a time on the side whose frontier is smaller, as the pair search
 * does, until rf + rb = h. Then w is within h of `to` exactly when some agent
 * of the backward ball carries its bit (the agent of a shortest w–`to` path
 * min(rf, d) from w lies in both balls; any agent in both makes a walk of at
 * most rf + rb), and within h − 1 exactly when one at most rb − 1 from `to`
 * does (rb ≥ 1). The side set is the first without the second. The
 * neighbours' balls overlap (they all touch `at`), so the forward search
 * costs about one ball of radius rf + 1 around `at`; 31 neighbours go per
 * pass (later passes keep the first pass's backward ball).
 *
 * What a call labels it clears again from its queues: a query costs the balls
 * it explores, never n. Memory: 32 bytes an agent, allocated on first use.
 */
import type { Topology } from './graph.js';

const UNSEEN = -1;
/** Neighbours a forward pass carries, a bit each. */
const BITS = 31;

export class SideSearch {
  private readonly off: Int32Array;
  private readonly nb: Int32Array;
  /** Hops from `to` inside the backward ball, UNSEEN outside; its agents in BFS order. */
  private readonly back: Int32Array;
  private readonly bq: Int32Array;
  /** The backward ball: agents queued, where its outermost level starts, and its radius. */
  private bn = 0;
  private bLevel = 0;
  private rb = 0;
  /** Forward pass: the bits of the neighbours within rf of each agent, and those new at the outermost level. */
  private readonly seen: Int32Array;
  private readonly fresh: Int32Array;
  private readonly nextFresh: Int32Array;
  /** Forward pass: the outermost level's agents, scratch for the next, and every agent labelled (for the clearing). */
  private cur: Int32Array;
  private next: Int32Array;
  private readonly touched: Int32Array;
  private curN = 0;
  private tn = 0;
  private rf = 0;
  /** Passes run, and agents they labelled (both balls): what tests and benchmarks read. */
  passes = 0;
  visited = 0;

  constructor(topo: Topology) {
    const n = topo.n;
    this.off = topo.offsets;
    this.nb = topo.neighbors;
    this.back = new Int32Array(n).fill(UNSEEN);
    this.bq = new Int32Array(n);
    this.seen = new Int32Array(n);
    this.fresh = new Int32Array(n);
    this.nextFresh = new Int32Array(n);
    this.cur = new Int32Array(n);
    this.next = new Int32Array(n);
    this.touched = new Int32Array(n);
  }

  /**
   * Writes into `out` the neighbours w ≠ `to` of `at` with d(w, to) = `here`
   * (= d(at, to) ≥ 1), ascending, with their directed edge ids in `outEdges`;
   * returns how many.
   */
  side(at: number, to: number, here: number, out: Int32Array, outEdges: Int32Array): number {
    this.back[to] = 0;
    this.bq[0] = to;
    this.bn = 1;
    this.bLevel = 0;
    this.rb = 0;
    let c = 0;
    const rowStart = this.off[at]!;
    const rowEnd = this.off[at + 1]!;
    for (let first = rowStart; first < rowEnd; first += BITS) {
      const last = Math.min(rowEnd, first + BITS);
      this.passes++;
      this.startForward(first, last, to);
      if (first === rowStart) {
        // The first pass sizes the backward ball: at least one level, then the smaller frontier grows.
        this.growBackward();
        while (this.rf + this.rb < here) {
          if (this.curN <= this.bn - this.bLevel) this.growForward();
          else this.growBackward();
        }
      } else {
        while (this.rf + this.rb < here) this.growForward();
      }
      // Bits carried into the backward ball: within rb, and within rb − 1.
      let within = 0;
      let closer = 0;
      for (let h = 0; h < this.bn; h++) {
        const v = this.bq[h]!;
        within |= this.seen[v]!;
        if (h < this.bLevel) closer |= this.seen[v]!;
      }
      const side = within & ~closer;
      for (let k = first; k < last; k++) {
        if ((side & (1 << (k - first))) !== 0) {
          out[c] = this.nb[k]!;
          outEdges[c] = k;
          c += 1;
        }
      }
      this.clearForward();
    }
    this.visited += this.bn;
    for (let h = 0; h < this.bn; h++) this.back[this.bq[h]!] = UNSEEN;
    return c;
  }

  /** One more level of the backward ball (none when it has reached every agent it can: the radius grows alone). */
  private growBackward(): void {
    const { back, bq, off, nb } = this;
    const start = this.bLevel;
    const end = this.bn;
    let tail = end;
    const level = this.rb + 1;
    for (let h = start; h < end; h++) {
      const u = bq[h]!;
      for (let k = off[u]!, e = off[u + 1]!; k < e; k++) {
        const w = nb[k]!;
        if (back[w] === UNSEEN) {
          back[w] = level;
          bq[tail++] = w;
        }
      }
    }
    this.bLevel = end;
    this.bn = tail;
    this.rb = level;
  }

  /** Level 0 of a forward pass: the neighbours at row positions first … last − 1, bit k − first each (`to` itself skipped). */
  private startForward(first: number, last: number, to: number): void {
    const { nb, seen, fresh, cur, touched } = this;
    let n = 0;
    let tn = 0;
    for (let k = first; k < last; k++) {
      const w = nb[k]!;
      if (w === to) continue;
      const bit = 1 << (k - first);
      if (seen[w] === 0) touched[tn++] = w;
      if (fresh[w] === 0) cur[n++] = w;
      seen[w]! |= bit;
      fresh[w]! |= bit;
    }
    this.curN = n;
    this.tn = tn;
    this.rf = 0;
  }

  /** One more forward level: each agent passes the bits new to it on to neighbours that lack them. */
  private growForward(): void {
    const { off, nb, seen, fresh, nextFresh, touched } = this;
    const cur = this.cur;
    const next = this.next;
    let tn = this.tn;
    let nextN = 0;
    for (let h = 0; h < this.curN; h++) {
      const u = cur[h]!;
      const bits = fresh[u]!;
      for (let k = off[u]!, e = off[u + 1]!; k < e; k++) {
        const v = nb[k]!;
        const add = bits & ~seen[v]!;
        if (add === 0) continue;
        if (seen[v] === 0) touched[tn++] = v;
        if (nextFresh[v] === 0) next[nextN++] = v;
        seen[v]! |= add;
        nextFresh[v]! |= add;
      }
    }
    for (let h = 0; h < this.curN; h++) fresh[cur[h]!] = 0;
    for (let h = 0; h < nextN; h++) {
      const v = next[h]!;
      fresh[v] = nextFresh[v]!;
      nextFresh[v] = 0;
    }
    this.cur = next;
    this.next = cur;
    this.curN = nextN;
    this.tn = tn;
    this.rf++;
  }

  private clearForward(): void {
    const { seen, fresh, touched } = this;
    for (let h = 0; h < this.tn; h++) {
      const v = touched[h]!;
      seen[v] = 0;
      fresh[v] = 0;
    }
    this.visited += this.tn;
  }
}
