import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { Stream } from '../../sim/engine/index.js';
import { buildTopology, edgeId, maxDegree, PathFinder } from '../../sim/topology/index.js';
import type { Topology } from '../../sim/topology/index.js';
import type { TopologyKind } from '../../sim/scenario/types.js';
import { bfs, explicit, graphs, names, neighborsOf, spec } from './reference.js';

/**
 * Walks `routes` ([from, to] each) one hop each in turn, as concurrent
 * messages take them, until every route has arrived or cannot go on: `hop`
 * moves route `r` on from `here` and returns where it went, given the first
 * closer neighbour a plain BFS names (`want`) and each route's BFS distances.
 */
function walkInterleaved(
  t: Topology,
  routes: ReadonlyArray<readonly [number, number]>,
  hop: (r: number, here: number, to: number, want: number, step: number, refs: readonly Int32Array[]) => number,
): void {
  const at = routes.map(([from]) => from);
  const refs = routes.map(([, to]) => bfs(t, to));
  for (let step = 0, moving = true; moving; step++) {
    moving = false;
    routes.forEach(([, to], r) => {
      const here = at[r]!;
      const ref = refs[r]!;
      if (here === to || ref[here]! < 0) return;
      const want = neighborsOf(t, here).find((w) => ref[w] === ref[here]! - 1)!;
      at[r] = hop(r, here, to, want, step, refs);
      moving = true;
    });
  }
}

/** Checks every pair against the reference: distance, closer and side sets, edge ids. */
function checkAllPairs(t: Topology, pf: PathFinder, label: string): void {
  const cap = Math.max(1, maxDegree(t));
  const out = new Int32Array(cap);
  const outE = new Int32Array(cap);
  for (let to = 0; to < t.n; to++) {
    const ref = bfs(t, to);
    for (let at = 0; at < t.n; at++) {
      const where = `${label}: ${at} → ${to}`;
      assert.is(pf.distance(at, to), ref[at], where);
      const nbs = neighborsOf(t, at);
      const here = ref[at]!;
      const wantCloser = at === to || here < 0 ? [] : nbs.filter((w) => ref[w] === here - 1);
      const wantSide = at === to || here < 0 ? [] : nbs.filter((w) => ref[w] === here);
      const c = pf.closerNeighbors(at, to, out, outE);
      assert.equal(Array.from(out.subarray(0, c)), wantCloser, `closer ${where}`);
      for (let i = 0; i < c; i++) assert.is(outE[i], edgeId(t, at, out[i]!), `closer edge ${where}`);
      const s = pf.sideNeighbors(at, to, out, outE);
      assert.equal(Array.from(out.subarray(0, s)), wantSide, `side ${where}`);
      for (let i = 0; i < s; i++) assert.is(outE[i], edgeId(t, at, out[i]!), `side edge ${where}`);
      outE.fill(-7);
      const first = pf.firstCloser(at, to, outE);
      assert.is(first, wantCloser[0] ?? -1, `first closer ${where}`);
      if (first >= 0) assert.is(outE[0], edgeId(t, at, first), `first closer edge ${where}`);
    }
  }
}

test('every kind at small n agrees with a plain BFS on every pair', () => {
  const kinds: TopologyKind[] = ['full-mesh', 'star', 'ring', 'hierarchical', 'small-world', 'scale-free', 'random'];
  for (const kind of kinds) {
    for (const n of [1, 2, 3, 7, 8, 30]) {
      for (const seed of [1, 2]) {
        const t = buildTopology(spec(kind), names(n), seed);
        checkAllPairs(t, new PathFinder(t), `${kind} n=${n} seed=${seed}`);
      }
    }
  }
});

