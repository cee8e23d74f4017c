/**
 * Shortest paths between one pair of agents by a bidirectional breadth-first
 * search, for graphs too large for a distance array per destination and
 * without hub labels (paths.ts, mode `search`): a search from each end, one
 * whole level at a time, the side with the smaller frontier first, until the
 * two balls meet. On the graphs it serves (random, small-world, scale-free
 * beyond the labels' range) the balls stay small: measured on 2,000 random
 * pairs, about 700 agents visited at 30,000 small-world agents (degree 6,
 * rewire 0.1), 500 at 20,000 random ones (degree 5) and 2,100 at 300,000
 * scale-free ones (m = 3), against every agent for a search from one end.
 *
 * When the balls first meet, with the forward one complete to radius kf and
 * the backward one to kb, the distance is D = kf + kb: they did not meet one
 * level earlier, so D > kf + kb − 1, and an agent they share is kf + kb from
 * both ends. An agent x lies on a shortest path (the set V) when
 * d(at, x) + d(x, to) = D:
 *
 * - on the forward ball's rim (f = kf) exactly when its backward level is kb;
 * - deeper in the forward ball, when a neighbour one forward level out is in
 *   V (marked by one sweep of the forward ball, outermost level first);
 * - beyond the rim, at d(at, x) = i > kf, exactly when its backward level is
 *   D − i: such an agent is inside the backward ball.
 *
 * The closer set of an agent x of V at d(at, x) = i is its neighbours in V at
 * i + 1, which `closer` reads from those marks (PathFinder.route walks a whole
 * route on them). A search clears what the one before it labelled (the
 * visited agents, from the queues), so a query costs the balls it explores,
 * never n. Memory: 18 bytes an agent (two levels, two queues, two marks).
 * `markBackward` and `closer(…, back)` read the same search the other way,
 * for the route back (a reply's).
 */
import type { Topology } from './graph.js';

/** Level of an agent a search has not reached. */
const UNSEEN = -1;

export class PairSearch {
  private readonly off: Int32Array;
  private readonly nb: Int32Array;
  /** Hops from the forward end (`at`), UNSEEN outside its ball. */
  private readonly fwd: Int32Array;
  /** Hops from the backward end (`to`), UNSEEN outside its ball. */
  private readonly bwd: Int32Array;
  /** The balls' agents in BFS order: what the marks sweep and the reset clears. */
  private readonly fq: Int32Array;
  private readonly bq: Int32Array;
  /** 1 for agents of the forward ball that lie on a shortest path. */
  private readonly onPath: Uint8Array;
  /** The same for the backward ball, once `markBackward` ran for this search. */
  private readonly onPathBackMark: Uint8Array;
  private backMarked = false;
  private fn = 0;
  private bn = 0;
  /** The last search's radii and distance (−1: unreachable). */
  private kf = 0;
  private kb = 0;
  private dist = -1;
  private from = -1;
  private to = -1;
  /** Searches run, the agents they visited in all (both balls), and the neighbours they scanned (growing and marking the balls). */
  searches = 0;
  visited = 0;
  scanned = 0;

  constructor(topo: Topology) {
    const n = topo.n;
    this.off = topo.offsets;
    this.nb = topo.neighbors;
    this.fwd = new Int32Array(n).fill(UNSEEN);
    this.bwd = new Int32Array(n).fill(UNSEEN);
    this.fq = new Int32Array(n);
    this.bq = new Int32Array(n);
    this.onPath = new Uint8Array(n);
    this.onPathBackMark = new Uint8Array(n);
  }

  /** Hop count from `at` to `to`, −1 when unreachable; the pair's marks stay for `closer` until the next search. */
  search(at: number, to: number): number {
    if (at === this.from && to === this.to) return this.dist;
    this.reset();
    this.searches++;
    this.from = at;
    this.to = to;
    const fwd = this.fwd;
    const bwd = this.bwd;
    fwd[at] = 0;
    this.fq[0] = at;
    this.fn = 1;
    bwd[to] = 0;
    this.bq[0] = to;
    this.bn = 1;
    this.kf = 0;
    this.kb = 0;
    if (at === to) {
      this.dist = 0;
      this.onPath[at] = 1;
      return 0;
    }
    // Frontiers: fq[fs … fn − 1] at level kf, bq[bs … bn − 1] at level kb.
    let fs = 0;
    let bs = 0;
    for (;;) {
      const forward = this.fn - fs <= this.bn - bs;
      const start = forward ? fs : bs;
      const end = forward ? this.fn : this.bn;
      if (start === end) {
        this.dist = -1;
        this.visited += this.fn + this.bn;
        return -1;
      }
      const met = forward ? this.expand(this.fq, fwd, bwd, start, end, true) : this.expand(this.bq, bwd, fwd, start, end, false);
      if (forward) {
        fs = end;
        this.kf++;
      } else {
        bs = end;
        this.kb++;
      }
      if (met) break;
    }
    this.dist = this.kf + this.kb;
    this.visited += this.fn + this.bn;
    this.markBall(this.fq, this.fn, this.fwd, this.bwd, this.kf, this.kb, this.onPath);
    return this.dist;
  }

