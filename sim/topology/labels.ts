/**
 * Exact hop distances from hub labels (pruned landmark labelling: Akiba,
 * Iwata & Yoshida, "Fast exact shortest-path distance queries on large
 * networks", SIGMOD 2013), so that routing on a large graph answers
 * "how far is w from the destination" without a breadth-first search over the
 * whole graph per destination.
 *
 * Agents are ranked by degree (highest first, ties by smaller id). A pruned
 * BFS from each agent in rank order labels every agent u it reaches with
 * (rank, d) unless the labels built so far already give a distance ≤ d; then
 * dist(u, v) = min over hubs h common to both labels of d(u, h) + d(h, v),
 * exactly (the 2-hop cover property). On scale-free graphs the hubs cover
 * almost every shortest path, so labels stay short: tens of entries per agent.
 * On long, lattice-like graphs (rings, lightly rewired small worlds) they grow
 * with n; `build` gives up beyond an entry budget and the caller falls back to
 * per-destination BFS.
 *
 * Queries towards one destination (`setTarget`, then `toTarget` and `within`
 * for the agents around the current hop) spread the destination's label into
 * a dense array by hub rank, so that each entry of the other label is one
 * read. When the highest-ranked hubs have distance tables of their own
 * (hub-hops.ts: a BFS from each, the same degree order), `useHubDistances`
 * hands those over: the entries of those hubs read the destination's exact
 * distance to the hub from the table, and only the rest of its label (a
 * quarter of it on scale-free graphs with 256 tabled hubs) is spread and
 * cleared per destination. An exact distance in place of the label's is never
 * smaller than the true distance through that hub and equal to it where the
 * label's is, so every answer stays the same.
 *
 * Memory: 4 bytes an entry (the hub's rank and the distance packed in one
 * Int32, `rank << 8 | distance`, so that a scan reads one array, not two) plus
 * 8n + 4 bytes of offsets (where each label starts, and where its part past
 * the tabled hubs starts), and one n-byte array holding the destination's
 * label densely for the queries (`setTarget`). Ranks fit 23 bits: labels are
 * built for at most a few hundred thousand agents (paths.ts).
 */
import type { Topology } from './graph.js';

/**
 * Distance meaning "no common hub" (unreachable); every real distance is < 255.
 * The query loops below write it as the literal 0xff: V8 reads an exported
 * constant from its cell and checks that it was initialised at every read, and
 * keeps a minimum seeded from one boxed.
 */
export const FAR = 0xff;

/**
 * The build gives up after this many roots when the second half of them
 * labelled on average at least half the agents each. On graphs whose labels
 * fit, the hubs soon cover most paths and each new root labels few agents
 * (roots 32–63 of a 100,000-agent scale-free graph, m = 2: 22% of the agents
 * each); on random and small-world graphs each keeps labelling most of the
 * graph (86% and 89% at 20,000 and 30,000 agents) until the entry budget
 * stops the build, seconds later. Giving up early changes the strategy the
 * routes are found by, never a route.
 */
export const EARLY_CHECK_ROOTS = 64;

export class HubLabels {
  private constructor(
    readonly n: number,
    /** Label of agent v: entries offsets[v] … offsets[v + 1] − 1, ascending by hub rank. */
    private readonly offsets: Int32Array,
    /** Entries: hub rank << 8 | distance. */
    private readonly entriesOf: Int32Array,
    /** The current target's label past the tabled hubs, dense by hub rank (FAR where absent). */
    private readonly target: Uint8Array,
    /** Agent of each rank: the order of the pruned searches. */
    private readonly order: Int32Array,
    /**
     * Per agent, where the entries of ranks ≥ `tabled` start: entries
     * offsets[v] … split[v] − 1 are of tabled hubs (none until `useHubDistances`).
     */
    private readonly split: Int32Array,
  ) {}

  private targetAgent = -1;
  /** Hub ranks below this read the tables of `useHubDistances`. */
  private tabled = 0;
  /** Distances from the tabled hubs, in the high byte: agent t's to rank r at t · hubStride + r. */
  private hubTable: Uint16Array = new Uint16Array(0);
  private hubStride = 0;
  /** Where the current target's distances start in `hubTable`. */
  private targetRow = 0;

  /** Label entries in all (the memory the labels take is 4 bytes each). */
  get entries(): number {
    return this.entriesOf.length;
  }

