/**
 * Shortest-path queries for routing (SPEC §5 `routing.path`: shortest, ecmp,
 * adaptive), without an all-pairs table. A route is taken hop by hop: at each
 * agent the caller asks for the neighbours one hop closer to the destination
 * (`closerNeighbors`, the ECMP set) or, to detour around a failed hop, those at
 * the same distance (`sideNeighbors`).
 *
 * One strategy per shape, chosen once in the constructor:
 *
 * - implicit full mesh: arithmetic (every pair is one hop apart);
 * - ring (kind `ring`): arithmetic on indices, both directions when equidistant;
 * - trees (hierarchical, star, or any connected graph with n − 1 edges): parent
 *   and depth arrays from a BFS at agent 0, queries walk up to the common
 *   ancestor, O(depth) = O(log_fanout n) for the hierarchical generator with
 *   fanout ≥ 2 (a fanout of 1 is a chain: depth n − 1);
 * - everything else of LABELS_MIN_AGENTS … LABELS_MAX_AGENTS agents: hub labels
 *   (labels.ts), exact distances without a search per destination; a hop one or
 *   two away from the destination reads the CSR rows (the destination itself, or
 *   the common neighbours), a hop three away from a hub intersects rows too, and
 *   the others ask the labels once per neighbour. Built once in the constructor
 *   (0.2 s at 10,000 scale-free agents, 11 s at 100,000 here);
 * - everything else of LABELS_MIN_AGENTS agents or more (beyond the labels'
 *   range, or too long for them) where a few probes show the searches stay
 *   small (SEARCH_MAX_SHARE): a bidirectional
 *   search per pair (pair-search.ts), which visits a few hundred to a few
 *   thousand agents where a BFS visits all; static policies plan whole routes
 *   with one search (`route`, `plansRoutes`);
 * - everything else (smaller, or long: a ring, a lattice, a grid): one BFS
 *   distance array per destination, computed on demand and kept in an LRU
 *   cache bounded by bytes.
 *
 * Labels and BFS-cache graphs also get first-hop tables at their hubs
 * (hub-hops.ts), which `firstCloser` — what `shortest` routing asks — reads
 * before anything else: most hops on a scale-free graph leave a hub.
 *
 * Every strategy returns the same sets in the same order: the choice changes
 * speed and memory, never a path.
 *
 * Cache sizing (general graphs). A distance array holds one entry per agent:
 * Uint8 when a diameter bound (2 × the eccentricity of one agent per component,
 * computed in the constructor) is ≤ 254, else Uint16 (≤ 65,534), else Int32.
 * At 10,000 agents an array is 10 KB (Uint8) — 104 arrays per MiB — or 20 KB
 * (Uint16) — 52 per MiB. The default 256 MiB therefore holds ≈ 26,800 Uint8
 * arrays, more than the 10,000 destinations, so every destination stays cached
 * after its first BFS (≈ 100 MB in all at 10k agents, allocated only as
 * destinations are used). At 50,000 agents (50 KB each) it holds ≈ 5,400
 * destinations and evicts the least recently used; a miss costs one BFS,
 * O(n + E), well under a millisecond at 10k agents. Smaller budgets trade
 * memory for repeated BFS on destinations that fall out of the cache.
 *
 * Calls allocate nothing once a destination's array is cached; a miss after the
 * cache is full reuses the evicted array.
 */
import * as graph from './graph.js';
import type { Topology } from './graph.js';
import * as labels from './labels.js';
import { HubLabels } from './labels.js';
import * as hubHops from './hub-hops.js';
import { HubFirstHops } from './hub-hops.js';
import { PairSearch } from './pair-search.js';
import { PathSets } from './path-sets.js';
import { SideSearch } from './side-search.js';
import { RouteStash } from './route-stash.js';

// This module's own constants for what the queries read: V8 folds them into
// the compiled code, where each read of an imported binding costs a cell load
// and a check that it was initialised.
const { edgeId } = graph;
const { FAR } = labels;
const { HUB_FAR } = hubHops;

/**
 * General graphs of LABELS_MIN_AGENTS … LABELS_MAX_AGENTS agents use hub labels
 * (when they fit), others the BFS cache: below, a BFS per destination is cheap;
 * above, building the labels takes minutes (it grows faster than n: 0.2 s at
 * 10,000 scale-free agents, 11 s at 100,000), more than a BFS per destination
 * costs the sparse traffic such meshes are run with.
 */
export const LABELS_MIN_AGENTS = 4096;
export const LABELS_MAX_AGENTS = 250_000;
/**
 * Graphs without labels of LABELS_MIN_AGENTS agents or more are routed by a
 * search per pair when SEARCH_PROBES searches between agents drawn at random
 * (a fixed draw: the choice depends on the graph alone) cost on average at
 * most 1 / SEARCH_MAX_SHARE of a BFS (agents labelled and neighbours scanned,
 * against agents and directed edges): the small-world, random and scale-free
 * graphs, whose searches meet after a few hundred to a few thousand agents
 * (measured, 16 probes: 1–5% of a BFS on random graphs of degree 3 to 40 and
 * small worlds of degree 4 to 10). Where they cost more (a ring, a lattice, a
 * grid: 29–64%), a search per route would cost more than the BFS per
 * destination, which the routes to one destination share.
 */
