/**
 * The side set on searched graphs (paths.ts, mode `search`): the neighbours of
 * `at` exactly as far from `to` as `at` itself, which `adaptive` detours
 * through when every closer hop is down. A bidirectional search per neighbour
 * costs the degree in searches; this answers all of them with two balls.
 *
 * With h = d(at, to), every neighbour w is h − 1, h or h + 1 from `to`. Split
 * h = rf + rb: a breadth-first ball of radius rb around `to` (exact distances
 * from it), and one search of radius rf from all the neighbours at once, each
 * agent carrying a bit per neighbour that has reached it and the level it
 * first did (a multi-source BFS, bit-parallel: Then et al., "The More the
 * Merrier: Efficient Multi-Source Graph Traversal", VLDB 2014). For an agent v
 * of both balls first reached from w at level i, i + d(v, to) is the length of
 * a w–`to` walk; the least over v is d(w, to) whenever d(w, to) ≤ h (the agent
 * of a shortest w–`to` path min(rf, d) from w lies in both balls). So the
 * neighbours with a sum ≤ h are those within h, those with a sum ≤ h − 1 the
 * closer ones, and the side set is the first without the second. The
 * neighbours' balls overlap (they all touch `at`), so the forward search costs
 * about one ball of radius rf + 1 around `at`; 31 neighbours go per pass.
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
  /** Hops from `to` inside the backward ball, UNSEEN outside. */
  private readonly back: Int32Array;
  private readonly bq: Int32Array;
  /** Forward pass: the bits of the neighbours that have reached each agent, and those new at the level being spread. */
  private readonly seen: Int32Array;
  private readonly fresh: Int32Array;
  private readonly nextFresh: Int32Array;
  /** Forward pass: this level's agents, the next level's, and every agent labelled (for the clearing). */
  private readonly cur: Int32Array;
  private readonly next: Int32Array;
  private readonly touched: Int32Array;
  /** The last forward pass's neighbours within `here` − 1 of `to` (the closer ones). */
  private closerBits = 0;
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
    const rb = (here + 1) >> 1;
    const rf = here - rb;
    const bn = this.backwardBall(to, rb);
    let c = 0;
    const rowStart = this.off[at]!;
    const rowEnd = this.off[at + 1]!;
    for (let first = rowStart; first < rowEnd; first += BITS) {
      const last = Math.min(rowEnd, first + BITS);
      const within = this.forwardPass(first, last, to, rf, here);
      const side = within & ~this.closerBits;
      for (let k = first; k < last; k++) {
        if ((side & (1 << (k - first))) !== 0) {
          out[c] = this.nb[k]!;
          outEdges[c] = k;
          c += 1;
        }
      }
    }
    this.clearBackward(bn);
    return c;
  }

  /** Labels the agents within `radius` of `to` with their distance; returns how many. */
  private backwardBall(to: number, radius: number): number {
    const back = this.back;
    const q = this.bq;
    const off = this.off;
    const nb = this.nb;
    back[to] = 0;
    q[0] = to;
    let tail = 1;
    for (let h = 0; h < tail; h++) {
      const u = q[h]!;
      const level = back[u]!;
      if (level === radius) break; // the queue is in level order
      for (let k = off[u]!, e = off[u + 1]!; k < e; k++) {
        const w = nb[k]!;
        if (back[w] === UNSEEN) {
          back[w] = level + 1;
          q[tail++] = w;
        }
      }
    }
    this.visited += tail;
    return tail;
  }

  private clearBackward(bn: number): void {
    for (let h = 0; h < bn; h++) this.back[this.bq[h]!] = UNSEEN;
  }

  /**
   * One forward pass from the neighbours at row positions first … last − 1
   * (bit k − first each; `to` itself is skipped), `rf` levels deep: the bits
   * of those within `here` of `to`; those within `here` − 1 in `closerBits`.
   */
  private forwardPass(first: number, last: number, to: number, rf: number, here: number): number {
    this.passes++;
    const { off, nb, seen, fresh, nextFresh, back, touched } = this;
    let cur = this.cur;
    let next = this.next;
    let within = 0;
    let closer = 0;
    let tn = 0;
    // Level 0: the neighbours themselves.
    let curN = 0;
    for (let k = first; k < last; k++) {
      const w = nb[k]!;
      if (w === to) continue;
      const bit = 1 << (k - first);
      if (seen[w] === 0) touched[tn++] = w;
      if (fresh[w] === 0) cur[curN++] = w;
      seen[w]! |= bit;
      fresh[w]! |= bit;
    }
    for (let level = 0; curN > 0; level++) {
      // The frontier's agents in the backward ball close the walks through them.
      for (let h = 0; h < curN; h++) {
        const v = cur[h]!;
        const b = back[v]!;
        if (b === UNSEEN) continue;
        if (level + b <= here) within |= fresh[v]!;
        if (level + b < here) closer |= fresh[v]!;
      }
      if (level === rf) break;
      // Each agent passes on the bits new to it at this level, to neighbours that lack them.
      let nextN = 0;
      for (let h = 0; h < curN; h++) {
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
      for (let h = 0; h < curN; h++) fresh[cur[h]!] = 0;
      for (let h = 0; h < nextN; h++) {
        const v = next[h]!;
        fresh[v] = nextFresh[v]!;
        nextFresh[v] = 0;
      }
      const t = cur;
      cur = next;
      next = t;
      curN = nextN;
    }
    this.visited += tn;
    for (let h = 0; h < tn; h++) {
      const v = touched[h]!;
      seen[v] = 0;
      fresh[v] = 0;
      nextFresh[v] = 0;
    }
    this.closerBits = closer;
    return within;
  }
}
