import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildTopology, degree, edgeCount, edgeId, maxDegree } from '../../sim/topology/index.js';
import type { Topology } from '../../sim/topology/index.js';
import type { TopologyKind, TopologySpec } from '../../sim/scenario/types.js';

function spec(kind: TopologyKind, over: Partial<TopologySpec> = {}): TopologySpec {
  return { kind, fanout: 4, degree: 6, rewire: 0.1, m: 3, edges: [], ...over };
}

function names(n: number, role = 'worker'): string[] {
  return Array.from({ length: n }, (_, i) => `${role}#${i}`);
}

/** Agents reached by a plain BFS from agent 0. */
function reached(t: Topology): number {
  if (t.n === 0) return 0;
  const seen = new Uint8Array(t.n);
  const q = [0];
  seen[0] = 1;
  for (let h = 0; h < q.length; h++) {
    const u = q[h]!;
    for (let k = t.offsets[u]!; k < t.offsets[u + 1]!; k++) {
      const w = t.neighbors[k]!;
      if (!seen[w]) {
        seen[w] = 1;
        q.push(w);
      }
    }
  }
  return q.length;
}

/** CSR invariants: rows strictly ascending, no self-loops, symmetric, ids = positions. */
function checkCsr(t: Topology): void {
  assert.is(t.implicit, false);
  assert.is(t.offsets.length, t.n + 1);
  assert.is(t.offsets[0], 0);
  assert.is(t.offsets[t.n], t.neighbors.length);
  assert.is(t.edgeIds, t.neighbors.length);
  for (let u = 0; u < t.n; u++) {
    for (let k = t.offsets[u]!; k < t.offsets[u + 1]!; k++) {
      const w = t.neighbors[k]!;
      assert.ok(w >= 0 && w < t.n && w !== u, `bad neighbour ${w} of ${u}`);
      if (k > t.offsets[u]!) assert.ok(t.neighbors[k - 1]! < w, `row ${u} not strictly ascending`);
      assert.is(edgeId(t, u, w), k);
      assert.ok(edgeId(t, w, u) >= 0, `edge ${u}-${w} not symmetric`);
    }
  }
}

function sameGraph(a: Topology, b: Topology): boolean {
  if (a.neighbors.length !== b.neighbors.length) return false;
  for (let i = 0; i < a.offsets.length; i++) if (a.offsets[i] !== b.offsets[i]) return false;
  for (let i = 0; i < a.neighbors.length; i++) if (a.neighbors[i] !== b.neighbors[i]) return false;
  return true;
}

test('full-mesh is implicit: n(n−1)/2 edges without materialising them', () => {
  const t = buildTopology(spec('full-mesh'), names(10000), 1);
  assert.is(t.n, 10000);
  assert.is(t.implicit, true);
  assert.is(t.neighbors.length, 0);
  assert.is(t.offsets.length, 0);
  assert.is(t.edgeIds, 10000 * 10000);
  assert.is(edgeCount(t), (10000 * 9999) / 2);
  assert.is(degree(t, 17), 9999);
  assert.is(maxDegree(t), 9999);
  assert.is(edgeId(t, 3, 7), 3 * 10000 + 7);
  assert.is(edgeId(t, 7, 7), -1);
  assert.is(edgeId(t, 0, 10000), -1);
});

test('star: agent 0 at the centre, n−1 edges', () => {
  const t = buildTopology(spec('star'), names(50), 1);
  checkCsr(t);
  assert.is(edgeCount(t), 49);
  assert.is(degree(t, 0), 49);
  for (let i = 1; i < 50; i++) {
    assert.is(degree(t, i), 1);
    assert.ok(edgeId(t, i, 0) >= 0);
  }
  assert.is(reached(t), 50);
  assert.is(edgeCount(buildTopology(spec('star'), names(1), 1)), 0);
});

test('ring: i ↔ i+1 mod n; n = 2 has one edge, n = 1 none', () => {
  const t = buildTopology(spec('ring'), names(10), 1);
  checkCsr(t);
  assert.is(edgeCount(t), 10);
  for (let i = 0; i < 10; i++) {
    assert.is(degree(t, i), 2);
    assert.ok(edgeId(t, i, (i + 1) % 10) >= 0);
  }
  assert.is(reached(t), 10);
  const two = buildTopology(spec('ring'), names(2), 1);
  checkCsr(two);
  assert.is(edgeCount(two), 1);
  assert.is(edgeCount(buildTopology(spec('ring'), names(1), 1)), 0);
  assert.is(buildTopology(spec('ring'), [], 1).n, 0);
});

