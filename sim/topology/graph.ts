/**
 * The compiled topology: a compact CSR (compressed sparse row) adjacency on
 * typed arrays, which is what the hot path reads. Generators write their
 * edges into an ngraph.graph or, for large graphs, an `EdgeList` (see
 * generators.ts), and `compileCsr` lays them out here.
 *
 * Memory: (n + 1) + 2E int32s, i.e. about 4·(n + 2E) bytes. A 10,000-agent
 * scale-free mesh with m = 3 (≈ 30,000 edges) takes ≈ 280 KB.
 */
import type { TopologyKind } from '../scenario/types.js';

/** The undirected edges a generator produced, each visited once (either order). */
export interface EdgeSource {
  forEachEdge(fn: (a: number, b: number) => void): void;
}

export interface Topology {
  kind: TopologyKind;
  /** Number of agents. */
  n: number;
  /** True for full-mesh: edges are implicit (no CSR), every pair is adjacent. */
  implicit: boolean;
  /** CSR row starts, length n + 1 (empty when implicit). */
  offsets: Int32Array;
  /** Both directions of each undirected edge, sorted ascending within each row. */
  neighbors: Int32Array;
  /** Number of directed edge ids: neighbors.length, or n·n when implicit. */
  edgeIds: number;
  /**
   * Edges the generator added to join disconnected components (small-world and
   * random only; 0 for every other kind). Counted in `neighbors` already.
   */
  bridges: number;
}

const EMPTY = new Int32Array(0);

/** The implicit full mesh: O(1) memory whatever n, so n² edges are never materialised. */
export function fullMesh(n: number): Topology {
  return { kind: 'full-mesh', n, implicit: true, offsets: EMPTY, neighbors: EMPTY, edgeIds: n * n, bridges: 0 };
}

/**
 * Lays undirected edges (nodes 0 … n−1, no self-loops, one edge per pair) out
 * as CSR with each row sorted: the result does not depend on the edges' order.
 * O(n + E log d).
 */
export function compileCsr(kind: TopologyKind, n: number, g: EdgeSource, bridges: number): Topology {
  const offsets = new Int32Array(n + 1);
  g.forEachEdge((a, b) => {
    offsets[a + 1]! += 1;
    offsets[b + 1]! += 1;
  });
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const neighbors = new Int32Array(offsets[n]!);
  const fill = offsets.slice(0, n);
  g.forEachEdge((a, b) => {
    neighbors[fill[a]!++] = b;
    neighbors[fill[b]!++] = a;
  });
  for (let i = 0; i < n; i++) {
    const s = offsets[i]!;
    const e = offsets[i + 1]!;
    if (e - s > 1) neighbors.subarray(s, e).sort();
  }
  return { kind, n, implicit: false, offsets, neighbors, edgeIds: neighbors.length, bridges };
}

/**
 * Directed edge id of at → to, or −1 when they are not adjacent (or out of
 * range). CSR: the index into `neighbors`, found by binary search in the sorted
 * row, O(log degree). Implicit full mesh: at·n + to.
 */
export function edgeId(topo: Topology, at: number, to: number): number {
  const n = topo.n;
  if (at < 0 || at >= n || to < 0 || to >= n || at === to) return -1;
  if (topo.implicit) return at * n + to;
  return findInRow(topo.neighbors, topo.offsets[at]!, topo.offsets[at + 1]!, to);
}

/** Index of `value` in the ascending run sorted[start … end − 1] (binary search), or −1. */
export function findInRow(sorted: Int32Array, start: number, end: number, value: number): number {
  let lo = start;
  let hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Number of neighbours of `at`. */
export function degree(topo: Topology, at: number): number {
  if (topo.implicit) return topo.n > 0 ? topo.n - 1 : 0;
  return topo.offsets[at + 1]! - topo.offsets[at]!;
}

/** Largest degree in the topology: the size callers give to neighbour buffers. O(n). */
export function maxDegree(topo: Topology): number {
  if (topo.implicit) return topo.n > 0 ? topo.n - 1 : 0;
  let best = 0;
  const off = topo.offsets;
  for (let i = 0; i < topo.n; i++) {
    const d = off[i + 1]! - off[i]!;
    if (d > best) best = d;
  }
  return best;
}

/** Number of undirected edges (n(n−1)/2 for the implicit full mesh). */
export function edgeCount(topo: Topology): number {
  return topo.implicit ? (topo.n * (topo.n - 1)) / 2 : topo.neighbors.length / 2;
}