  /**
   * Builds the labels of a CSR topology, or returns null when they would exceed
   * `maxEntries` entries, a distance would not fit a byte (a graph too long for
   * labels to pay off), or the first roots show that they will grow with n
   * (EARLY_CHECK_ROOTS). Deterministic: the order depends only on the graph.
   */
  static build(topo: Topology, maxEntries: number): HubLabels | null {
    const n = topo.n;
    if (n >= 1 << 23) return null; // a rank must fit beside its distance in an Int32
    const off = topo.offsets;
    const nb = topo.neighbors;
    // Rank by degree, highest first; ties by agent id (a stable sort on ids).
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const byDegree = Array.from(order).sort((a, b) => off[b + 1]! - off[b]! - (off[a + 1]! - off[a]!) || a - b);
    const rank = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      order[i] = byDegree[i]!;
      rank[byDegree[i]!] = i;
    }

    // Growing labels: each agent owns a region of the pools, moved to a region
    // twice as large when full; `compact` packs them at the end.
    const start = new Int32Array(n);
    const len = new Int32Array(n);
    const cap = new Int32Array(n);
    const initial = 4;
    let pool = new Int32Array(Math.max(16, n * initial * 2));
    for (let v = 0; v < n; v++) {
      start[v] = v * initial;
      cap[v] = initial;
    }
    let poolEnd = n * initial;
    let total = 0;

    const rootLabel = new Uint8Array(n).fill(FAR); // by hub rank
    const dist = new Uint8Array(n).fill(FAR); // BFS marks of the current root
    const queue = new Int32Array(n);

    let atHalf = 0;
    for (let i = 0; i < n; i++) {
      if (i === EARLY_CHECK_ROOTS / 2) atHalf = total;
      if (i === EARLY_CHECK_ROOTS && total - atHalf >= (EARLY_CHECK_ROOTS / 2) * (n / 2)) return null;
      const r = order[i]!;
      const rs = start[r]!;
      const rl = len[r]!;
      for (let e = rs; e < rs + rl; e++) rootLabel[pool[e]! >>> 8] = pool[e]! & 0xff;
      let head = 0;
      let tail = 0;
      queue[tail++] = r;
      dist[r] = 0;
      while (head < tail) {
        const u = queue[head++]!;
        const du = dist[u]!;
        // Pruned when an earlier hub already gives dist(r, u) ≤ du.
        const us = start[u]!;
        const ue = us + len[u]!;
        let pruned = false;
        for (let e = us; e < ue; e++) {
          const v = pool[e]!;
          if ((v & 0xff) + rootLabel[v >>> 8]! <= du) {
            pruned = true;
            break;
          }
        }
        if (pruned) continue;
        if (++total > maxEntries || du >= FAR - 1) {
          for (let k = 0; k < tail; k++) dist[queue[k]!] = FAR;
          return null;
        }
        if (len[u] === cap[u]) {
          const c = cap[u]! * 2;
          if (poolEnd + c > pool.length) {
            const grown = new Int32Array(Math.max(pool.length * 2, poolEnd + c));
            grown.set(pool.subarray(0, poolEnd));
            pool = grown;
          }
          pool.copyWithin(poolEnd, us, ue);
          start[u] = poolEnd;
          cap[u] = c;
          poolEnd += c;
        }
        pool[start[u]! + len[u]!] = (i << 8) | du;
        len[u]! += 1;
        // Agents ranked before the root were roots themselves: always pruned.
        for (let k = off[u]!, end = off[u + 1]!; k < end; k++) {
          const w = nb[k]!;
          if (dist[w] === FAR && rank[w]! > i) {
            dist[w] = du + 1;
            queue[tail++] = w;
          }
        }
      }
      for (let k = 0; k < tail; k++) dist[queue[k]!] = FAR;
      for (let e = rs; e < rs + rl; e++) rootLabel[pool[e]! >>> 8] = FAR;
    }

