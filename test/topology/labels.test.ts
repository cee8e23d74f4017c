import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { buildTopology } from '../../sim/topology/index.js';
import type { Topology } from '../../sim/topology/index.js';
import { FAR, HubLabels } from '../../sim/topology/labels.js';
import { HUB_FAR, HubFirstHops } from '../../sim/topology/hub-hops.js';
import { bfs, explicit, names, spec } from './reference.js';

/** Distance table as hub-hops.ts lays it out: hub s's hops to agent t in the high byte at t · hubs.length + s (no first hops in the low). */
function table(t: Topology, hubs: number[]): Uint16Array {
  const out = new Uint16Array(t.n * hubs.length).fill(HUB_FAR << 8);
  hubs.forEach((h, s) => {
    const d = bfs(t, h);
    for (let v = 0; v < t.n; v++) if (d[v]! >= 0) out[v * hubs.length + s] = d[v]! << 8;
  });
  return out;
}

/** Every target, every agent: toTarget is the BFS distance, within holds from it on and not below. */
function checkQueries(t: Topology, lab: HubLabels, where: string): void {
  for (let to = 0; to < t.n; to++) {
    const ref = bfs(t, to);
    lab.setTarget(to);
    for (let u = 0; u < t.n; u++) {
      const d = ref[u]!;
      assert.is(lab.toTarget(u), d < 0 ? FAR : d, `${where}: ${u} → ${to}`);
      if (d > 0) assert.not.ok(lab.within(u, d - 1), `${where}: within(${u}, ${d - 1}) → ${to}`);
      if (d >= 0) assert.ok(lab.within(u, d), `${where}: within(${u}, ${d}) → ${to}`);
    }
  }
}

// Random explicit graphs, from sparse and disconnected to dense.
const graph = fc
  .integer({ min: 2, max: 30 })
  .chain((n) => fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 3 * n })));

test('label queries agree with a plain BFS with and without the hubs’ distance tables', () => {
  fc.assert(
    fc.property(graph, fc.integer({ min: 1, max: 30 }), ([n, pairs], maxHubs) => {
      const t = explicit(n, pairs);
      const lab = HubLabels.build(t, 1 << 20)!;
      checkQueries(t, lab, `labels alone n=${n}`);
      const hubs = HubFirstHops.build(t, { maxHubs, minDegree: 1 });
      if (hubs === null) return; // no edges
      // Both rank by degree, ties by agent number: every tabled hub answers.
      assert.is(lab.useHubDistances(hubs.agents, hubs.entries), hubs.hubs);
      checkQueries(t, lab, `labels with ${hubs.hubs} tabled hubs n=${n} edges=${JSON.stringify(pairs)}`);
    }),
    { numRuns: 150, seed: 16 },
  );
});

test('tables in another order than the ranks answer for the matching prefix only, and queries stay exact', () => {
  fc.assert(
    fc.property(graph, fc.nat(), ([n, pairs], cut) => {
      const t = explicit(n, pairs);
      const lab = HubLabels.build(t, 1 << 20)!;
      // The rank order (degree, then agent number) with the tail past `cut` reversed.
      const byRank = Array.from({ length: n }, (_, i) => i).sort(
        (a, b) => t.offsets[b + 1]! - t.offsets[b]! - (t.offsets[a + 1]! - t.offsets[a]!) || a - b,
      );
      const k = cut % (n + 1);
      const hubs = [...byRank.slice(0, k), ...byRank.slice(k).reverse()];
      let prefix = 0;
      while (prefix < n && hubs[prefix] === byRank[prefix]) prefix++;
      assert.is(lab.useHubDistances(Int32Array.from(hubs), table(t, hubs)), prefix);
      checkQueries(t, lab, `reordered at ${k} n=${n} edges=${JSON.stringify(pairs)}`);
    }),
    { numRuns: 100, seed: 17 },
  );
});

test('a target set before the tables arrive is dropped, not left half spread', () => {
  const t = buildTopology(spec('scale-free'), names(40), 2);
  const lab = HubLabels.build(t, 1 << 20)!;
  lab.setTarget(7);
  const hubs = HubFirstHops.build(t, { maxHubs: 8, minDegree: 1 })!;
  lab.useHubDistances(hubs.agents, hubs.entries);
  checkQueries(t, lab, 'after a target');
});

test('hubs far from a target (41 and 43 hops) answer exactly from their tables', () => {
  // Two hubs (0 on leaves 1 … 12, and 13 on leaves 6 … 12) and a 40-agent
  // tail from leaf 1: the hubs are 41 and 43 hops from its far end.
  const pairs: Array<[number, number]> = [];
  for (let v = 1; v <= 12; v++) pairs.push([0, v]);
  for (let v = 6; v <= 12; v++) pairs.push([13, v]);
  pairs.push([1, 14]);
  for (let v = 14; v < 53; v++) pairs.push([v, v + 1]);
  const t = explicit(54, pairs);
  const lab = HubLabels.build(t, 1 << 20)!;
  const hubs = HubFirstHops.build(t, { maxHubs: 2, minDegree: 1 })!;
  assert.is(lab.useHubDistances(hubs.agents, hubs.entries), 2);
  assert.is(hubs.hubDistance(0, 53), 41);
  assert.is(hubs.hubDistance(13, 53), 43);
  checkQueries(t, lab, 'a long tail');
});

test('on a 10,000-agent scale-free graph all 256 hubs with tables answer for the labels', () => {
  const t = buildTopology(spec('scale-free', { m: 2 }), names(10_000), 11);
  const lab = HubLabels.build(t, 256 * t.n)!;
  const hubs = HubFirstHops.build(t)!;
  assert.is(hubs.hubs, 256);
  assert.is(lab.useHubDistances(hubs.agents, hubs.entries), 256);
  for (const to of [0, 17, 4321, 9999]) {
    const ref = bfs(t, to);
    lab.setTarget(to);
    for (let u = 0; u < t.n; u += 7) assert.is(lab.toTarget(u), ref[u], `${u} → ${to}`);
  }
});

test('labels are given up after the first roots when each still labels half the graph, whatever the entry budget', () => {
  // Random and small-world graphs: every early root labels most agents.
  for (const [kind, over] of [['random', { degree: 5 }], ['small-world', { degree: 6, rewire: 0.1 }]] as const) {
    const t = buildTopology(spec(kind, over), names(3000), 1);
    assert.is(HubLabels.build(t, Infinity), null, kind);
  }
  // Scale-free: the hubs soon cover the paths, and the labels are built.
  const sf = buildTopology(spec('scale-free', { m: 2 }), names(3000), 1);
  const lab = HubLabels.build(sf, Infinity);
  assert.ok(lab !== null && lab.entries < 64 * sf.n);
  // Fewer agents than the early check's roots: no early verdict (the budget alone decides).
  const small = buildTopology(spec('random', { degree: 5 }), names(60), 1);
  assert.ok(HubLabels.build(small, Infinity) !== null);
});

test.run();
