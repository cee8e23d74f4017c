import fc from 'fast-check';
import { buildTopology } from '../../sim/topology/index.js';
import type { Topology } from '../../sim/topology/index.js';
import type { TopologyKind, TopologySpec } from '../../sim/scenario/types.js';

/** A topology spec of `kind` with the routing tests' defaults, `over` on top. */
export function spec(kind: TopologyKind, over: Partial<TopologySpec> = {}): TopologySpec {
  return { kind, fanout: 3, degree: 4, rewire: 0.2, m: 2, edges: [], ...over };
}

/** The explicit graph of agents a#0 … a#(n − 1) with edges `pairs` (self-loops dropped). */
export function explicit(n: number, pairs: ReadonlyArray<readonly [number, number]>): Topology {
  const edges = pairs.filter(([a, b]) => a !== b).map(([a, b]): [string, string] => [`a#${a}`, `a#${b}`]);
  return buildTopology(spec('explicit', { edges }), names(n), 1);
}

/** Agent names a#0 … a#(n − 1), for building test graphs. */
export function names(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `a#${i}`);
}

export function neighborsOf(t: Topology, u: number): number[] {
  if (t.implicit) return Array.from({ length: t.n }, (_, i) => i).filter((w) => w !== u);
  return Array.from(t.neighbors.subarray(t.offsets[u]!, t.offsets[u + 1]!));
}

/** Plain BFS reference: hop counts from `src`, −1 when unreachable. */
export function bfs(t: Topology, src: number): Int32Array {
  const d = new Int32Array(t.n).fill(-1);
  d[src] = 0;
  const q = [src];
  for (let h = 0; h < q.length; h++) {
    const u = q[h]!;
    for (const w of neighborsOf(t, u)) {
      if (d[w] === -1) {
        d[w] = d[u]! + 1;
        q.push(w);
      }
    }
  }
  return d;
}

type Arbitraries<T extends unknown[]> = { [K in keyof T]: fc.Arbitrary<T[K]> };

/**
 * Random explicit graphs, from sparse (disconnected, tree-like) to dense:
 * 2 … `maxN` agents, up to `perAgent` × n edges drawn among them, and what
 * `more(n)` draws beside (routes, limits), in one flat tuple.
 */
export function graphs<T extends unknown[] = []>(
  maxN: number,
  perAgent: number,
  more: (n: number) => Arbitraries<T> = () => [] as unknown as Arbitraries<T>,
): fc.Arbitrary<[number, Array<[number, number]>, ...T]> {
  return fc
    .integer({ min: 2, max: maxN })
    .chain((n) => fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: perAgent * n }), ...more(n))) as fc.Arbitrary<
    [number, Array<[number, number]>, ...T]
  >;
}