test('random explicit graphs (often disconnected, some trees) agree with BFS, with a tiny cache', () => {
  const rng = new Stream(99, 1);
  for (let trial = 0; trial < 40; trial++) {
    const n = 2 + rng.int(25);
    const m = rng.int(2 * n);
    const edges: Array<[string, string]> = [];
    for (let i = 0; i < m; i++) {
      const a = rng.int(n);
      const b = rng.int(n);
      if (a !== b) edges.push([`a#${a}`, `a#${b}`]);
    }
    const t = buildTopology(spec('explicit', { edges }), names(n), 1);
    // cacheBytes below one array still keeps one (capacity 1): every new destination evicts.
    checkAllPairs(t, new PathFinder(t, { cacheBytes: 1 + rng.int(3 * n) }), `explicit trial ${trial}`);
  }
  // Explicit trees take the tree path.
  const tree: Array<[string, string]> = [];
  for (let i = 1; i < 25; i++) tree.push([`a#${i}`, `a#${rng.int(i)}`]); // parent drawn among earlier agents
  const t = buildTopology(spec('explicit', { edges: tree }), names(25), 1);
  checkAllPairs(t, new PathFinder(t), 'explicit tree');
});

test('ECMP sets on rings and a grid have the expected sizes', () => {
  const out = new Int32Array(8);
  const outE = new Int32Array(8);
  const even = buildTopology(spec('ring'), names(8), 1);
  const pe = new PathFinder(even);
  assert.is(pe.closerNeighbors(0, 4, out, outE), 2);
  assert.equal(Array.from(out.subarray(0, 2)), [1, 7]);
  assert.is(pe.closerNeighbors(0, 3, out, outE), 1);
  assert.is(out[0], 1);
  assert.is(pe.closerNeighbors(0, 6, out, outE), 1);
  assert.is(out[0], 7);
  assert.is(pe.sideNeighbors(0, 4, out, outE), 0);
  assert.is(pe.distance(0, 4), 4);
  assert.is(pe.distance(1, 7), 2);

  const odd = buildTopology(spec('ring'), names(7), 1);
  const po = new PathFinder(odd);
  assert.is(po.closerNeighbors(0, 3, out, outE), 1);
  assert.is(out[0], 1);
  // At the antipode of an odd ring the other way round is equally long.
  assert.is(po.sideNeighbors(0, 3, out, outE), 1);
  assert.is(out[0], 6);
  assert.is(outE[0], edgeId(odd, 0, 6));

  // 4 × 4 grid, agent r*4+c.
  const edges: Array<[string, string]> = [];
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      if (c < 3) edges.push([`a#${r * 4 + c}`, `a#${r * 4 + c + 1}`]);
      if (r < 3) edges.push([`a#${r * 4 + c}`, `a#${(r + 1) * 4 + c}`]);
    }
  }
  const grid = buildTopology(spec('explicit', { edges }), names(16), 1);
  const pg = new PathFinder(grid);
  assert.is(pg.distance(0, 15), 6);
  assert.is(pg.closerNeighbors(0, 15, out, outE), 2);
  assert.equal(Array.from(out.subarray(0, 2)), [1, 4]);
  assert.is(pg.closerNeighbors(3, 15, out, outE), 1); // top-right corner: straight down
  assert.is(out[0], 7);
  assert.is(pg.closerNeighbors(5, 15, out, outE), 2);
  assert.is(pg.closerNeighbors(5, 6, out, outE), 1);
  // Grids are bipartite: no neighbour is ever at the same distance.
  assert.is(pg.sideNeighbors(5, 15, out, outE), 0);
});

test('tree paths go up to the common ancestor and down', () => {
  const fanout = 3;
  const n = 121; // five full levels
  const t = buildTopology(spec('hierarchical', { fanout }), names(n), 1);
  const pf = new PathFinder(t);
  const parent = (i: number): number => Math.floor((i - 1) / fanout);
  const ancestors = (i: number): number[] => {
    const a = [i];
    while (i !== 0) a.push((i = parent(i)));
    return a;
  };
  const out = new Int32Array(maxDegree(t));
  const outE = new Int32Array(maxDegree(t));
  const rng = new Stream(5, 1);
  for (let trial = 0; trial < 300; trial++) {
    const a = rng.int(n);
    const b = rng.int(n);
    const up = ancestors(a);
    const down = ancestors(b);
    const lca = up.find((x) => down.includes(x))!;
    const want = [...up.slice(0, up.indexOf(lca) + 1), ...down.slice(0, down.indexOf(lca)).reverse()];
    assert.is(pf.distance(a, b), want.length - 1);
    const path = [a];
    let at = a;
    while (at !== b) {
      assert.is(pf.closerNeighbors(at, b, out, outE), 1);
      assert.is(outE[0], edgeId(t, at, out[0]!));
      at = out[0]!;
      path.push(at);
    }
    assert.equal(path, want);
  }
  const star = buildTopology(spec('star'), names(100), 1);
  const ps = new PathFinder(star);
  assert.is(ps.distance(17, 42), 2);
  assert.is(ps.closerNeighbors(17, 42, out, outE), 1);
  assert.is(out[0], 0);
  assert.is(ps.closerNeighbors(0, 42, out, outE), 1);
  assert.is(out[0], 42);
});