export const SEARCH_MAX_SHARE = 16;
export const SEARCH_PROBES = 16;
/**
 * Routes back kept for replies (search mode): slots, and hops a route. A
 * reply comes about a round trip after its request: 4,096 slots keep it
 * through thousands of other requests planned meanwhile (0.6 MB).
 */
const STASH_SLOTS = 4096;
const STASH_HOPS = 32;
/**
 * Shortest-path sets kept for closer-set questions (search mode, `adaptive`;
 * path-sets.ts): table slots, ring entries and agents a set. A route's
 * questions come within its lifetime, while hundreds of others keep sets
 * meanwhile: 32,768 slots rarely lose a target in flight, and 2^20 entries
 * (4 MB) hold tens of thousands of sets of the usual tens of agents.
 */
const PATH_SET_SLOTS = 1 << 15;
const PATH_SET_ARENA = 1 << 20;
const PATH_SET_CAP = 4096;
/** Hub labels are given up beyond this many entries per agent on average (4 bytes each). */
export const LABEL_ENTRIES_PER_AGENT = 256;

/** 256 MiB: see the sizing note above. */
export const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024;

type DistArray = Uint8Array | Uint16Array | Int32Array;

const enum Mode {
  Mesh,
  Ring,
  Tree,
  General,
  Labels,
  Search,
}

export class PathFinder {
  private readonly topo: Topology;
  private readonly n: number;
  private readonly mode: Mode;
  private readonly offsets: Int32Array;
  private readonly nb: Int32Array;

  // Tree mode: parent of each node (−1 at the root) and its depth below agent 0.
  private readonly parent: Int32Array;
  private readonly depth: Int32Array;

  // General mode: LRU of per-destination distance arrays.
  /** Distance entry meaning "unreachable": the element type's maximum. */
  private readonly unreachable: number;
  private readonly bytesPerEntry: 1 | 2 | 4;
  /** Most distance arrays kept at once. */
  readonly capacity: number;
  /** BFS runs so far (cache misses). */
  misses = 0;
  private readonly slotOf: Int32Array; // destination → slot, −1 when not cached
  private readonly destOf: Int32Array; // slot → destination
  private readonly prev: Int32Array; // LRU list over slots; head = most recent
  private readonly next: Int32Array;
  private readonly trees: DistArray[] = [];
  private head = -1;
  private tail = -1;
  private used = 0;
  private readonly queue: Int32Array;

  // Labels mode: exact distances from hub labels instead of per-destination BFS.
  private readonly labels: HubLabels | null = null;
  /** Mean label length: what a label query per neighbour costs. */
  private readonly labelScanCost: number = 0;
  /** Per directed edge: the call that last collected it (`twoHopNeighbors`). */
  private readonly edgeMark: Int32Array;
  private stamp = 0;
  /** After `firstCloser`: hops from the hop it returned to its target when found on the way, else −1. */
  hopLeft = -1;
  /** Scratch for `firstCloser`: the hop it finds (at most 2 entries on the arithmetic shapes). */
  private readonly firstBuf = new Int32Array(2);
  /** Scratch for `route`: a closer set (maxDegree entries, allocated on first use). */
  private routeBufs: [Int32Array, Int32Array] | null = null;

  /** Search mode: the bidirectional search between the pair asked about. */
  private readonly pair: PairSearch | null = null;
  /** Search mode: routes back walked from a request's search, for its reply (allocated on first use). */
  private stash: RouteStash | null = null;
  /** Scratch for a route back before it is kept. */
  private readonly stashBuf = new Int32Array(STASH_HOPS);
  /** Search mode: shortest-path sets of recent searches, for closer sets (allocated on first use). */
  private pathSets: PathSets | null = null;
  private readonly pathSetOpts: { slots: number; arena: number; cap: number };
  /** Search mode: agents already in the set being gathered (by `setStamp`), and the set's keys. */
  private setMark: Int32Array | null = null;
  private setStamp = 0;
  private setKeys: Int32Array | null = null;
  /** Search mode: the side sets' two-ball search (allocated on first use). */
  private sideSearch: SideSearch | null = null;

  /** First-hop tables of the hubs (labels and BFS modes; see hub-hops.ts), or null. */
  private readonly hubHops: HubFirstHops | null = null;

