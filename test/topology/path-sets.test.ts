import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { buildTopology, edgeId, maxDegree, PathFinder } from '../../sim/topology/index.js';
import { PathSets } from '../../sim/topology/path-sets.js';
import { bfs, explicit, graphs, names, neighborsOf, spec } from './reference.js';

test('closer sets from kept shortest-path sets agree with a plain BFS, questions interleaved, however small the table and the ring', () => {
  // Several messages walk at once, each asking at every hop and turning back
  // at its destination (its reply); some step aside to a neighbour at the
  // same distance (a detour), off the kept set. Tiny tables and rings make
  // targets collide and sets get written over, and small caps leave sets unkept.
  const graph = graphs<[Array<[number, number, number]>, number[], number, number, number]>(40, 3, (n) => [
    fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.nat(1000)), { minLength: 1, maxLength: 6 }),
    fc.array(fc.nat(5), { minLength: 1, maxLength: 80 }),
    fc.constantFrom(1, 2, 8),
    fc.constantFrom(4, 8, 64),
    fc.integer({ min: 1, max: 16 }),
  ]);
  fc.assert(
    fc.property(graph, ([n, pairs, messages, order, slots, arena, cap]) => {
      const t = explicit(n, pairs);
      const pf = new PathFinder(t, { labels: false, search: true, pathSets: { slots, arena, cap: Math.min(cap, arena) } });
      if (pf.strategy !== 'search') return; // a tree
      const out = new Int32Array(Math.max(1, maxDegree(t)));
      const outE = new Int32Array(out.length);
      const state = messages.map(([from, to, hash]) => ({ at: from, to, back: from, hash, steps: 0 }));
      for (const i of order) {
        const m = state[i % state.length]!;
        if (m.at === m.to) [m.to, m.back] = [m.back, m.to]; // the reply
        const ref = bfs(t, m.to);
        const here = ref[m.at]!;
        const nbs = neighborsOf(t, m.at);
        const want = m.at === m.to || here < 0 ? [] : nbs.filter((w) => ref[w] === here - 1);
        const where = `${m.at} → ${m.to}`;
        const k = pf.closerNeighbors(m.at, m.to, out, outE);
        assert.equal(Array.from(out.subarray(0, k)), want, where);
        for (let j = 0; j < k; j++) assert.is(outE[j], edgeId(t, m.at, out[j]!), `edge ${where}`);
        if (k === 0) continue;
        const side = nbs.filter((w) => w !== m.to && ref[w] === here);
        m.steps++;
        m.at = m.steps % 3 === 0 && side.length > 0 ? side[m.hash % side.length]! : out[m.hash % k]!;
      }
    }),
    { numRuns: 300, seed: 41 },
  );
});

test('a route and its reply ask one search between them, however many hops they take', () => {
  const t = buildTopology(spec('small-world', { degree: 6, rewire: 0.1 }), names(3000), 9);
  const pf = new PathFinder(t, { labels: false, search: true });
  const out = new Int32Array(maxDegree(t));
  const outE = new Int32Array(out.length);
  let hops = 0;
  for (let r = 0; r < 40; r++) {
    const a = (r * 7919) % t.n;
    const z = (r * 104_729 + 1) % t.n;
    const before = pf.searches;
    for (const [from, to] of [
      [a, z],
      [z, a],
    ] as const) {
      const ref = bfs(t, to);
      for (let x = from, h = 0; x !== to; h++) {
        const k = pf.closerNeighbors(x, to, out, outE);
        assert.ok(k > 0, `${x} → ${to}`);
        const next = out[(r + h) % k]!;
        assert.is(ref[next], ref[x]! - 1);
        x = next;
        hops++;
      }
    }
    assert.is(pf.searches - before, a === z ? 0 : 1, `route ${a} ⇄ ${z}`);
  }
  assert.ok(hops > 40 * 2 * 4, `${hops} hops`); // routes of several hops, not neighbours
  const counts = pf.pathSetCounts!;
  assert.is(counts.kept, 40);
  assert.is(counts.hits, hops - 40);
});

test('a kept set is found from both ends, and one the ring has written over is gone', () => {
  // A cycle of 20 agents, searched: between agents 5 apart the shortest path is unique.
  const pairs = Array.from({ length: 20 }, (_, i): [number, number] => [i, (i + 1) % 20]);
  const t = explicit(20, pairs);
  const sets = new PathSets(8, 8, 8);
  const out = new Int32Array(2);
  const outE = new Int32Array(2);
  const keys = (from: number, d: number): Int32Array => Int32Array.from({ length: d + 1 }, (_, i) => ((from + i) << 8) | (d - i));
  // 0 … 5 towards 5 (distances to 5: 5 … 0), kept under 5 and under 0.
  sets.put(5, 0, 5, keys(0, 5), 6);
  assert.is(sets.closer(2, 5, t.offsets, t.neighbors, out, outE), 1);
  assert.is(out[0], 3);
  assert.is(sets.closer(2, 0, t.offsets, t.neighbors, out, outE), 1, 'from the other end');
  assert.is(out[0], 1);
  assert.is(sets.closer(9, 5, t.offsets, t.neighbors, out, outE), -1, 'not on the set');
  assert.is(sets.closer(2, 7, t.offsets, t.neighbors, out, outE), -1, 'no set towards 7');
  // 10 … 15 in the ring's entries 6, 7, 0, 1, 2, 3: the first set is written over, the second wraps.
  sets.put(15, 10, 5, keys(10, 5), 6);
  assert.is(sets.closer(2, 5, t.offsets, t.neighbors, out, outE), -1, 'written over');
  for (let x = 10; x < 15; x++) {
    assert.is(sets.closer(x, 15, t.offsets, t.neighbors, out, outE), 1, `${x} → 15 across the ring's end`);
    assert.is(out[0], x + 1);
    assert.is(outE[0], edgeId(t, x, x + 1));
  }
  assert.is(sets.hits, 2 + 5);
});

test('sets too large to keep, and every question then, still search and answer right', () => {
  const t = buildTopology(spec('random', { degree: 5 }), names(400), 4);
  const small = new PathFinder(t, { labels: false, search: true, pathSets: { slots: 64, arena: 64, cap: 2 } });
  const ref = bfs(t, 17);
  const out = new Int32Array(maxDegree(t));
  const outE = new Int32Array(out.length);
  let asked = 0;
  for (let at = 0; at < t.n; at++) {
    if (at === 17 || ref[at]! < 3) continue;
    const before = small.searches;
    const k = small.closerNeighbors(at, 17, out, outE);
    assert.equal(Array.from(out.subarray(0, k)), neighborsOf(t, at).filter((w) => ref[w] === ref[at]! - 1));
    assert.is(small.searches, before + 1, 'a set of more than 2 agents is not kept');
    asked++;
  }
  assert.ok(asked > 100);
  assert.is(small.pathSetCounts!.kept, 0);
});

test.run();