test('long cycles (diameter > 254) use wider distance entries and stay exact', () => {
  const n = 600;
  const edges: Array<[string, string]> = [];
  for (let i = 0; i < n; i++) edges.push([`a#${i}`, `a#${(i + 1) % n}`]);
  const t = buildTopology(spec('explicit', { edges }), names(n), 1);
  const pf = new PathFinder(t, { cacheBytes: 4 * 2 * n });
  assert.is(pf.capacity, 4);
  const rng = new Stream(8, 1);
  for (let i = 0; i < 2000; i++) {
    const a = rng.int(n);
    const b = rng.int(n);
    const d = Math.abs(a - b);
    assert.is(pf.distance(a, b), Math.min(d, n - d));
  }
});

test('10,000-agent scale-free: 100,000 distance queries through a small evicting cache', () => {
  const n = 10000;
  const t = buildTopology(spec('scale-free', { m: 2 }), names(n), 42);
  const trees = 32;
  const pf = new PathFinder(t, { cacheBytes: trees * n, labels: false, search: false }); // diameter is small: 1 byte per entry
  assert.is(pf.capacity, trees);
  const rng = new Stream(3, 1);
  const dests = Array.from({ length: 200 }, () => rng.int(n));
  const refs = new Map<number, Int32Array>();
  const ref = (d: number): Int32Array => {
    let r = refs.get(d);
    if (r === undefined) refs.set(d, (r = bfs(t, d)));
    return r;
  };
  const out = new Int32Array(maxDegree(t));
  const outE = new Int32Array(maxDegree(t));
  // Routing-like locality: bursts of queries towards one destination, with
  // a stray query to another destination now and then.
  let queries = 0;
  while (queries < 100000) {
    const burstDest = dests[rng.int(dests.length)]!;
    for (let i = 0; i < 100; i++) {
      const to = rng.next() < 0.01 ? dests[rng.int(dests.length)]! : burstDest;
      const from = rng.int(n);
      const r = ref(to);
      assert.is(pf.distance(from, to), r[from]);
      if (i % 10 === 0 && from !== to) {
        const c = pf.closerNeighbors(from, to, out, outE);
        assert.ok(c >= 1);
        for (let k = 0; k < c; k++) {
          assert.is(r[out[k]!], r[from]! - 1);
          assert.ok(outE[k]! >= 0 && t.neighbors[outE[k]!] === out[k]);
        }
      }
      queries += 1;
    }
  }
  assert.ok(pf.misses > trees, `cache never evicted (${pf.misses} misses)`);
  assert.ok(pf.misses < 3000, `too many BFS runs: ${pf.misses}`);
});

test('hub labels agree with a plain BFS on random graphs: distances, closer and side sets in order', () => {
  // Random explicit graphs from sparse (disconnected, tree-like) to dense, so
  // that every branch of the label queries (1, 2, 3 and more hops; the
  // two-hop intersection and the per-neighbour label scan) is taken.
  fc.assert(
    fc.property(graphs(36, 3), ([n, pairs]) => {
      const t = explicit(n, pairs);
      checkAllPairs(t, new PathFinder(t, { labels: true }), `labels n=${n} edges=${JSON.stringify(pairs)}`);
    }),
    { numRuns: 150, seed: 14 },
  );
  for (const kind of ['scale-free', 'small-world', 'random'] as const) {
    const t = buildTopology(spec(kind), names(60), 3);
    checkAllPairs(t, new PathFinder(t, { labels: true }), `labels ${kind}`);
  }
});