  constructor(
    topo: Topology,
    opts?: {
      cacheBytes?: number;
      labels?: boolean;
      /** Hub first-hop tables: false for none; limits for tests. */
      hubHops?: false | { maxHubs?: number; minDegree?: number; bytes?: number };
      /** Graphs without labels: a search per pair (true) or a BFS per destination (false); by size and probes when absent (`searchPays`). */
      search?: boolean;
      /** Search mode: table slots and ring entries (powers of two) of the kept shortest-path sets, and agents a set; tests shrink them. */
      pathSets?: { slots: number; arena: number; cap: number };
    },
  ) {
    this.pathSetOpts = opts?.pathSets ?? { slots: PATH_SET_SLOTS, arena: PATH_SET_ARENA, cap: PATH_SET_CAP };
    this.topo = topo;
    const n = topo.n;
    this.n = n;
    this.offsets = topo.offsets;
    this.nb = topo.neighbors;
    const empty = new Int32Array(0);
    this.parent = empty;
    this.depth = empty;
    this.slotOf = empty;
    this.destOf = empty;
    this.prev = empty;
    this.next = empty;
    this.queue = empty;
    this.edgeMark = empty;
    this.unreachable = 0;
    this.bytesPerEntry = 1;
    this.capacity = 0;

    if (topo.implicit) {
      this.mode = Mode.Mesh;
      return;
    }
    if (topo.kind === 'ring' && topo.neighbors.length === 2 * n) {
      this.mode = Mode.Ring;
      return;
    }
    this.queue = new Int32Array(n);
    if (n > 0 && topo.neighbors.length === 2 * (n - 1)) {
      // n − 1 edges: a tree exactly when one BFS reaches every agent.
      const parent = new Int32Array(n).fill(-1);
      const depth = new Int32Array(n).fill(-1);
      depth[0] = 0;
      const reached = this.bfs(0, depth, -1, parent);
      if (reached === n) {
        this.mode = Mode.Tree;
        this.parent = parent;
        this.depth = depth;
        return;
      }
    }
    if (opts?.labels ?? (n >= LABELS_MIN_AGENTS && n <= LABELS_MAX_AGENTS)) {
      this.labels = HubLabels.build(topo, LABEL_ENTRIES_PER_AGENT * n);
      if (this.labels !== null) {
        this.mode = Mode.Labels;
        if (opts?.hubHops !== false) this.hubHops = HubFirstHops.build(topo, opts?.hubHops);
        if (this.hubHops !== null) this.labels.useHubDistances(this.hubHops.agents, this.hubHops.entries);
        this.labelScanCost = this.labels.entries / Math.max(1, n);
        this.edgeMark = new Int32Array(topo.neighbors.length);
        return;
      }
    }
    const search = opts?.search === false || (opts?.search === undefined && n < LABELS_MIN_AGENTS) ? null : new PairSearch(topo);
    if (search !== null && (opts?.search === true || PathFinder.searchPays(search, n, topo.neighbors.length))) {
      this.mode = Mode.Search;
      this.pair = search;
      return;
    }
    this.mode = Mode.General;
    const bound = this.diameterBound();
    if (bound <= 254) {
      this.bytesPerEntry = 1;
      this.unreachable = 0xff;
    } else if (bound <= 65534) {
      this.bytesPerEntry = 2;
      this.unreachable = 0xffff;
    } else {
      this.bytesPerEntry = 4;
      this.unreachable = 0x7fffffff;
    }
    const budget = opts?.cacheBytes ?? DEFAULT_CACHE_BYTES;
    this.capacity = Math.max(1, Math.min(n, Math.floor(budget / Math.max(1, n * this.bytesPerEntry))));
    this.slotOf = new Int32Array(n).fill(-1);
    this.destOf = new Int32Array(this.capacity).fill(-1);
    this.prev = new Int32Array(this.capacity);
    this.next = new Int32Array(this.capacity);
    if (opts?.hubHops !== false) this.hubHops = HubFirstHops.build(topo, opts?.hubHops);
  }

  /**
   * True when SEARCH_PROBES searches between random agents cost on average
   * at most 1 / SEARCH_MAX_SHARE of a BFS: agents labelled and neighbours
   * scanned, against n + the directed edges. (Agents alone would overstate
   * dense graphs' searches: the level where the balls meet is labelled, not
   * scanned, and at degree 40 it is most of what a search labels.)
   */
  private static searchPays(search: PairSearch, n: number, directedEdges: number): boolean {
    if (n === 0) return false;
    // xorshift32 from a fixed seed: the same probes for the same graph.
    let x = 0x2545f491;
    for (let i = 0; i < SEARCH_PROBES; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const a = (x >>> 0) % n;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      search.search(a, (x >>> 0) % n);
    }
    return (search.visited + search.scanned) * SEARCH_MAX_SHARE <= SEARCH_PROBES * (n + directedEdges);
  }

  /** How distances are found: arithmetic, a tree walk, hub labels, a search per pair, or a BFS per destination. */
  get strategy(): 'arithmetic' | 'tree' | 'labels' | 'search' | 'bfs' {
    switch (this.mode) {
      case Mode.Mesh:
      case Mode.Ring:
        return 'arithmetic';
      case Mode.Tree:
        return 'tree';
      case Mode.Labels:
        return 'labels';
      case Mode.Search:
        return 'search';
      default:
        return 'bfs';
    }
  }