test('hierarchical: parent of i is ⌊(i−1)/fanout⌋, n−1 edges', () => {
  for (const fanout of [1, 2, 3, 8]) {
    const t = buildTopology(spec('hierarchical', { fanout }), names(40), 1);
    checkCsr(t);
    assert.is(edgeCount(t), 39);
    for (let i = 1; i < 40; i++) assert.ok(edgeId(t, i, Math.floor((i - 1) / fanout)) >= 0);
    assert.is(reached(t), 40);
    assert.ok(maxDegree(t) <= fanout + 1);
  }
  assert.throws(() => buildTopology(spec('hierarchical', { fanout: 0 }), names(5), 1), /fanout/);
});

test('small-world: n·degree/2 edges (plus bridges), connected, seeded', () => {
  const n = 1000;
  const lattice = buildTopology(spec('small-world', { degree: 6, rewire: 0 }), names(n), 1);
  checkCsr(lattice);
  assert.is(edgeCount(lattice), (n * 6) / 2);
  for (let i = 0; i < n; i++) for (let j = 1; j <= 3; j++) assert.ok(edgeId(lattice, i, (i + j) % n) >= 0);

  const t = buildTopology(spec('small-world', { degree: 6, rewire: 0.2 }), names(n), 7);
  checkCsr(t);
  assert.is(edgeCount(t) - t.bridges, (n * 6) / 2);
  assert.is(reached(t), n);
  assert.not.ok(sameGraph(t, lattice), 'rewiring changed nothing');
  assert.ok(sameGraph(t, buildTopology(spec('small-world', { degree: 6, rewire: 0.2 }), names(n), 7)));
  assert.not.ok(sameGraph(t, buildTopology(spec('small-world', { degree: 6, rewire: 0.2 }), names(n), 8)));
});

test('small-world: a fully rewired ring falls apart and is joined again', () => {
  // Fully rewired, each agent keeps only the edge it chose: a random mapping,
  // which is often (not always) split into a few components.
  const n = 300;
  let repaired = 0;
  for (let seed = 0; seed < 20; seed++) {
    const t = buildTopology(spec('small-world', { degree: 2, rewire: 1 }), names(n), seed);
    checkCsr(t);
    if (t.bridges > 0) repaired += 1;
    assert.is(edgeCount(t), n + t.bridges);
    assert.is(reached(t), n);
  }
  assert.ok(repaired > 0, 'expected some rewired rings to need joining');
  // A lattice degree larger than the ring allows is capped, not an error.
  const small = buildTopology(spec('small-world', { degree: 10, rewire: 0.5 }), names(5), 1);
  checkCsr(small);
  assert.is(edgeCount(small) - small.bridges, 10);
  assert.throws(() => buildTopology(spec('small-world', { degree: 0 }), names(5), 1), /degree/);
});

test('scale-free: m(n−m−1) + m(m+1)/2 edges, connected, heavy-tailed, seeded', () => {
  for (const m of [1, 2, 3, 5]) {
    const n = 2000;
    const t = buildTopology(spec('scale-free', { m }), names(n), 11);
    checkCsr(t);
    assert.is(edgeCount(t), m * (n - m - 1) + (m * (m + 1)) / 2);
    assert.is(reached(t), n);
    const mean = (2 * edgeCount(t)) / n;
    assert.ok(maxDegree(t) > 8 * mean, `max degree ${maxDegree(t)} vs mean ${mean}`);
    for (let i = 0; i < n; i++) assert.ok(degree(t, i) >= m);
  }
  const a = buildTopology(spec('scale-free', { m: 2 }), names(500), 5);
  assert.ok(sameGraph(a, buildTopology(spec('scale-free', { m: 2 }), names(500), 5)));
  assert.not.ok(sameGraph(a, buildTopology(spec('scale-free', { m: 2 }), names(500), 6)));
  // Fewer agents than the core: the complete graph.
  const tiny = buildTopology(spec('scale-free', { m: 5 }), names(4), 1);
  checkCsr(tiny);
  assert.is(edgeCount(tiny), 6);
  assert.throws(() => buildTopology(spec('scale-free', { m: 0 }), names(5), 1), /m must be/);
});

