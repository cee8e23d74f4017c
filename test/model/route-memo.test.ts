import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NEEDS_PLAN, ROUTE_CHUNK_HOPS, RouteMemo } from '../../sim/model/route-memo.js';
import type { PathPolicy } from '../../sim/policies/paths/index.js';

// A line 0 — 1 — 2 — … — 99: edge e leads to agent e (neighbors[e] = e), and
// the route from `at` to a larger `to` is the edges at + 1 … to. The policy
// counts its plans and adds `flow` to every edge (so that a plan for another
// message's flow is told apart), unless `flow` is 0.
function line(): { policy: PathPolicy; plans: Array<[number, number, number]>; backs: Array<[number, number]> } {
  const plans: Array<[number, number, number]> = [];
  const backs: Array<[number, number]> = [];
  const policy: PathPolicy = {
    readsFlow: true,
    detour: false,
    edge: -1,
    left: -1,
    planned: true,
    next: () => {
      throw new Error('a planned policy is not asked hop by hop');
    },
    route(at, dst, flow, edges, offset, max, back) {
      plans.push([at, dst, flow]);
      if (back) backs.push([at, dst]);
      let k = 0;
      for (let x = at; x < dst && k < max; x++) edges[offset + k++] = x + 1 + flow;
      return k;
    },
  };
  return { policy, plans, backs };
}
const neighbors = Int32Array.from({ length: 200 }, (_, e) => e);

/** What Links does: the kept hop, else a plan. */
function hop(memo: RouteMemo, m: number, gen: number, at: number, to: number, flow: number, back: boolean): number {
  const kept = memo.kept(m, gen, at, to);
  return kept !== NEEDS_PLAN ? kept : memo.plan(m, gen, at, to, flow, back);
}

test('a route is planned once and read a hop at a time', () => {
  const { policy, plans } = line();
  const memo = new RouteMemo(policy, neighbors);
  const hops: number[] = [];
  for (let at = 3; at < 9; at++) hops.push(hop(memo, 5, 0, at, 9, 0, false));
  assert.equal(hops, [4, 5, 6, 7, 8, 9]);
  assert.equal(plans, [[3, 9, 0]]);
});

test('a route longer than a chunk is planned again where the chunk ends', () => {
  const { policy, plans } = line();
  const memo = new RouteMemo(policy, neighbors);
  const to = 2 * ROUTE_CHUNK_HOPS + 5;
  for (let at = 0; at < to; at++) assert.is(hop(memo, 0, 0, at, to, 0, false), at + 1);
  assert.equal(plans, [[0, to, 0], [ROUTE_CHUNK_HOPS, to, 0], [2 * ROUTE_CHUNK_HOPS, to, 0]]);
});

test('another generation, target or place plans again; an unreachable target gives −1', () => {
  const { policy, plans } = line();
  const memo = new RouteMemo(policy, neighbors);
  assert.is(hop(memo, 2, 0, 10, 20, 0, false), 11);
  // The slot reused by another copy at the same place, bound the same way but
  // with another flow: its own plan, not the last copy's hops.
  assert.is(hop(memo, 2, 1, 11, 20, 7, false), 19);
  // A `via` reached: the same copy, bound elsewhere.
  assert.is(hop(memo, 2, 1, 12, 30, 0, false), 13);
  // The copy somewhere its chunk does not continue from.
  assert.is(hop(memo, 2, 1, 15, 30, 0, false), 16);
  assert.equal(plans, [[10, 20, 0], [11, 20, 7], [12, 30, 0], [15, 30, 0]]);
  assert.is(hop(memo, 2, 1, 40, 30, 0, false), -1); // the line only goes up: unreachable
  // Slots far beyond the first allocation grow the store.
  assert.is(hop(memo, 5000, 0, 1, 3, 0, false), 2);
  assert.is(hop(memo, 5000, 0, 2, 3, 0, false), 3);
});

test('a plan says whether a reply will come back: only the plans made, not the hops read', () => {
  const { policy, plans, backs } = line();
  const memo = new RouteMemo(policy, neighbors);
  assert.is(hop(memo, 1, 0, 0, 5, 0, true), 1);
  assert.is(hop(memo, 1, 0, 1, 5, 0, true), 2);
  assert.is(hop(memo, 2, 0, 0, 5, 0, false), 1);
  assert.equal(plans.length, 2);
  assert.equal(backs, [[0, 5]]);
});

test.run();