  /** Hop count from `from` to `to`; 0 when equal; −1 when unreachable. */
  distance(from: number, to: number): number {
    if (from === to) return 0;
    switch (this.mode) {
      case Mode.Mesh:
        return 1;
      case Mode.Ring:
        return this.ringDistance(from, to);
      case Mode.Tree:
        return this.treeDistance(from, to);
      case Mode.Labels: {
        const d = this.labels!.distance(from, to);
        return d === FAR ? -1 : d;
      }
      case Mode.Search:
        return this.pair!.search(from, to);
      default: {
        // Undirected: a cached array for either end answers.
        let slot = this.slotOf[to]!;
        let at = from;
        if (slot < 0 && this.slotOf[from]! >= 0) {
          slot = this.slotOf[from]!;
          at = to;
        }
        const tree = slot >= 0 ? this.touch(slot) : this.load(to);
        const d = tree[at]!;
        return d === this.unreachable ? -1 : d;
      }
    }
  }

  /**
   * Writes into `out` the neighbours of `at` one hop closer to `to`, ascending
   * by agent; `outEdges` gets their directed edge ids. Returns how many (0 when
   * at = to or `to` is unreachable). Both buffers must hold `maxDegree(topo)`.
   */
  closerNeighbors(at: number, to: number, out: Int32Array, outEdges: Int32Array): number {
    if (at === to) return 0;
    switch (this.mode) {
      case Mode.Mesh:
        out[0] = to;
        outEdges[0] = at * this.n + to;
        return 1;
      case Mode.Ring:
        return this.ringScan(at, to, -1, out, outEdges);
      case Mode.Tree: {
        const hop = this.treeNextHop(at, to);
        out[0] = hop;
        outEdges[0] = edgeId(this.topo, at, hop);
        return 1;
      }
      case Mode.Labels:
        return this.labelCloser(at, to, out, outEdges);
      case Mode.Search:
        return this.searchCloser(at, to, out, outEdges);
      default:
        return this.generalScan(at, to, -1, out, outEdges);
    }
  }

  /**
   * The first (lowest-numbered) member of the closer set, or −1 when it is
   * empty; `edgeOut[0]` gets its directed edge id. What `shortest` routing
   * needs: the same hop as `closerNeighbors(…)[0]`, found by scanning `at`'s row
   * in ascending order and stopping at the first neighbour one hop nearer —
   * on scale-free graphs the low-numbered agents are the hubs the paths run
   * through, so a hub's scan usually stops within its first few neighbours.
   * `edgeOut` must hold `maxDegree(topo)` entries, as for `closerNeighbors`.
   *
   * `known`: d(at, to) when the caller has it (the `hopLeft` of the call
   * that chose `at`, or a distance the message was given: a reply starts
   * with the one its request found), else −1. Labels mode then skips
   * finding it, and leaves d(hop, to) in `hopLeft` where it came on the way
   * (−1 elsewhere), for the message's next hop. A message's later hops all
   * know it, so only its first looks it up.
   */
  firstCloser(at: number, to: number, edgeOut: Int32Array, known = -1): number {
    this.hopLeft = -1;
    if (at === to) return -1;
    const hubs = this.hubHops;
    if (hubs !== null) {
      if (hubs.has(at)) {
        const i = hubs.firstIndex(at, to);
        if (i >= 0) {
          const edge = this.offsets[at]! + i;
          edgeOut[0] = edge;
          const hop = this.nb[edge]!;
          // The hop's distance passed on: one less than the one told, else, for
          // a hop down to an agent without a table (it will ask the labels), from this one.
          if (known > 0) this.hopLeft = known - 1;
          else if (this.mode === Mode.Labels && !hubs.has(hop)) this.hopLeft = hubs.hubDistance(at, to) - 1;
          return hop;
        }
        // No hop (unreachable): the search below says so.
      } else if (hubs.surroundedByHubs(at)) {
        // d(at, to) = 1 + min over neighbours: the first neighbour at the minimum.
        let best = HUB_FAR | 0; // an int32 from the start: V8 then keeps the loop's minimum untagged
        let bestEdge = -1;
        const nb = this.nb;
        for (let k = this.offsets[at]!, e = this.offsets[at + 1]!; k < e; k++) {
          const d = hubs.hubDistance(nb[k]!, to);
          if (d < best) {
            best = d;
            bestEdge = k;
          }
        }
        // HUB_FAR also stands for "254 hops or more": only a finite minimum decides.
        if (bestEdge >= 0) {
          edgeOut[0] = bestEdge;
          this.hopLeft = best;
          return nb[bestEdge]!;
        }
        if (this.mode === Mode.Labels) return -1; // labels hold distances < 255 only
      }
    }
    switch (this.mode) {
      case Mode.Labels:
        return this.labelFirst(at, to, edgeOut, known);
      case Mode.Search:
        return this.pair!.search(at, to) > 0 && this.pair!.closer(at, 0, this.firstBuf, edgeOut, 1) > 0 ? this.firstBuf[0]! : -1;
      case Mode.General:
        return this.generalScan(at, to, -1, this.firstBuf, edgeOut, 1) > 0 ? this.firstBuf[0]! : -1;
      default: {
        const k = this.closerNeighbors(at, to, this.firstBuf, edgeOut);
        return k === 0 ? -1 : this.firstBuf[0]!;
      }
    }
  }