test('random: mean degree near `degree` at n = 2000, connected, seeded', () => {
  const n = 2000;
  for (const d of [4, 8]) {
    const t = buildTopology(spec('random', { degree: d }), names(n), 21);
    checkCsr(t);
    const mean = (2 * (edgeCount(t) - t.bridges)) / n;
    assert.ok(Math.abs(mean - d) < 0.4, `mean degree ${mean} for ${d}`);
    assert.is(reached(t), n);
  }
  const a = buildTopology(spec('random', { degree: 4 }), names(n), 1);
  assert.ok(sameGraph(a, buildTopology(spec('random', { degree: 4 }), names(n), 1)));
  assert.not.ok(sameGraph(a, buildTopology(spec('random', { degree: 4 }), names(n), 2)));
});

test('random: sparse graphs are joined into one component; degree ≥ n−1 is complete', () => {
  const t = buildTopology(spec('random', { degree: 0.5 }), names(500), 4);
  checkCsr(t);
  assert.ok(t.bridges > 100);
  assert.is(reached(t), 500);
  const none = buildTopology(spec('random', { degree: 0 }), names(20), 4);
  assert.is(edgeCount(none), 19);
  assert.is(reached(none), 20);
  const full = buildTopology(spec('random', { degree: 50 }), names(12), 4);
  assert.is(edgeCount(full), 66);
});

test('explicit: edges by agent name, duplicates kept once, unknown names rejected', () => {
  const agents = [...names(2, 'coordinator'), ...names(3, 'worker')];
  const t = buildTopology(
    spec('explicit', {
      edges: [
        ['coordinator#0', 'worker#0'],
        ['worker#0', 'coordinator#0'],
        ['coordinator#1', 'worker#2'],
      ],
    }),
    agents,
    1,
  );
  checkCsr(t);
  assert.is(edgeCount(t), 2);
  assert.ok(edgeId(t, 0, 2) >= 0);
  assert.ok(edgeId(t, 1, 4) >= 0);
  assert.is(degree(t, 3), 0); // worker#1 left isolated, as written
  assert.throws(
    () => buildTopology(spec('explicit', { edges: [['coordinator#0', 'worker#9']] }), agents, 1),
    (e: unknown) => e instanceof Error && e.message.includes('"worker#9"') && e.message.includes('edges[0]'),
  );
  assert.throws(() => buildTopology(spec('explicit', { edges: [['worker#1', 'worker#1']] }), agents, 1), /self-loop/);
});

test('10,000-agent scale-free and small-world build with CSR memory only', () => {
  const many = names(10000);
  const sf = buildTopology(spec('scale-free', { m: 3 }), many, 42);
  assert.is(edgeCount(sf), 3 * (10000 - 4) + 6);
  assert.is(reached(sf), 10000);
  const sw = buildTopology(spec('small-world', { degree: 6, rewire: 0.1 }), many, 42);
  assert.is(edgeCount(sw) - sw.bridges, 30000);
  assert.is(reached(sw), 10000);
  assert.is(sw.neighbors.length, 2 * edgeCount(sw));
});

test('the typed-array build gives the same graph as the ngraph build, kind by kind', () => {
  const kinds: TopologyKind[] = ['star', 'ring', 'hierarchical', 'scale-free', 'random'];
  for (const kind of kinds) {
    for (const n of [1, 2, 3, 50, 400]) {
      for (const over of [{}, { degree: 0.5 }, { m: 1 }]) {
        const g = buildTopology(spec(kind, over), names(n), 5, false);
        const t = buildTopology(spec(kind, over), names(n), 5, true);
        const what = `${kind} n=${n} ${JSON.stringify(over)}`;
        assert.equal(Array.from(t.offsets), Array.from(g.offsets), what);
        assert.equal(Array.from(t.neighbors), Array.from(g.neighbors), what);
        assert.is(t.bridges, g.bridges, what);
      }
    }
  }
});

test.run();
