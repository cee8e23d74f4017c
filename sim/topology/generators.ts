/**
 * Topology generators (SPEC §4). Agents are numbered in role-declaration order
 * and every generator connects them in that order. Each one builds an
 * undirected ngraph.graph on node ids 0 … n−1 (one link per pair, stored with
 * the smaller id first), then `compileCsr` lays it out for the hot path.
 *
 * Randomness comes only from `new Stream(seed, TOPOLOGY_PURPOSE)`, so the same
 * seed gives the same graph, and building a topology never shifts the numbers
 * of any other stream.
 *
 * Connectivity: small-world and random graphs can come out disconnected. Every
 * agent must be able to reach every other, so after generation the components
 * are joined deterministically: the largest component (ties: the one holding
 * the smallest agent id) is the main one, and each other component, in order
 * of its smallest agent id, gets one edge from that smallest agent to a member
 * of the main component drawn uniformly from the topology stream. This adds
 * exactly (components − 1) edges, reported as `Topology.bridges`; spreading
 * the attachment points keeps the repair from creating an artificial hub.
 * Explicit topologies are taken as written, and may be disconnected.
 *
 * Memory: ngraph keeps an object per agent and per link (hundreds of bytes
 * each), so from `TYPED_BUILD_AGENTS` agents on, the kinds that never add an
 * edge twice or remove one (star, ring, hierarchical, scale-free, random)
 * write their edges into two Int32 arrays instead (`EdgeList`): same draws, same
 * edges, same CSR. Small-world (which rewires) and explicit (which may repeat
 * an edge) always use ngraph.
 */
import createGraph from 'ngraph.graph';
import type { Graph } from 'ngraph.graph';
import { DisjointSets } from '../engine/disjoint-sets.js';
import { Purpose, Stream } from '../engine/rng.js';
import type { TopologySpec } from '../scenario/types.js';
import { compileCsr, fullMesh, type EdgeSource, type Topology } from './graph.js';
import { EdgeList } from './edge-list.js';

/** From this many agents the append-only kinds build on typed arrays (see the file comment). */
export const TYPED_BUILD_AGENTS = 20000;

/**
 * Purpose id of the topology stream: `Purpose.routing + 100` (= 104), outside
 * the engine's table so that it collides with no other stream.
 */
export const TOPOLOGY_PURPOSE = Purpose.routing + 100;

type NG = Graph<undefined, undefined>;

/**
 * Where a generator writes its edges: an ngraph, or (append-only kinds, large
 * n) an `EdgeList`, whose `add` trusts the caller never to repeat an edge.
 */
type G = NG | EdgeList;

/** An empty graph holding nodes 0 … n−1 (so isolated agents still exist). */
function emptyGraph(n: number): NG {
  const g = createGraph<undefined, undefined>({ multigraph: false });
  for (let i = 0; i < n; i++) g.addNode(i);
  return g;
}

/** The sink an append-only generator writes into: typed from `TYPED_BUILD_AGENTS` agents. */
function sink(n: number, typed: boolean): G {
  return typed ? new EdgeList() : emptyGraph(n);
}

/** Adds the undirected edge {a, b} once; false for a self-loop or a duplicate. */
function link(g: G, a: number, b: number): boolean {
  if (a === b) return false;
  if (g instanceof EdgeList) {
    g.add(a, b);
    return true;
  }
  const lo = a < b ? a : b;
  const hi = a < b ? b : a;
  if (g.getLink(lo, hi) !== undefined) return false;
  g.addLink(lo, hi);
  return true;
}

function hasEdge(g: NG, a: number, b: number): boolean {
  return a < b ? g.getLink(a, b) !== undefined : g.getLink(b, a) !== undefined;
}

function unlink(g: NG, a: number, b: number): void {
  if (a < b) g.removeLink(a, b);
  else g.removeLink(b, a);
}

function requireInt(value: number, min: number, what: string): number {
  if (!Number.isFinite(value) || Math.floor(value) !== value || value < min) {
    throw new Error(`topology: ${what} must be an integer ≥ ${min}, got ${value}`);
  }
  return value;
}

// ---------------------------------------------------------------------------
// Deterministic shapes

function star(n: number, typed: boolean): G {
  const g = sink(n, typed);
  for (let i = 1; i < n; i++) link(g, 0, i);
  return g;
}

/** i ↔ i+1 mod n: n edges for n ≥ 3, one for n = 2, none for n = 1. */
function ring(n: number, typed: boolean): G {
  const g = sink(n, typed);
  for (let i = 0; i + 1 < n; i++) link(g, i, i + 1);
  if (n >= 3) link(g, n - 1, 0);
  return g;
}