  /**
   * Neighbours of `at` at the same distance to `to` as `at` itself, ascending
   * by agent (detours around a failed hop). Trees and even rings have none
   * (adjacent agents there always differ by one hop); the full mesh returns
   * every other agent except `to`. Buffers as for `closerNeighbors`.
   */
  sideNeighbors(at: number, to: number, out: Int32Array, outEdges: Int32Array): number {
    if (at === to) return 0;
    switch (this.mode) {
      case Mode.Mesh: {
        let c = 0;
        const n = this.n;
        for (let w = 0; w < n; w++) {
          if (w === at || w === to) continue;
          out[c] = w;
          outEdges[c] = at * n + w;
          c += 1;
        }
        return c;
      }
      case Mode.Ring:
        return this.ringScan(at, to, 0, out, outEdges);
      case Mode.Tree:
        return 0;
      case Mode.Labels:
        return this.labelSide(at, to, out, outEdges);
      case Mode.Search:
        return this.searchSide(at, to, out, outEdges);
      default:
        return this.generalScan(at, to, 0, out, outEdges);
    }
  }

  /** Search mode: searches run so far (0 in the other modes). */
  get searches(): number {
    return this.pair?.searches ?? 0;
  }

  /**
   * True when routes are best planned whole (`route`): each query is a search
   * between the pair, which a whole route pays once instead of once a hop.
   */
  get plansRoutes(): boolean {
    return this.mode === Mode.Search;
  }

  /**
   * Writes into `edges[offset …]` the directed edges of up to `max` hops of
   * the route from `at` to `to`, each hop the member of its closer set that
   * `hash` picks: the first (lowest-numbered) when `hash` < 0, else member
   * `hash` mod its size — what hop-by-hop `shortest` and `ecmp` take. Returns
   * the hops written (0 when at = to or `to` is unreachable). With `back`
   * (a request whose reply will come back from `to`), search mode also walks
   * the route from `to` to `at` on the same search and keeps it for that call.
   */
  route(at: number, to: number, hash: number, edges: Int32Array, offset: number, max: number, back = false): number {
    if (this.mode !== Mode.Search) return this.routeByHops(at, to, hash, edges, offset, max);
    if (this.stash !== null) {
      const kept = this.stash.take(at, to, hash, edges, offset, max);
      if (kept >= 0) return kept;
    }
    const pair = this.pair!;
    const d = pair.search(at, to);
    if (d <= 0) return 0;
    const hops = d < max ? d : max;
    this.walk(at, hops, hash, edges, offset, false);
    if (back) {
      // The reply's route, from the far end back on the same search, kept for it.
      pair.markBackward();
      this.stash ??= new RouteStash(STASH_SLOTS, STASH_HOPS);
      const backHops = d < STASH_HOPS ? d : STASH_HOPS;
      this.walk(to, backHops, hash, this.stashBuf, 0, true);
      this.stash.put(to, at, hash, this.stashBuf, 0, backHops);
    }
    return hops;
  }

  /**
   * Writes `hops` edges of the last search's route from `from` (its near end,
   * or with `back` its far end) into `edges[offset …]`, each hop the member of
   * the closer set `hash` picks (the first when `hash` < 0).
   */
  private walk(from: number, hops: number, hash: number, edges: Int32Array, offset: number, back: boolean): void {
    const pair = this.pair!;
    const [out, outEdges] = this.routeScratch();
    let x = from;
    for (let i = 0; i < hops; i++) {
      const k = pair.closer(x, i, out, outEdges, hash < 0 ? 1 : Infinity, back);
      const pick = hash < 0 || k === 1 ? 0 : hash % k;
      edges[offset + i] = outEdges[pick]!;
      x = out[pick]!;
    }
  }

  private routeScratch(): [Int32Array, Int32Array] {
    if (this.routeBufs === null) {
      const d = Math.max(1, graph.maxDegree(this.topo));
      this.routeBufs = [new Int32Array(d), new Int32Array(d)];
    }
    return this.routeBufs;
  }

  /** `route` for the other strategies: their hop-by-hop answers, one after the other. */
  private routeByHops(at: number, to: number, hash: number, edges: Int32Array, offset: number, max: number): number {
    const [out, outEdges] = this.routeScratch();
    let x = at;
    let i = 0;
    while (i < max && x !== to) {
      let pick = 0;
      if (hash < 0) {
        out[0] = this.firstCloser(x, to, outEdges);
        if (out[0]! < 0) break;
      } else {
        const k = this.closerNeighbors(x, to, out, outEdges);
        if (k === 0) break;
        pick = hash % k;
      }
      edges[offset + i++] = outEdges[pick]!;
      x = out[pick]!;
    }
    return i;
  }

  /**
   * Search mode: the closer set from a kept shortest-path set towards `to`
   * holding `at` (path-sets.ts), else from a search, whose set is then kept.
   */
  private searchCloser(at: number, to: number, out: Int32Array, outEdges: Int32Array): number {
    const sets = (this.pathSets ??= new PathSets(this.pathSetOpts.slots, this.pathSetOpts.arena, this.pathSetOpts.cap));
    const kept = sets.closer(at, to, this.offsets, this.nb, out, outEdges);
    if (kept >= 0) return kept;
    const pair = this.pair!;
    const d = pair.search(at, to);
    if (d <= 0) return 0;
    this.keepPathSet(sets, at, to, d);
    return pair.closer(at, 0, out, outEdges, Infinity);
  }