  /**
   * Writes into `out` the neighbours of `x` one hop nearer `to` (x on a
   * shortest path of the last search, `i` = d(at, x)), ascending, the first
   * `limit` of them; `outEdges` gets their directed edge ids. Returns how many.
   * With `back`, the other way: the neighbours one hop nearer `at`, for x at
   * d(to, x) = `i` (the route back, a reply's; after `markBackward`).
   */
  closer(x: number, i: number, out: Int32Array, outEdges: Int32Array, limit: number, back = false): number {
    const nb = this.nb;
    let c = 0;
    for (let k = this.off[x]!, e = this.off[x + 1]!; k < e; k++) {
      const w = nb[k]!;
      if (back ? this.onPathBack(w, i + 1) : this.nextOnPath(w, i + 1)) {
        out[c] = w;
        outEdges[c] = k;
        if (++c === limit) break;
      }
    }
    return c;
  }

  /** Marks the backward ball's agents on a shortest path, as `markBall` the forward ball's (once a search). */
  markBackward(): void {
    if (this.backMarked || this.dist <= 0) return;
    this.backMarked = true;
    this.markBall(this.bq, this.bn, this.bwd, this.fwd, this.kb, this.kf, this.onPathBackMark);
  }

  /** True when `w` lies on a shortest path of the last search at d(at, w) = `i`. */
  private nextOnPath(w: number, i: number): boolean {
    if (i <= this.kf) return this.fwd[w] === i && this.onPath[w] === 1;
    return this.bwd[w] === this.dist - i;
  }

  /** The same from the other end: at d(to, w) = `j`. */
  private onPathBack(w: number, j: number): boolean {
    if (j <= this.kb) return this.bwd[w] === j && this.onPathBackMark[w] === 1;
    return this.fwd[w] === this.dist - j;
  }

  /**
   * Level by level from `start`…`end` of `q` (one whole level), labelling new
   * agents in `mine`; true when one of them is labelled in `other` too.
   */
  private expand(q: Int32Array, mine: Int32Array, other: Int32Array, start: number, end: number, forward: boolean): boolean {
    const off = this.off;
    const nb = this.nb;
    let tail = end;
    let met = false;
    const level = mine[q[start]!]! + 1;
    // Rows are contiguous in the CSR, but a level's agents are not: their row lengths add up.
    let scanned = 0;
    for (let h = start; h < end; h++) {
      const u = q[h]!;
      scanned += off[u + 1]! - off[u]!;
      for (let k = off[u]!, e = off[u + 1]!; k < e; k++) {
        const w = nb[k]!;
        if (mine[w] === UNSEEN) {
          mine[w] = level;
          q[tail++] = w;
          if (other[w] !== UNSEEN) met = true;
        }
      }
    }
    if (forward) this.fn = tail;
    else this.bn = tail;
    this.scanned += scanned;
    return met;
  }

  /**
   * Marks in `mark` the agents of one ball (`q`'s first `n`, levels `mine`,
   * radius `rim`) that lie on a shortest path: the rim's by the other ball's
   * level (`other` at `otherRim`), the others by a marked neighbour one level
   * out (the queue is in level order: walked backwards, a level's marks are
   * all set before the level inside it is read).
   */
  private markBall(q: Int32Array, n: number, mine: Int32Array, other: Int32Array, rim: number, otherRim: number, mark: Uint8Array): void {
    const off = this.off;
    const nb = this.nb;
    for (let h = n - 1; h >= 0; h--) {
      const x = q[h]!;
      const lx = mine[x]!;
      if (lx === rim) {
        if (other[x] === otherRim) mark[x] = 1;
        continue;
      }
      for (let k = off[x]!, e = off[x + 1]!; k < e; k++) {
        const y = nb[k]!;
        if (mine[y] === lx + 1 && mark[y] === 1) {
          mark[x] = 1;
          break;
        }
      }
    }
  }

  /** Clears what the last search labelled. */
  private reset(): void {
    for (let h = 0; h < this.fn; h++) {
      const x = this.fq[h]!;
      this.fwd[x] = UNSEEN;
      this.onPath[x] = 0;
    }
    for (let h = 0; h < this.bn; h++) {
      const x = this.bq[h]!;
      this.bwd[x] = UNSEEN;
      this.onPathBackMark[x] = 0;
    }
    this.backMarked = false;
    this.fn = 0;
    this.bn = 0;
    this.from = -1;
    this.to = -1;
  }
}