test('hub first-hop tables agree with a plain BFS on random graphs, with labels and with the BFS cache', () => {
  // Tables forced onto small graphs (any degree, a random number of hubs), so
  // that hubs, agents surrounded by hubs and the rest all meet every shape:
  // disconnected graphs, trees, dense ones.
  const graph = graphs<[number, boolean]>(36, 3, (n) => [fc.integer({ min: 1, max: n }), fc.boolean()]);
  fc.assert(
    fc.property(graph, ([n, pairs, maxHubs, labels]) => {
      const t = explicit(n, pairs);
      const pf = new PathFinder(t, { labels, hubHops: { maxHubs, minDegree: 1 } });
      checkAllPairs(t, pf, `hub tables (${maxHubs}, labels ${labels}) n=${n} edges=${JSON.stringify(pairs)}`);
    }),
    { numRuns: 150, seed: 15 },
  );
});

test('first hops along whole routes agree with a plain BFS, routes interleaved and told nothing', () => {
  // Routes walked hop by hop, one hop of each in turn, as concurrent messages
  // are, each call finding its distance afresh.
  // Sparse graphs, long routes, few hubs: most hops ask the labels.
  const graph = graphs<[number, Array<[number, number]>]>(60, 2, (n) => [
    fc.integer({ min: 0, max: 3 }),
    fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { minLength: 1, maxLength: 30 }),
  ]);
  fc.assert(
    fc.property(graph, ([n, pairs, maxHubs, routes]) => {
      const t = explicit(n, pairs);
      const hubHops = maxHubs === 0 ? (false as const) : { maxHubs, minDegree: 1 };
      const pf = new PathFinder(t, { labels: true, hubHops });
      const edge = new Int32Array(Math.max(1, maxDegree(t)));
      // Interleaved: one hop of each route in turn, as concurrent messages take them.
      walkInterleaved(t, routes, (r, here, to, want, step, refs) => {
        const hop = pf.firstCloser(here, to, edge);
        assert.is(hop, want, `route ${r} step ${step}: ${here} → ${to}`);
        assert.is(edge[0], edgeId(t, here, hop));
        // From the hop just taken towards another route's destination: what
        // was found for one destination must not answer for another.
        const other = (r + 1) % routes.length;
        const otherTo = routes[other]![1];
        const otherRef = refs[other]!;
        if (hop !== otherTo && otherRef[hop]! >= 0) {
          const otherWant = neighborsOf(t, hop).find((w) => otherRef[w] === otherRef[hop]! - 1)!;
          assert.is(pf.firstCloser(hop, otherTo, edge), otherWant, `route ${r} step ${step}: ${hop} → ${otherTo}`);
        }
        return hop;
      });
    }),
    { numRuns: 200, seed: 18 },
  );
});

test('a route told its distance at each hop takes the same hops, and what it is told is the true distance', () => {
  // As the model walks a shortest path: each hop passes on `hopLeft` as the
  // next call's `known`. Labels with and without hub tables, hub tables over
  // the BFS cache, and a search per pair; routes interleaved.
  const graph = graphs<[number, Array<[number, number]>]>(60, 2, (n) => [
    fc.integer({ min: 0, max: 3 }),
    fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { minLength: 1, maxLength: 20 }),
  ]);
  fc.assert(
    fc.property(graph, ([n, pairs, maxHubs, routes]) => {
      const t = explicit(n, pairs);
      const hubHops = maxHubs === 0 ? (false as const) : { maxHubs, minDegree: 1 };
      const finders = [
        new PathFinder(t, { labels: true, hubHops }),
        new PathFinder(t, { labels: false, search: false, hubHops }),
        new PathFinder(t, { labels: false, search: true }),
      ];
      const edge = new Int32Array(Math.max(1, maxDegree(t)));
      for (const pf of finders) {
        const left = routes.map(() => -1);
        walkInterleaved(t, routes, (r, here, to, want, step, refs) => {
          const hop = pf.firstCloser(here, to, edge, left[r]!);
          const where = `${pf.strategy} route ${r} step ${step}: ${here} → ${to} told ${left[r]}`;
          assert.is(hop, want, where);
          assert.is(edge[0], edgeId(t, here, hop), where);
          if (pf.hopLeft >= 0) assert.is(pf.hopLeft, refs[r]![hop], `hops left after ${where}`);
          left[r] = pf.hopLeft;
          return hop;
        });
      }
    }),
    { numRuns: 200, seed: 19 },
  );
});