  /**
   * Gathers the agents on shortest `at`–`to` paths from the last search, level
   * by level along its marks, and keeps them unless there are more than the
   * sets hold.
   */
  private keepPathSet(sets: PathSets, at: number, to: number, d: number): void {
    if (!sets.fits(this.n, d)) return;
    const pair = this.pair!;
    const mark = (this.setMark ??= new Int32Array(this.n));
    const keys = (this.setKeys ??= new Int32Array(sets.cap));
    const [out, outEdges] = this.routeScratch();
    // A fresh stamp a set; marks from 2^31 sets ago would wrap: start over then.
    if (++this.setStamp === 0x7fffffff) {
      mark.fill(0);
      this.setStamp = 1;
    }
    const stamp = this.setStamp;
    mark[at] = stamp;
    keys[0] = (at << 8) | d;
    let size = 1;
    // Members of level i (d(at, x) = i) are keys[from … upto − 1].
    let from = 0;
    for (let i = 0; i < d; i++) {
      const upto = size;
      for (let h = from; h < upto; h++) {
        const k = pair.closer(keys[h]! >> 8, i, out, outEdges, Infinity);
        for (let j = 0; j < k; j++) {
          const y = out[j]!;
          if (mark[y] === stamp) continue;
          if (size === sets.cap) return; // too many to keep
          mark[y] = stamp;
          keys[size++] = (y << 8) | (d - i - 1);
        }
      }
      from = upto;
    }
    sets.put(to, at, d, keys, size);
  }

  /** Search mode: the kept shortest-path sets' counts (sets kept, closer sets answered from them), or null before the first. */
  get pathSetCounts(): { kept: number; hits: number } | null {
    return this.pathSets === null ? null : { kept: this.pathSets.kept, hits: this.pathSets.hits };
  }

  /**
   * Search mode: neighbours of `at` as far from `to` as `at` itself (detours
   * only): d(at, to) from a kept set or a search, then all the neighbours at
   * once by two balls (side-search.ts).
   */
  private searchSide(at: number, to: number, out: Int32Array, outEdges: Int32Array): number {
    const kept = this.pathSets === null ? -1 : this.pathSets.distance(at, to);
    const here = kept >= 0 ? kept : this.pair!.search(at, to);
    if (here <= 0) return 0;
    return (this.sideSearch ??= new SideSearch(this.topo)).side(at, to, here, out, outEdges);
  }

  /** Search mode: two-ball passes run for side sets so far (0 before the first detour). */
  get sidePasses(): number {
    return this.sideSearch?.passes ?? 0;
  }

  // ---------------------------------------------------------------------------
  // Ring

  private ringDistance(a: number, b: number): number {
    const n = this.n;
    const d = b >= a ? b - a : b - a + n;
    return d < n - d ? d : n - d;
  }

  /** Neighbours w of `at` with dist(w, to) = dist(at, to) + delta. */
  private ringScan(at: number, to: number, delta: number, out: Int32Array, outEdges: Int32Array): number {
    const want = this.ringDistance(at, to) + delta;
    let c = 0;
    for (let k = this.offsets[at]!, e = this.offsets[at + 1]!; k < e; k++) {
      const w = this.nb[k]!;
      if (this.ringDistance(w, to) === want) {
        out[c] = w;
        outEdges[c] = k;
        c += 1;
      }
    }
    return c;
  }

  // ---------------------------------------------------------------------------
  // Tree

  private treeDistance(a: number, b: number): number {
    const parent = this.parent;
    const depth = this.depth;
    let d = 0;
    while (depth[a]! > depth[b]!) {
      a = parent[a]!;
      d += 1;
    }
    while (depth[b]! > depth[a]!) {
      b = parent[b]!;
      d += 1;
    }
    while (a !== b) {
      a = parent[a]!;
      b = parent[b]!;
      d += 2;
    }
    return d;
  }

  /** Next hop from `at` towards `to` (at ≠ to): down to a child when `to` lies below, else up. */
  private treeNextHop(at: number, to: number): number {
    const parent = this.parent;
    const depth = this.depth;
    const da = depth[at]!;
    if (depth[to]! > da) {
      let c = to;
      while (depth[c]! > da + 1) c = parent[c]!;
      if (parent[c] === at) return c;
    }
    return parent[at]!;
  }

  // ---------------------------------------------------------------------------
  // Hub labels