    const offsets = new Int32Array(n + 1);
    for (let v = 0; v < n; v++) offsets[v + 1] = offsets[v]! + len[v]!;
    const entries = new Int32Array(total);
    for (let v = 0; v < n; v++) entries.set(pool.subarray(start[v]!, start[v]! + len[v]!), offsets[v]!);
    return new HubLabels(n, offsets, entries, new Uint8Array(n).fill(FAR), order, offsets.slice(0, n));
  }

  /**
   * Takes the hubs' distance tables (hub-hops.ts): `hubs[s]` is the agent of
   * table s and the high byte of `entries[t · hubs.length + s]` its exact hop
   * count to agent t (HUB_FAR, 255, when unreachable; the low byte is the
   * hub's, and not read here). The tables answer for the hubs whose
   * rank equals their table's index, the longest such prefix of the rank
   * order (all of them when both rank by degree alike, as they do).
   * Returns how many hubs that is.
   */
  useHubDistances(hubs: Int32Array, entries: Uint16Array): number {
    const order = this.order;
    let tabled = 0;
    while (tabled < hubs.length && tabled < order.length && hubs[tabled] === order[tabled]) tabled++;
    this.setTarget(-1);
    const ent = this.entriesOf;
    for (let v = 0; v < this.n; v++) {
      let e = this.offsets[v]!;
      const end = this.offsets[v + 1]!;
      while (e < end && ent[e]! >>> 8 < tabled) e++; // ascending by rank
      this.split[v] = e;
    }
    this.tabled = tabled;
    this.hubTable = entries;
    this.hubStride = hubs.length;
    return tabled;
  }

  /** Hop count between u and v (FAR when they share no hub: unreachable). O(|L(u)| + |L(v)|). */
  distance(u: number, v: number): number {
    const ent = this.entriesOf;
    let a = this.offsets[u]!;
    const ae = this.offsets[u + 1]!;
    let b = this.offsets[v]!;
    const be = this.offsets[v + 1]!;
    let best = 0xff; // FAR
    while (a < ae && b < be) {
      const ha = ent[a]! >>> 8;
      const hb = ent[b]! >>> 8;
      if (ha === hb) {
        const d = (ent[a]! & 0xff) + (ent[b]! & 0xff);
        if (d < best) best = d;
        a++;
        b++;
      } else if (ha < hb) a++;
      else b++;
    }
    return best;
  }

  /**
   * Makes `t` the target of `toTarget` and `within` (−1: none): its label past
   * the tabled hubs is spread into the dense array (O(|L(t)|) at most,
   * nothing when it already is the target).
   */
  setTarget(t: number): void {
    if (t === this.targetAgent) return;
    const target = this.target;
    const ent = this.entriesOf;
    const prev = this.targetAgent;
    if (prev >= 0) {
      for (let e = this.split[prev]!, end = this.offsets[prev + 1]!; e < end; e++) target[ent[e]! >>> 8] = 0xff; // FAR
    }
    if (t >= 0) {
      for (let e = this.split[t]!, end = this.offsets[t + 1]!; e < end; e++) target[ent[e]! >>> 8] = ent[e]! & 0xff;
    }
    this.targetAgent = t;
    this.targetRow = t * this.hubStride;
  }

  /** Hop count from u to the target (FAR when unreachable). O(|L(u)|). */
  toTarget(u: number): number {
    const ent = this.entriesOf;
    let best = 0xff; // FAR
    const split = this.split[u]!;
    const hub = this.hubTable;
    const row = this.targetRow;
    for (let e = this.offsets[u]!; e < split; e++) {
      const v = ent[e]!;
      const d = (v & 0xff) + (hub[row + (v >>> 8)]! >>> 8);
      if (d < best) best = d;
    }
    const target = this.target;
    for (let e = split, end = this.offsets[u + 1]!; e < end; e++) {
      const v = ent[e]!;
      const d = (v & 0xff) + target[v >>> 8]!;
      if (d < best) best = d;
    }
    return best;
  }

  /** True when u is within `d` hops of the target; stops at the first hub that shows it. */
  within(u: number, d: number): boolean {
    const ent = this.entriesOf;
    const split = this.split[u]!;
    const hub = this.hubTable;
    const row = this.targetRow;
    for (let e = this.offsets[u]!; e < split; e++) {
      const v = ent[e]!;
      if ((v & 0xff) + (hub[row + (v >>> 8)]! >>> 8) <= d) return true;
    }
    const target = this.target;
    for (let e = split, end = this.offsets[u + 1]!; e < end; e++) {
      const v = ent[e]!;
      if ((v & 0xff) + target[v >>> 8]! <= d) return true;
    }
    return false;
  }
}