test('on a 5,000-agent scale-free graph, hub labels pass on the distance of nearly every hop', () => {
  const t = buildTopology(spec('scale-free', { m: 2 }), names(5000), 21);
  const pf = new PathFinder(t, { labels: true });
  assert.is(pf.strategy, 'labels');
  const edge = new Int32Array(maxDegree(t));
  let hops = 0;
  let told = 0;
  for (let r = 0; r < 200; r++) {
    const to = (r * 7919 + 11) % t.n;
    const ref = bfs(t, to);
    for (let x = (r * 104_729) % t.n, left = -1; x !== to; ) {
      const hop = pf.firstCloser(x, to, edge, left);
      assert.is(ref[hop], ref[x]! - 1);
      left = pf.hopLeft;
      if (left >= 0) {
        assert.is(left, ref[hop]);
        told++;
      }
      hops++;
      x = hop;
    }
  }
  // Only a hop from a hub to a hub, with no distance told to the first, passes none on.
  assert.ok(told > 0.8 * hops, `${told} of ${hops} hops told`);
});

test('a hub whose first hop lies past its 254th neighbour finds it beside its table, in order', () => {
  // Hub 0 with 400 leaves (1 … 400) and a second hub 401 sharing leaves
  // 350 … 400; beyond leaf 390 hangs a tail 402 → 403. Towards the tail and
  // towards 401 the first closer neighbours of hub 0 are at row indices past
  // 254, which a table's byte cannot hold.
  const edges: Array<[string, string]> = [];
  for (let v = 1; v <= 400; v++) edges.push(['a#0', `a#${v}`]);
  for (let v = 350; v <= 400; v++) edges.push(['a#401', `a#${v}`]);
  edges.push(['a#390', 'a#402'], ['a#402', 'a#403']);
  const t = buildTopology(spec('explicit', { edges }), names(404), 1);
  for (const labels of [true, false]) {
    const pf = new PathFinder(t, { labels, hubHops: { maxHubs: 2, minDegree: 1 } });
    const edge = new Int32Array(maxDegree(t));
    for (const [to, want] of [[402, 390], [403, 390], [401, 350], [399, 399], [7, 7]] as const) {
      assert.is(pf.firstCloser(0, to, edge), want, `labels ${labels}: 0 → ${to}`);
      assert.is(edge[0], edgeId(t, 0, want));
    }
  }
  checkAllPairs(t, new PathFinder(t, { labels: true, hubHops: { maxHubs: 2, minDegree: 1 } }), 'past the byte, labels');
});