  private labelCloser(at: number, to: number, out: Int32Array, outEdges: Int32Array): number {
    const lab = this.labels!;
    lab.setTarget(to);
    const here = lab.toTarget(at);
    if (here === FAR) return 0;
    if (here === 1) {
      out[0] = to;
      outEdges[0] = edgeId(this.topo, at, to);
      return 1;
    }
    if (here === 2) return this.commonNeighbors(at, to, out, outEdges);
    if (here === 3 && this.twoHopCost(at, to) < (this.offsets[at + 1]! - this.offsets[at]!) * this.labelScanCost) {
      return this.twoHopNeighbors(at, to, out, outEdges);
    }
    const want = here - 1;
    let c = 0;
    const nb = this.nb;
    for (let k = this.offsets[at]!, e = this.offsets[at + 1]!; k < e; k++) {
      const w = nb[k]!;
      // dist(w, to) ≥ here − 1 for every neighbour: within `want` means exactly `want`.
      if (lab.within(w, want)) {
        out[c] = w;
        outEdges[c] = k;
        c += 1;
      }
    }
    return c;
  }

  private labelFirst(at: number, to: number, edgeOut: Int32Array, known: number): number {
    const lab = this.labels!;
    let here = known;
    if (here <= 0 || here === 1) {
      // Adjacent: the destination itself, without spreading its label.
      const direct = edgeId(this.topo, at, to);
      if (direct >= 0) {
        edgeOut[0] = direct;
        this.hopLeft = 0;
        return to;
      }
      lab.setTarget(to);
      here = lab.toTarget(at);
      if (here === FAR) return -1;
    }
    const off = this.offsets;
    const nb = this.nb;
    if (here === 2) {
      if (this.commonNeighbors(at, to, this.firstBuf, edgeOut, 1) === 0) return -1;
      this.hopLeft = 1;
      return this.firstBuf[0]!;
    }
    const want = here - 1;
    const hubs = this.hubHops;
    for (let k = off[at]!, e = off[at + 1]!; k < e; k++) {
      const w = nb[k]!;
      // Every neighbour is at least `want` away: within `want` means exactly `want`.
      // A hub's own table answers at once; other agents ask the labels.
      let closer: boolean;
      if (hubs !== null && hubs.has(w)) {
        closer = hubs.hubDistance(w, to) <= want;
      } else {
        lab.setTarget(to);
        closer = lab.within(w, want);
      }
      if (closer) {
        edgeOut[0] = k;
        this.hopLeft = want;
        return w;
      }
    }
    return -1;
  }

  private labelSide(at: number, to: number, out: Int32Array, outEdges: Int32Array): number {
    const lab = this.labels!;
    lab.setTarget(to);
    const here = lab.toTarget(at);
    if (here === FAR) return 0;
    let c = 0;
    const nb = this.nb;
    for (let k = this.offsets[at]!, e = this.offsets[at + 1]!; k < e; k++) {
      const w = nb[k]!;
      if (w !== to && lab.toTarget(w) === here) {
        out[c] = w;
        outEdges[c] = k;
        c += 1;
      }
    }
    return c;
  }

  /** Binary searches `twoHopNeighbors` would make. */
  private twoHopCost(at: number, to: number): number {
    const off = this.offsets;
    const nb = this.nb;
    const da = off[at + 1]! - off[at]!;
    let cost = 0;
    for (let k = off[to]!, e = off[to + 1]!; k < e; k++) {
      const x = nb[k]!;
      const dx = off[x + 1]! - off[x]!;
      cost += dx < da ? dx : da;
    }
    return cost;
  }

  /**
   * Neighbours of `at` two hops from `to`, when `at` is three hops away (so none
   * of them is nearer): those adjacent to a neighbour of `to`, ascending. Cheaper
   * than a label query per neighbour when `at` is a hub and `to` is not.
   */
  private twoHopNeighbors(at: number, to: number, out: Int32Array, outEdges: Int32Array): number {
    const off = this.offsets;
    const nb = this.nb;
    const mark = this.edgeMark;
    const stamp = ++this.stamp;
    const as = off[at]!;
    const ae = off[at + 1]!;
    let c = 0;
    for (let k = off[to]!, e = off[to + 1]!; k < e; k++) {
      const x = nb[k]!;
      if (off[x + 1]! - off[x]! < ae - as) {
        for (let j = off[x]!, je = off[x + 1]!; j < je; j++) {
          const edge = edgeId(this.topo, at, nb[j]!);
          if (edge >= 0 && mark[edge] !== stamp) {
            mark[edge] = stamp;
            outEdges[c++] = edge;
          }
        }
      } else {
        for (let edge = as; edge < ae; edge++) {
          if (mark[edge] !== stamp && edgeId(this.topo, x, nb[edge]!) >= 0) {
            mark[edge] = stamp;
            outEdges[c++] = edge;
          }
        }
      }
    }
    // Edge ids of one row ascend with the neighbour: sorting them sorts the agents.
    for (let i = 1; i < c; i++) {
      const v = outEdges[i]!;
      let j = i - 1;
      while (j >= 0 && outEdges[j]! > v) {
        outEdges[j + 1] = outEdges[j]!;
        j -= 1;
      }
      outEdges[j + 1] = v;
    }
    for (let i = 0; i < c; i++) out[i] = nb[outEdges[i]!]!;
    return c;
  }

