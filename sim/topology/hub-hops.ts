/**
 * First hops out of the hubs, precomputed: for each of the highest-degree
 * agents H and every destination t, the lowest-numbered neighbour of H one hop
 * nearer to t — what `shortest` routing takes at H. On scale-free graphs most
 * paths climb to a hub, cross between hubs and descend, and a hub is where the
 * per-destination search is dearest (a distance test per neighbour, for
 * hundreds of neighbours); a table makes those hops one array read.
 *
 * One BFS from each hub finds them all: the neighbours w of H one hop nearer to
 * t are exactly the first hops of the shortest paths H → t (undirected), so the
 * lowest of them propagates down the BFS levels — first(w) = w for H's
 * neighbours, first(x) = min first(p) over x's parents p one level up. Every
 * parent of x is popped before x, so first(x) is final when x is popped.
 *
 * The same BFS gives the hub's distance to every agent, kept too, laid out by
 * agent (the hubs' distances to one agent side by side): an agent all of
 * whose neighbours are hubs (common on scale-free graphs, whose new agents
 * attach to hubs) finds its own closer set from its neighbours' distances,
 * d(a, t) = 1 + min over neighbours w of d(w, t), without labels; and the hub
 * labels read a destination's distances to the hubs there instead of from its
 * label (labels.ts `useHubDistances`).
 *
 * Memory: 2 bytes per (hub, agent), one Uint16 entry holding the hop as
 * its index in H's sorted CSR row (the index is also its directed edge id
 * less the row's start) in its low byte and the distance in its high byte.
 * The table is read at random destinations, and on the machines measured a
 * random read past the last-level cache (a few MiB) costs five times one
 * within it, so its size and the cache lines a hop reads are what the
 * routing's speed depends on (SPEC §4): side by side, a hub's hop and its
 * distance are one read, and a destination's entries from all 256 hubs lie
 * in eight cache lines, the most used hubs' in the first (the label queries
 * read the distances of the hubs in a label, most of them among the first;
 * measured against two tables of a byte each, and against one byte holding
 * both in four bits each, which most hops at the busiest hubs overflow: warm
 * p2p-10k runs 0.95 of the time of the latter). A hop past the row's 254th
 * neighbour does not fit its byte: the byte says so, and a list per hub, by
 * destination, holds it (8 bytes each). On scale-free graphs the first closer
 * neighbour is nearly always among the low-numbered hubs that open a row:
 * such hops are none of the entries at 10,000 agents, 0.11% at 100,000 and
 * 5.6% at 1,000,000. Within a byte budget: 256 hubs × 10,000 agents take
 * 5.1 MB; at 1,000,000 agents the default 64 MiB holds 33 hubs. Build time:
 * one BFS, O(n + E), per hub.
 */
import { growI32 } from '../engine/typed-arrays.js';
import { findInRow, type Topology } from './graph.js';

/** Most hubs tabled: beyond, the next hubs carry few paths (measured on BA graphs, SPEC §4). */
export const HUB_HOPS_MAX = 256;
/** Below this degree a neighbour scan is already cheap: no table. */
export const HUB_HOPS_MIN_DEGREE = 8;
/** Default memory for the tables. */
export const HUB_HOPS_BYTES = 64 * 1024 * 1024;

/** Hop byte: no hop (t is the hub, or unreachable). */
const NO_HOP = 0xff;
/** Hop byte: the hop's index does not fit a byte; the far lists have it. */
const FAR_HOP = 0xfe;
/** BFS scratch: no first hop yet. */
const UNSET = 0x7fffffff;
/** Distance byte: unreachable, or farther than a byte holds (then unknown here). */
export const HUB_FAR = 0xff;

export class HubFirstHops {
  private constructor(
    /** Agent → its table's index, −1 for agents without one. */
    private readonly slotOf: Int32Array,
    /**
     * The hub of slot s and agent t at t · hubs + s (by agent, so that one
     * agent's entries from all the hubs are adjacent): in the low byte the
     * first hop's index in the hub's CSR row (NO_HOP if there is none,
     * FAR_HOP when the far lists hold it), in the high byte the hops between
     * them (HUB_FAR when unreachable or ≥ 255).
     */
    readonly entries: Uint16Array,
    /**
     * Hops whose index does not fit a byte: those of the hub of slot s are at
     * farStart[s] … farStart[s + 1] − 1, the destination in `farAgent`
     * (ascending) and the hop's index in `farHop`.
     */
    private readonly farStart: Int32Array,
    private readonly farAgent: Int32Array,
    private readonly farHop: Int32Array,
    /** Agent of each slot: the hubs, highest degree first, ties by lower agent number. */
    readonly agents: Int32Array,
    /** Agent → 1 when every neighbour has a table (and it has at least one neighbour). */
    private readonly surrounded: Uint8Array,
    readonly hubs: number,
  ) {}