test('hub tables answer exactly for hops past a hub’s 15th neighbour and distances of 15 hops or more', () => {
  // Hub 0 with 30 leaves (1 … 30); from leaf 25 a tail of 40 agents (31 …
  // 70) runs away, and leaf 3 closes a cycle with the tail's 20th agent.
  // Hub 0's first hop towards the tail's far end is leaf 25 or 3, at row
  // indices past 14 (25) and before (3) by turns; its distance to the far end
  // is above 15; a second hub (71, on leaves 10 … 20) is 15 hops or more from
  // the tail's far end too.
  const edges: Array<[string, string]> = [];
  for (let v = 1; v <= 30; v++) edges.push(['a#0', `a#${v}`]);
  edges.push(['a#25', 'a#31']);
  for (let v = 31; v < 70; v++) edges.push([`a#${v}`, `a#${v + 1}`]);
  edges.push(['a#3', 'a#50']);
  for (let v = 10; v <= 20; v++) edges.push(['a#71', `a#${v}`]);
  const t = buildTopology(spec('explicit', { edges }), names(72), 1);
  const plain = new PathFinder(t, { labels: true, hubHops: false });
  const pf = new PathFinder(t, { labels: true, hubHops: { maxHubs: 2, minDegree: 1 } });
  assert.ok(pf.distance(0, 70) >= 15 && pf.distance(71, 70) >= 15, 'long distances');
  const edge = new Int32Array(maxDegree(t));
  assert.is(pf.firstCloser(0, 40, edge), 25, 'past the 15th neighbour');
  assert.is(pf.firstCloser(0, 60, edge), 3, 'through the cycle');
  checkAllPairs(t, pf, 'far hops, labels');
  checkAllPairs(t, new PathFinder(t, { labels: false, search: false, hubHops: { maxHubs: 2, minDegree: 1 } }), 'far hops, BFS cache');
  // Routes told their distance at each hop: the same hops as without tables.
  const a = new Int32Array(maxDegree(t));
  const b = new Int32Array(maxDegree(t));
  for (const [from, to] of [[70, 1], [70, 71], [0, 70], [71, 60]] as const) {
    let x: number = from;
    let left = -1;
    while (x !== to) {
      const hop = pf.firstCloser(x, to, a, left);
      assert.is(hop, plain.firstCloser(x, to, b), `${from} → ${to} at ${x}`);
      left = pf.hopLeft;
      x = hop;
    }
  }
});

test('on a 12,000-agent scale-free graph the hub tables give the first hop the labels give', () => {
  const n = 12_000;
  const t = buildTopology(spec('scale-free', { m: 2 }), names(n), 5);
  const tabled = new PathFinder(t);
  const plain = new PathFinder(t, { hubHops: false });
  assert.is(tabled.strategy, 'labels');
  const cap = maxDegree(t);
  const a = new Int32Array(cap);
  const aE = new Int32Array(cap);
  const bE = new Int32Array(cap);
  const rng = new Stream(33, 1);
  for (let trial = 0; trial < 2000; trial++) {
    const to = rng.int(n);
    let at = rng.int(n);
    while (at !== to) {
      const hop = tabled.firstCloser(at, to, aE);
      assert.is(plain.firstCloser(at, to, bE), hop, `${at} → ${to}`);
      assert.is(aE[0], bE[0]);
      assert.is(plain.closerNeighbors(at, to, a, bE) > 0 ? a[0] : -1, hop);
      at = hop;
    }
  }
});

test('hub labels on a 5,000-agent scale-free graph route exactly as the BFS cache does', () => {
  const n = 5000;
  const t = buildTopology(spec('scale-free', { m: 2 }), names(n), 7);
  const labels = new PathFinder(t);
  const plain = new PathFinder(t, { labels: false, search: false });
  const cap = maxDegree(t);
  const a = new Int32Array(cap);
  const aE = new Int32Array(cap);
  const b = new Int32Array(cap);
  const bE = new Int32Array(cap);
  const rng = new Stream(21, 1);
  for (let trial = 0; trial < 300; trial++) {
    const to = rng.int(n);
    let at = rng.int(n);
    assert.is(labels.distance(at, to), plain.distance(at, to));
    while (at !== to) {
      const k = labels.closerNeighbors(at, to, a, aE);
      assert.is(k, plain.closerNeighbors(at, to, b, bE));
      assert.equal(Array.from(a.subarray(0, k)), Array.from(b.subarray(0, k)), `${at} → ${to}`);
      assert.equal(Array.from(aE.subarray(0, k)), Array.from(bE.subarray(0, k)));
      const hop = a[rng.int(k)]!; // any equal-cost hop: ECMP visits them all
      const s = labels.sideNeighbors(at, to, a, aE);
      assert.is(s, plain.sideNeighbors(at, to, b, bE));
      assert.equal(Array.from(a.subarray(0, s)), Array.from(b.subarray(0, s)));
      at = hop;
    }
  }
  assert.is(labels.misses, 0, 'labels never run a BFS per destination');
});