  /**
   * Neighbours of `at` adjacent to `to` (the closer set when they are two hops
   * apart), ascending, the first `limit` of them: the shorter row is walked,
   * the longer binary-searched.
   */
  private commonNeighbors(at: number, to: number, out: Int32Array, outEdges: Int32Array, limit = Infinity): number {
    const off = this.offsets;
    const nb = this.nb;
    let c = 0;
    if (off[at + 1]! - off[at]! <= off[to + 1]! - off[to]!) {
      for (let k = off[at]!, e = off[at + 1]!; k < e; k++) {
        const w = nb[k]!;
        if (edgeId(this.topo, to, w) >= 0) {
          out[c] = w;
          outEdges[c] = k;
          if (++c === limit) break;
        }
      }
    } else {
      for (let k = off[to]!, e = off[to + 1]!; k < e; k++) {
        const w = nb[k]!;
        const edge = edgeId(this.topo, at, w);
        if (edge >= 0) {
          out[c] = w;
          outEdges[c] = edge;
          if (++c === limit) break;
        }
      }
    }
    return c;
  }

  // ---------------------------------------------------------------------------
  // General graphs

  /** The first `limit` neighbours w of `at` with dist(w, to) = dist(at, to) + delta, from the cached array. */
  private generalScan(at: number, to: number, delta: number, out: Int32Array, outEdges: Int32Array, limit = Infinity): number {
    const slot = this.slotOf[to]!;
    const tree = slot >= 0 ? this.touch(slot) : this.load(to);
    const here = tree[at]!;
    if (here === this.unreachable) return 0;
    const want = here + delta;
    let c = 0;
    const nb = this.nb;
    for (let k = this.offsets[at]!, e = this.offsets[at + 1]!; k < e; k++) {
      const w = nb[k]!;
      if (tree[w] === want) {
        out[c] = w;
        outEdges[c] = k;
        if (++c === limit) break;
      }
    }
    return c;
  }

  /** Marks a slot most recently used and returns its array. */
  private touch(slot: number): DistArray {
    if (slot !== this.head) {
      this.unlinkSlot(slot);
      this.pushFront(slot);
    }
    return this.trees[slot]!;
  }

  /** BFS from `dest` into a free or evicted slot. */
  private load(dest: number): DistArray {
    let slot: number;
    let tree: DistArray;
    if (this.used < this.capacity) {
      slot = this.used++;
      tree = this.newArray();
      this.trees.push(tree);
    } else {
      slot = this.tail;
      this.unlinkSlot(slot);
      this.slotOf[this.destOf[slot]!] = -1;
      tree = this.trees[slot]!;
    }
    this.misses += 1;
    tree.fill(this.unreachable);
    tree[dest] = 0;
    this.bfs(dest, tree, this.unreachable, null);
    this.destOf[slot] = dest;
    this.slotOf[dest] = slot;
    this.pushFront(slot);
    return tree;
  }

  private newArray(): DistArray {
    if (this.bytesPerEntry === 1) return new Uint8Array(this.n);
    if (this.bytesPerEntry === 2) return new Uint16Array(this.n);
    return new Int32Array(this.n);
  }

  private unlinkSlot(slot: number): void {
    const p = this.prev[slot]!;
    const q = this.next[slot]!;
    if (p >= 0) this.next[p] = q;
    else this.head = q;
    if (q >= 0) this.prev[q] = p;
    else this.tail = p;
  }

  private pushFront(slot: number): void {
    this.prev[slot] = -1;
    this.next[slot] = this.head;
    if (this.head >= 0) this.prev[this.head] = slot;
    this.head = slot;
    if (this.tail < 0) this.tail = slot;
  }

  /**
   * BFS on the CSR from `src`, whose entry in `dist` is already 0; entries equal
   * to `unset` are unvisited. Fills `parent` when given. Returns nodes reached.
   */
  private bfs(src: number, dist: DistArray, unset: number, parent: Int32Array | null): number {
    const q = this.queue;
    const off = this.offsets;
    const nb = this.nb;
    let head = 0;
    let tail = 0;
    q[tail++] = src;
    while (head < tail) {
      const u = q[head++]!;
      const du = dist[u]! + 1;
      for (let k = off[u]!, e = off[u + 1]!; k < e; k++) {
        const w = nb[k]!;
        if (dist[w] === unset) {
          dist[w] = du;
          if (parent !== null) parent[w] = u;
          q[tail++] = w;
        }
      }
    }
    return tail;
  }

  /**
   * Upper bound on the diameter: in each component, 2 × the eccentricity of its
   * smallest agent (every pair is within ecc of that agent, so within 2·ecc of
   * each other). One BFS per component, O(n + E) in all.
   */
  private diameterBound(): number {
    const n = this.n;
    const dist = new Int32Array(n).fill(-1);
    let bound = 0;
    for (let s = 0; s < n; s++) {
      if (dist[s] !== -1) continue;
      dist[s] = 0;
      const reached = this.bfs(s, dist, -1, null);
      const last = this.queue[reached - 1]!; // BFS order: the last one is the farthest
      const ecc = dist[last]!;
      if (2 * ecc > bound) bound = 2 * ecc;
    }
    return bound;
  }
}
