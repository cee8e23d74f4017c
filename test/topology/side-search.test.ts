import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { buildTopology, edgeId, maxDegree, PathFinder } from '../../sim/topology/index.js';
import { bfs, explicit, names, neighborsOf, spec } from './reference.js';

/** Checks the side set of `at` towards `to` against a plain BFS. */
function checkSide(t: ReturnType<typeof explicit>, pf: PathFinder, at: number, to: number, out: Int32Array, outE: Int32Array): void {
  const ref = bfs(t, to);
  const here = ref[at]!;
  const want = at === to || here < 0 ? [] : neighborsOf(t, at).filter((w) => ref[w] === here);
  const s = pf.sideNeighbors(at, to, out, outE);
  assert.equal(Array.from(out.subarray(0, s)), want, `side ${at} → ${to}`);
  for (let i = 0; i < s; i++) assert.is(outE[i], edgeId(t, at, out[i]!), `side edge ${at} → ${to}`);
}

test('side sets of agents with more neighbours than a pass carries agree with a plain BFS', () => {
  // A hub joined to 32 … n − 1 others (two or more passes of 31 bits) beside
  // random edges: side sets at the hub, at its neighbours and elsewhere, at
  // odd and even distances (the balls split them unevenly).
  const graph = fc.integer({ min: 40, max: 90 }).chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.integer({ min: 32, max: n - 1 }),
      fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 2 * n }),
      fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { minLength: 1, maxLength: 12 }),
    ),
  );
  fc.assert(
    fc.property(graph, ([n, spokes, extra, queries]) => {
      const pairs: Array<[number, number]> = [...extra];
      for (let i = 1; i <= spokes; i++) pairs.push([0, i]);
      const t = explicit(n, pairs);
      const pf = new PathFinder(t, { labels: false, search: true });
      if (pf.strategy !== 'search') return;
      const out = new Int32Array(Math.max(1, maxDegree(t)));
      const outE = new Int32Array(out.length);
      for (const [a, z] of queries) {
        checkSide(t, pf, 0, z, out, outE);
        checkSide(t, pf, a, z, out, outE);
        // With d(a, z) from a kept set (the closer set's question keeps one).
        pf.closerNeighbors(a, z, out, outE);
        checkSide(t, pf, a, z, out, outE);
      }
    }),
    { numRuns: 150, seed: 43 },
  );
});

test('a detour asks at most one search and one pass a 31 neighbours, not a search a neighbour', () => {
  const t = buildTopology(spec('small-world', { degree: 6, rewire: 0.1 }), names(4000), 12);
  const pf = new PathFinder(t, { labels: false, search: true });
  const out = new Int32Array(maxDegree(t));
  const outE = new Int32Array(out.length);
  let sides = 0;
  for (let r = 0; r < 60; r++) {
    const a = (r * 7919) % t.n;
    const z = (r * 104_729 + 3) % t.n;
    const searches = pf.searches;
    const passes = pf.sidePasses;
    checkSide(t, pf, a, z, out, outE);
    sides += pf.sideNeighbors(a, z, out, outE);
    assert.is(pf.searches - searches, a === z ? 0 : 1, 'd(a, z): one search, which the second call finds again');
    assert.is(pf.sidePasses - passes, a === z ? 0 : 2 * Math.ceil((t.offsets[a + 1]! - t.offsets[a]!) / 31));
  }
  assert.ok(sides > 0, 'some agents have side neighbours');
});

test.run();