test('a search per pair agrees with a plain BFS on random graphs: distances, closer and side sets in order', () => {
  // Sparse to dense, often disconnected: the two searches meet on either
  // side, at odd and even distances, or never.
  fc.assert(
    fc.property(graphs(40, 3), ([n, pairs]) => {
      const t = explicit(n, pairs);
      const pf = new PathFinder(t, { labels: false, search: true });
      assert.ok(pf.strategy === 'search' || pf.strategy === 'tree', pf.strategy); // trees keep their walk up the tree
      checkAllPairs(t, pf, `search n=${n} edges=${JSON.stringify(pairs)}`);
    }),
    { numRuns: 150, seed: 16 },
  );
  for (const kind of ['scale-free', 'small-world', 'random', 'ring', 'hierarchical'] as const) {
    const t = buildTopology(spec(kind), names(60), 3);
    checkAllPairs(t, new PathFinder(t, { labels: false, search: true }), `search ${kind}`);
  }
});

test('whole routes are the hops taken one at a time, for every strategy, lowest-numbered and hashed', () => {
  // `route` walks a search's marks in search mode and asks hop by hop
  // elsewhere; both must give what `shortest` (hash < 0) and `ecmp` (the
  // member `hash` mod the closer set's size, at every hop) take.
  const graph = graphs<[Array<[number, number, number, number]>]>(50, 3, (n) => [
    fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.integer({ min: -1, max: 1000 }), fc.integer({ min: 1, max: 8 })), { minLength: 1, maxLength: 20 }),
  ]);
  fc.assert(
    fc.property(graph, ([n, pairs, routes]) => {
      const t = explicit(n, pairs);
      const finders = [
        new PathFinder(t, { labels: false, search: true }),
        new PathFinder(t, { labels: false, search: false }),
        new PathFinder(t, { labels: true }),
      ];
      const cap = Math.max(1, maxDegree(t));
      const out = new Int32Array(cap);
      const outE = new Int32Array(cap);
      const edges = new Int32Array(8);
      for (const [from, to, hash, max] of routes) {
        const ref = bfs(t, to);
        // The reference: the closer sets of a plain BFS, hop after hop.
        const want: number[] = [];
        for (let x = from; x !== to && ref[x]! > 0 && want.length < max; ) {
          const closer = neighborsOf(t, x).filter((w) => ref[w] === ref[x]! - 1);
          const hop = closer[hash < 0 ? 0 : hash % closer.length]!;
          want.push(edgeId(t, x, hop));
          x = hop;
        }
        for (const pf of finders) {
          const k = pf.route(from, to, hash, edges, 0, max);
          assert.equal(Array.from(edges.subarray(0, k)), want, `${pf.strategy} route ${from} → ${to} hash ${hash} max ${max}`);
          // The hop-by-hop answers the route stands for.
          if (k > 0 && hash < 0) assert.is(pf.firstCloser(from, to, outE), t.neighbors[want[0]!]);
          if (k > 0 && hash >= 0) {
            const c = pf.closerNeighbors(from, to, out, outE);
            assert.is(outE[hash % c], want[0]);
          }
        }
      }
    }),
    { numRuns: 200, seed: 17 },
  );
});

test('a route back planned from a request\'s search is the route its own search gives, and costs none', () => {
  const graph = graphs<[Array<[number, number, number]>]>(50, 3, (n) => [
    fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.integer({ min: -1, max: 1000 })), { minLength: 1, maxLength: 20 }),
  ]);
  fc.assert(
    fc.property(graph, ([n, pairs, routes]) => {
      const t = explicit(n, pairs);
      const pf = new PathFinder(t, { labels: false, search: true });
      if (pf.strategy !== 'search') return; // a tree
      const fresh = new PathFinder(t, { labels: false, search: true });
      const there = new Int32Array(32);
      const back = new Int32Array(32);
      const want = new Int32Array(32);
      for (const [from, to, hash] of routes) {
        const k = pf.route(from, to, hash, there, 0, 32, true);
        const before = pf.searches;
        const kb = pf.route(to, from, hash, back, 0, 32);
        const kw = fresh.route(to, from, hash, want, 0, 32);
        assert.equal(Array.from(back.subarray(0, kb)), Array.from(want.subarray(0, kw)), `${to} → ${from} hash ${hash}`);
        // Reachable both ways or neither; a kept route back costs no search.
        assert.is(kb, k);
        if (k > 0) assert.is(pf.searches, before, 'the route back searched again');
      }
    }),
    { numRuns: 200, seed: 18 },
  );
});