/** A tree where node i's parent is ⌊(i−1)/fanout⌋: the first role sits at the top. */
function hierarchical(n: number, fanout: number, typed: boolean): G {
  requireInt(fanout, 1, 'hierarchical fanout');
  const g = sink(n, typed);
  for (let i = 1; i < n; i++) link(g, Math.floor((i - 1) / fanout), i);
  return g;
}

// ---------------------------------------------------------------------------
// Random models

/**
 * Watts–Strogatz small world (Watts & Strogatz, Nature 393, 1998): a ring
 * lattice where each node links to its k = degree/2 nearest neighbours on each
 * side, then each lattice edge (u, u+j) is rewired with probability `rewire` to
 * (u, w), w uniform, avoiding self-loops and duplicates. Rewiring visits j = 1
 * … k in the outer loop and u = 0 … n−1 in the inner one (the order networkx
 * uses), so the edge count n·k is kept. k is capped at ⌊(n−1)/2⌋ so that the
 * lattice edges stay distinct; an odd `degree` is rounded down.
 */
function smallWorld(n: number, degree: number, rewire: number, rng: Stream): NG {
  if (!Number.isFinite(degree) || degree < 2) {
    throw new Error(`topology: small-world degree must be ≥ 2, got ${degree}`);
  }
  if (!(rewire >= 0 && rewire <= 1)) {
    throw new Error(`topology: small-world rewire must be in [0, 1], got ${rewire}`);
  }
  const k = Math.min(Math.floor(degree / 2), Math.floor((n - 1) / 2));
  const g = emptyGraph(n);
  for (let j = 1; j <= k; j++) for (let u = 0; u < n; u++) link(g, u, (u + j) % n);
  if (rewire > 0) {
    // Current degree of each node, so a saturated node is skipped instead of
    // looping forever looking for a free target.
    const deg = new Int32Array(n).fill(2 * k);
    for (let j = 1; j <= k; j++) {
      for (let u = 0; u < n; u++) {
        if (rng.next() >= rewire) continue;
        const v = (u + j) % n;
        if (!hasEdge(g, u, v) || deg[u]! >= n - 1) continue;
        let w = rng.int(n);
        while (w === u || hasEdge(g, u, w)) w = rng.int(n);
        unlink(g, u, v);
        link(g, u, w);
        deg[v]! -= 1;
        deg[w]! += 1;
      }
    }
  }
  return g;
}

/**
 * Barabási–Albert preferential attachment (Barabási & Albert, Science 286,
 * 1999). Starts from a complete core on m+1 nodes; each later node links to m
 * distinct existing nodes, each drawn with probability proportional to its
 * degree by picking a uniform entry of the repeated-endpoints array (every
 * edge contributes both of its endpoints; Batagelj & Brandes 2005).
 * Edges: m(m+1)/2 + m(n−m−1) for n > m+1; the complete graph otherwise.
 */
function scaleFree(n: number, m: number, rng: Stream, typed: boolean): G {
  requireInt(m, 1, 'scale-free m');
  const g = sink(n, typed);
  const core = Math.min(n, m + 1);
  const totalEdges = (core * (core - 1)) / 2 + Math.max(0, n - core) * m;
  const ends = new Int32Array(2 * totalEdges);
  let len = 0;
  for (let a = 0; a < core; a++) {
    for (let b = a + 1; b < core; b++) {
      link(g, a, b);
      ends[len++] = a;
      ends[len++] = b;
    }
  }
  // Stamp of the node that last picked each target, to keep the m targets distinct.
  const picked = new Int32Array(n).fill(-1);
  const targets = new Int32Array(m);
  for (let v = core; v < n; v++) {
    const before = len;
    for (let t = 0; t < m; t++) {
      let w = ends[rng.int(before)]!;
      while (picked[w] === v) w = ends[rng.int(before)]!;
      picked[w] = v;
      targets[t] = w;
    }
    for (let t = 0; t < m; t++) {
      const w = targets[t]!;
      link(g, v, w);
      ends[len++] = v;
      ends[len++] = w;
    }
  }
  return g;
}

/**
 * Erdős–Rényi G(n, p) with p = degree/(n−1), so that the mean degree is
 * `degree`. Uses geometric skips over the pairs (Batagelj & Brandes, "Efficient
 * generation of large random networks", Phys. Rev. E 71, 2005, alg. 1): O(n + E)
 * time and no per-pair memory, instead of n(n−1)/2 coin flips.
 */
function erdosRenyi(n: number, degree: number, rng: Stream, typed: boolean): G {
  if (!Number.isFinite(degree) || degree < 0) {
    throw new Error(`topology: random degree must be ≥ 0, got ${degree}`);
  }
  const g = sink(n, typed);
  if (n < 2) return g;
  const p = Math.min(1, degree / (n - 1));
  if (p <= 0) return g;
  if (p >= 1) {
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) link(g, a, b);
    return g;
  }
  const logQ = Math.log(1 - p);
  // Pairs (v, w) with w < v, enumerated row by row; skip a geometric number of them.
  let v = 1;
  let w = -1;
  while (v < n) {
    const r = rng.next(); // [0, 1), so 1 − r is in (0, 1] and its log is finite
    w += 1 + Math.floor(Math.log(1 - r) / logQ);
    while (w >= v && v < n) {
      w -= v;
      v += 1;
    }
    if (v < n) link(g, v, w);
  }
  return g;
}

