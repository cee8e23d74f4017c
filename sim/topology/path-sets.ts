/**
 * The shortest-path sets of recent searches, kept by target, for the question
 * `adaptive` routing asks at every hop on searched graphs (paths.ts, mode
 * `search`): the closer set of agent x towards t, which would otherwise cost a
 * bidirectional search a hop.
 *
 * A search between a and t at distance D finds V, the agents on some shortest
 * a–t path; each x of V has d(a, x) + d(x, t) = D. The closer set of x ∈ V
 * towards t is exactly its neighbours in V one hop nearer t: a neighbour y
 * with d(y, t) = d(x, t) − 1 has d(a, y) ≤ d(a, x) + 1 and
 * d(a, y) ≥ D − d(y, t) = d(a, x) + 1, so it lies on V. Any kept set towards t
 * that holds x therefore answers for x, whichever search made it: a message's
 * later hops, and other messages bound for t that cross its paths, need no
 * search. The same set answers the other way (towards a, distances D − d), for
 * the reply that comes back along it, so each set is found from both ends.
 *
 * Sets are written one after another into a ring (`arena` agents), and found
 * through a table direct-mapped by target: a table slot names the last set
 * kept towards a target hashed to it, and a set the ring has since written
 * over is gone. Most sets hold a few tens of agents (random and small-world
 * graphs of 8,000 to 30,000 agents: 10 to 12 on average, 44 to 58 at the
 * 99th percentile), so the ring keeps tens of thousands, far more than the
 * routes in flight. Sets of more than `cap` agents, distances past 255 and
 * agents numbered 2^23 or more are not kept: those questions search as before.
 * A cache of true distances: it changes speed, never an answer.
 *
 * Memory: 16 bytes a table slot, 4 an arena entry.
 */
export class PathSets {
  /** Per table slot: the target (−1: none), where its set starts in the ring's stream, its size, and D (negated: the set is kept from the other end). */
  private readonly target: Int32Array;
  private readonly start: Float64Array;
  private readonly size: Int32Array;
  private readonly span: Int32Array;
  /** The ring: agent << 8 | distance to the set's first end, ascending by agent within a set. */
  private readonly ring: Int32Array;
  /** Entries written so far (a double: it cannot wrap within a run). */
  private written = 0;
  private readonly slotMask: number;
  private readonly ringMask: number;
  /** The slot `distance` last found its agent in. */
  private found = -1;
  /** Sets kept, and questions answered from them: what tests and benchmarks read. */
  kept = 0;
  hits = 0;

  constructor(
    /** Table slots, a power of two. */
    slots: number,
    /** Ring entries, a power of two. */
    arena: number,
    /** Most agents a kept set holds (at most `arena`). */
    readonly cap: number,
  ) {
    this.target = new Int32Array(slots).fill(-1);
    this.start = new Float64Array(slots);
    this.size = new Int32Array(slots);
    this.span = new Int32Array(slots);
    this.ring = new Int32Array(arena);
    this.slotMask = slots - 1;
    this.ringMask = arena - 1;
  }

  /** True when sets between agents below `n` at distance `d` can be kept at all. */
  fits(n: number, d: number): boolean {
    return n <= 1 << 23 && d <= 0xff;
  }

  private slot(t: number): number {
    return Math.imul(t, 0x9e3779b1) & this.slotMask;
  }

  /**
   * Keeps the set `keys[0 … size − 1]` (agent << 8 | distance to `t`, in any
   * order; sorted in place) between `a` and `t`, D = `d` apart, for both ends.
   */
  put(t: number, a: number, d: number, keys: Int32Array, size: number): void {
    const sorted = keys.subarray(0, size).sort();
    const ring = this.ring;
    const mask = this.ringMask;
    const first = this.written;
    for (let k = 0; k < size; k++) ring[(first + k) & mask] = sorted[k]!;
    this.written = first + size;
    this.point(t, first, size, d);
    this.point(a, first, size, -d);
    this.kept++;
  }

  private point(end: number, first: number, size: number, span: number): void {
    const s = this.slot(end);
    this.target[s] = end;
    this.start[s] = first;
    this.size[s] = size;
    this.span[s] = span;
  }

  /** d(x, t) from a kept set towards `t` holding `x`, else −1; `closer` then reads that set. */
  distance(x: number, t: number): number {
    const s = this.slot(t);
    if (this.target[s] !== t) return -1;
    const first = this.start[s]!;
    // Written over since: gone.
    if (this.written - first > this.ring.length) return -1;
    const base = first & this.ringMask;
    const end = base + this.size[s]!;
    // The ring's end may cut a set in two: positions run on past it, read modulo.
    const at = this.lowerBound(base, end, x);
    if (at === end) return -1;
    const key = this.ring[at & this.ringMask]!;
    if (key >> 8 !== x) return -1;
    this.found = s;
    return this.towards(s, key);
  }

  /** Distance to the slot's end of the agent keyed `key` (kept towards the set's first end: from the other, D − d). */
  private towards(s: number, key: number): number {
    const span = this.span[s]!;
    return span >= 0 ? key & 0xff : -span - (key & 0xff);
  }

  /**
   * Writes into `out` the neighbours of `x` one hop nearer `t`, ascending, with
   * their directed edge ids in `outEdges` (rows `off`/`nb` of the topology),
   * and returns how many; −1 when no kept set towards `t` holds `x`.
   */
  closer(x: number, t: number, off: Int32Array, nb: Int32Array, out: Int32Array, outEdges: Int32Array): number {
    const here = this.distance(x, t);
    if (here < 0) return -1;
    const s = this.found;
    const base = this.start[s]! & this.ringMask;
    const end = base + this.size[s]!;
    const want = here - 1;
    this.hits++;
    let c = 0;
    // Both the row and the set ascend by agent: each neighbour is looked for
    // past the one before it.
    let lo = base;
    for (let k = off[x]!, e = off[x + 1]!; k < e; k++) {
      const y = nb[k]!;
      lo = this.lowerBound(lo, end, y);
      if (lo === end) break;
      const yk = this.ring[lo & this.ringMask]!;
      if (yk >> 8 === y && this.towards(s, yk) === want) {
        out[c] = y;
        outEdges[c] = k;
        c += 1;
      }
    }
    return c;
  }

  /** First position in lo … hi − 1 (read modulo the ring) whose agent is ≥ `agent`; hi when none. */
  private lowerBound(lo: number, hi: number, agent: number): number {
    const ring = this.ring;
    const mask = this.ringMask;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ring[mid & mask]! >> 8 < agent) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