test('whole routes on the full mesh, a ring and a tree are their hops', () => {
  const edges = new Int32Array(8);
  for (const kind of ['full-mesh', 'ring', 'hierarchical'] as const) {
    const t = buildTopology(spec(kind), names(12), 1);
    const pf = new PathFinder(t);
    const out = new Int32Array(Math.max(1, maxDegree(t)));
    const outE = new Int32Array(out.length);
    for (const hash of [-1, 5]) {
      for (let from = 0; from < 12; from++) {
        const to = (from * 7 + 3) % 12;
        const k = pf.route(from, to, hash, edges, 0, 8);
        assert.is(k, pf.distance(from, to), `${kind} ${from} → ${to}`);
        let x = from;
        for (let i = 0; i < k; i++) {
          const c = pf.closerNeighbors(x, to, out, outE);
          const pick = hash < 0 ? 0 : hash % c;
          assert.is(edges[i], outE[pick], `${kind} ${from} → ${to} hop ${i}`);
          x = out[pick]!;
        }
        assert.is(x, to);
      }
    }
  }
});

test('large graphs without labels are routed by a search per pair where searches stay small, by a BFS per destination where they do not', () => {
  // A 70 × 70 grid: a search between two random agents visits a good part of it.
  const w = 70;
  const cells: Array<[number, number]> = [];
  for (let v = 0; v < w * w; v++) {
    if (v % w < w - 1) cells.push([v, v + 1]);
    if (v + w < w * w) cells.push([v, v + w]);
  }
  const grid = explicit(w * w, cells);
  assert.is(new PathFinder(grid, { labels: false }).strategy, 'bfs');
  // Dense random graphs: a search labels a good part of the agents where the
  // balls meet, but scans few of them; against a BFS over 40 edges an agent it is cheap.
  const dense = buildTopology(spec('random', { degree: 40 }), names(6000), 4);
  assert.is(new PathFinder(dense, { labels: false }).strategy, 'search');
  const n = 6000;
  const sw = buildTopology(spec('small-world', { degree: 6, rewire: 0.1 }), names(n), 2);
  const pf = new PathFinder(sw, { labels: false });
  assert.is(pf.strategy, 'search');
  assert.ok(pf.plansRoutes);
  const plain = new PathFinder(sw, { labels: false, search: false });
  assert.is(plain.strategy, 'bfs');
  assert.not.ok(plain.plansRoutes);
  const rng = new Stream(5, 1);
  const a = new Int32Array(64);
  const b = new Int32Array(64);
  for (let trial = 0; trial < 200; trial++) {
    const from = rng.int(n);
    const to = rng.int(n);
    const k = pf.route(from, to, -1, a, 0, 64);
    assert.is(k, Math.min(64, plain.distance(from, to)));
    assert.equal(Array.from(a.subarray(0, k)), Array.from(b.subarray(0, plain.route(from, to, -1, b, 0, 64))));
  }
});

test('a graph too long for hub labels falls back to the BFS cache', () => {
  // A 5,000-agent ring as explicit edges: labels grow with n, beyond the budget.
  const n = 5000;
  const edges: Array<[string, string]> = [];
  for (let i = 0; i < n; i++) edges.push([`a#${i}`, `a#${(i + 1) % n}`]);
  const t = buildTopology(spec('explicit', { edges }), names(n), 1);
  const pf = new PathFinder(t);
  assert.is(pf.strategy, 'bfs');
  assert.is(pf.distance(0, 2500), 2500);
  assert.is(new PathFinder(buildTopology(spec('scale-free'), names(n), 1)).strategy, 'labels');
});

test.run();