/** Adds one edge per extra component (see the file comment); returns how many. */
function connectComponents(g: G, n: number, rng: Stream): number {
  if (n < 2) return 0;
  const sets = new DisjointSets(n);
  edgesOf(g).forEachEdge((from, to) => sets.union(from, to));
  // Size of each component, keyed by its root; the smallest member of a component
  // is the first index at which its root is seen.
  const size = new Int32Array(n);
  const root = new Int32Array(n);
  let comps = 0;
  for (let i = 0; i < n; i++) {
    const r = sets.find(i);
    root[i] = r;
    if (size[r] === 0) comps += 1;
    size[r]! += 1;
  }
  if (comps === 1) return 0;
  let mainRoot = -1;
  let mainSize = 0;
  for (let i = 0; i < n; i++) {
    const r = root[i]!;
    if (size[r]! > mainSize) {
      mainSize = size[r]!;
      mainRoot = r;
    }
  }
  const members = new Int32Array(mainSize);
  let k = 0;
  for (let i = 0; i < n; i++) if (root[i] === mainRoot) members[k++] = i;
  // Visit components by their smallest member (the first time a root is seen).
  const seen = new Uint8Array(n);
  seen[mainRoot] = 1;
  let added = 0;
  for (let i = 0; i < n; i++) {
    const r = root[i]!;
    if (seen[r]) continue;
    seen[r] = 1;
    link(g, i, members[rng.int(mainSize)]!);
    added += 1;
  }
  return added;
}

// ---------------------------------------------------------------------------

/** Agent index by name (`role#i`); throws a clear Error for an unknown one. */
function explicit(edges: Array<[string, string]>, agentNames: string[]): NG {
  const index = new Map<string, number>();
  agentNames.forEach((name, i) => index.set(name, i));
  const g = emptyGraph(agentNames.length);
  edges.forEach(([a, b], i) => {
    const ia = index.get(a);
    const ib = index.get(b);
    if (ia === undefined || ib === undefined) {
      const bad = ia === undefined ? a : b;
      throw new Error(
        `topology.edges[${i}]: unknown agent "${bad}" (agents are named role#index, e.g. "${agentNames[0] ?? 'worker#0'}")`,
      );
    }
    if (ia === ib) throw new Error(`topology.edges[${i}]: self-loop on "${a}"`);
    link(g, ia, ib); // a repeated edge is kept once
  });
  return g;
}

/** Either sink as the edge source `compileCsr` reads. */
function edgesOf(g: G): EdgeSource {
  if (g instanceof EdgeList) return g;
  return { forEachEdge: (fn) => g.forEachLink((l) => fn(l.fromId as number, l.toId as number)) };
}

/**
 * Builds the topology for `agentNames.length` agents. Same (spec, names, seed)
 * ⇒ identical graph. `typed` forces the typed-array build on or off (by
 * default on from `TYPED_BUILD_AGENTS` agents); it never changes the graph.
 */
export function buildTopology(spec: TopologySpec, agentNames: string[], seed: number, typed?: boolean): Topology {
  const n = agentNames.length;
  const rng = new Stream(seed, TOPOLOGY_PURPOSE);
  const t = typed ?? n >= TYPED_BUILD_AGENTS;
  switch (spec.kind) {
    case 'full-mesh':
      return fullMesh(n);
    case 'star':
      return compileCsr('star', n, edgesOf(star(n, t)), 0);
    case 'ring':
      return compileCsr('ring', n, edgesOf(ring(n, t)), 0);
    case 'hierarchical':
      return compileCsr('hierarchical', n, edgesOf(hierarchical(n, spec.fanout, t)), 0);
    case 'small-world': {
      const g = smallWorld(n, spec.degree, spec.rewire, rng);
      const bridges = connectComponents(g, n, rng);
      return compileCsr('small-world', n, edgesOf(g), bridges);
    }
    case 'scale-free':
      return compileCsr('scale-free', n, edgesOf(scaleFree(n, spec.m, rng, t)), 0);
    case 'random': {
      const g = erdosRenyi(n, spec.degree, rng, t);
      const bridges = connectComponents(g, n, rng);
      return compileCsr('random', n, edgesOf(g), bridges);
    }
    case 'explicit':
      return compileCsr('explicit', n, edgesOf(explicit(spec.edges, agentNames)), 0);
    default: {
      const never: never = spec.kind;
      throw new Error(`topology: unknown kind ${String(never)}`);
    }
  }
}