  /**
   * Tables for up to `maxHubs` agents of degree ≥ `minDegree`, highest degree
   * first, ties by lower agent number; null when no agent qualifies.
   * Deterministic.
   */
  static build(
    topo: Topology,
    opts: { maxHubs?: number; minDegree?: number; bytes?: number } = {},
  ): HubFirstHops | null {
    const n = topo.n;
    if (topo.implicit || n === 0) return null;
    const off = topo.offsets;
    const nb = topo.neighbors;
    const minDegree = opts.minDegree ?? HUB_HOPS_MIN_DEGREE;
    const limit = Math.min(opts.maxHubs ?? HUB_HOPS_MAX, Math.floor((opts.bytes ?? HUB_HOPS_BYTES) / (2 * n)));
    const candidates: number[] = [];
    for (let v = 0; v < n; v++) {
      if (off[v + 1]! - off[v]! >= minDegree) candidates.push(v);
    }
    candidates.sort((a, b) => off[b + 1]! - off[b]! - (off[a + 1]! - off[a]!) || a - b);
    const count = Math.min(limit, candidates.length);
    if (count <= 0) return null;

    const slotOf = new Int32Array(n).fill(-1);
    const entries = new Uint16Array(count * n).fill((HUB_FAR << 8) | NO_HOP);
    const farStart = new Int32Array(count + 1);
    let farAgent = new Int32Array(64);
    let farHop = new Int32Array(64);
    let far = 0;
    const level = new Int32Array(n);
    const queue = new Int32Array(n);
    const row = new Int32Array(n);
    for (let s = 0; s < count; s++) {
      const hub = candidates[s]!;
      slotOf[hub] = s;
      row.fill(UNSET);
      level.fill(-1);
      level[hub] = 0;
      let head = 0;
      let tail = 0;
      for (let k = off[hub]!, e = off[hub + 1]!; k < e; k++) {
        const w = nb[k]!;
        level[w] = 1;
        row[w] = k - off[hub]!;
        queue[tail++] = w;
      }
      while (head < tail) {
        const x = queue[head++]!;
        const next = level[x]! + 1;
        const first = row[x]!;
        for (let k = off[x]!, e = off[x + 1]!; k < e; k++) {
          const y = nb[k]!;
          if (level[y] === -1) {
            level[y] = next;
            row[y] = first;
            queue[tail++] = y;
          } else if (level[y] === next && first < row[y]!) {
            row[y] = first;
          }
        }
      }
      for (let v = 0; v < n; v++) {
        const l = level[v]!;
        const hop = row[v]!;
        const d = l >= 0 && l < HUB_FAR ? l : HUB_FAR;
        if (hop < FAR_HOP) entries[v * count + s] = (d << 8) | hop;
        else if (hop === UNSET) entries[v * count + s] = (d << 8) | NO_HOP;
        else {
          entries[v * count + s] = (d << 8) | FAR_HOP;
          if (far === farAgent.length) {
            farAgent = growI32(farAgent, 2 * far);
            farHop = growI32(farHop, 2 * far);
          }
          farAgent[far] = v;
          farHop[far++] = hop;
        }
      }
      farStart[s + 1] = far;
    }
    const surrounded = new Uint8Array(n);
    for (let v = 0; v < n; v++) {
      let all = off[v + 1]! > off[v]! ? 1 : 0;
      for (let k = off[v]!, e = off[v + 1]!; k < e && all === 1; k++) if (slotOf[nb[k]!]! < 0) all = 0;
      surrounded[v] = all;
    }
    return new HubFirstHops(slotOf, entries, farStart, farAgent.slice(0, far), farHop.slice(0, far), Int32Array.from(candidates.slice(0, count)), surrounded, count);
  }

  /** The hop of the hub of `slot` towards `to` from its far list (binary search by destination). */
  private farIndex(slot: number, to: number): number {
    const i = findInRow(this.farAgent, this.farStart[slot]!, this.farStart[slot + 1]!, to);
    return i < 0 ? -1 : this.farHop[i]!;
  }

  /** True when `at` has a table. */
  has(at: number): boolean {
    return this.slotOf[at]! >= 0;
  }

  /** True when every neighbour of `at` has a table. */
  surroundedByHubs(at: number): boolean {
    return this.surrounded[at] === 1;
  }

  /** Hops from hub `hub` (which has a table) to `to`; HUB_FAR when unreachable or ≥ 255. */
  hubDistance(hub: number, to: number): number {
    return this.entries[to * this.hubs + this.slotOf[hub]!]! >>> 8;
  }

  /**
   * The first hop's index in `at`'s CSR row towards `to` (add the row's start
   * for the directed edge id), or −1 when there is none: `to` is `at`, or
   * unreachable. Only for agents with a table (`has`).
   */
  firstIndex(at: number, to: number): number {
    const slot = this.slotOf[at]!;
    const i = this.entries[to * this.hubs + slot]! & 0xff;
    return i < FAR_HOP ? i : i === NO_HOP ? -1 : this.farIndex(slot, to);
  }
}
