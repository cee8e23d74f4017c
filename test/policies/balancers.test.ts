import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Stream } from '../../sim/engine/index.js';
import { createBalancer, type BalancerView } from '../../sim/policies/balancers/index.js';
import type { BalancerKind } from '../../sim/scenario/types.js';

/** Two roles: role 0 = agents 0–3, role 1 = agents 4–13. */
const roles = [
  { first: 0, count: 4 },
  { first: 4, count: 10 },
];

function view(outstanding: number[] = [], ineligible: number[] = [], latency: number[] = []): BalancerView {
  const out = new Int32Array(14);
  outstanding.forEach((v, i) => (out[i] = v));
  const roleOut = new Int32Array(2);
  for (let a = 0; a < 14; a++) roleOut[a < 4 ? 0 : 1]! += out[a]!;
  const lat = new Float64Array(14);
  latency.forEach((v, i) => (lat[i] = v));
  const bad = new Set(ineligible);
  return { outstanding: out, roleOutstanding: roleOut, latencyMs: (a) => lat[a]!, eligible: (a) => !bad.has(a) };
}

function counts(kind: BalancerKind, v: BalancerView, n: number, role = 1, sender = 0): number[] {
  const b = createBalancer(kind, roles, v, 20);
  const rng = new Stream(3, 4);
  const c = new Array(14).fill(0);
  for (let i = 0; i < n; i++) c[b.pick(role, sender, i, rng)]!++;
  return c;
}

test('random spreads picks uniformly over the role and skips ineligible replicas', () => {
  const c = counts('random', view([], [5]), 90_000);
  assert.is(c[5]!, 0);
  assert.is(c.slice(0, 4).reduce((s, x) => s + x, 0), 0, 'never picks another role');
  // With 5 ineligible, its share goes to 6: expected 2/10 there, 1/10 elsewhere.
  assert.ok(Math.abs(c[6]! / 90_000 - 0.2) < 0.01, `agent 6: ${c[6]!}`);
  for (const a of [4, 7, 8, 9, 10, 11, 12, 13]) assert.ok(Math.abs(c[a]! / 90_000 - 0.1) < 0.01, `agent ${a}: ${c[a]!}`);
});

test('round-robin cycles through the replicas, per sender, skipping ineligible ones', () => {
  const b = createBalancer('round-robin', roles, view([], [1]), 20);
  const rng = new Stream(1, 1);
  const seq = Array.from({ length: 6 }, () => b.pick(0, 3, 0, rng));
  // Agent 1 is skipped; the rotation visits 0, 2, 3 in some starting phase.
  assert.equal([...seq.slice(0, 3)].sort(), [0, 2, 3]);
  assert.equal(seq.slice(3), seq.slice(0, 3));
  // Another sender keeps its own rotation.
  const other = b.pick(0, 4, 0, rng);
  assert.ok([0, 2, 3].includes(other));
  const c = counts('round-robin', view(), 10_000, 1, 2);
  for (let a = 4; a < 14; a++) assert.is(c[a]!, 1000);
});

test('least-request takes the fewest outstanding, ties broken at random', () => {
  const c = counts('least-request', view([0, 0, 0, 0, 5, 1, 3, 1, 9, 9, 9, 9, 9, 9]), 20_000);
  assert.is(c[5]! + c[7]!, 20_000);
  assert.ok(Math.abs(c[5]! - c[7]!) < 600, `ties split evenly: ${c[5]!} vs ${c[7]!}`);
  const skip = counts('least-request', view([0, 0, 0, 0, 5, 1, 3, 1, 9, 9, 9, 9, 9, 9], [5, 7]), 100);
  assert.is(skip[6]!, 100);
});

test('p2c picks the less loaded of two distinct random replicas', () => {
  // Role 0: agent 0 idle, the others loaded. Agent 0 wins whenever it is one
  // of the two drawn: P = 1 − C(3,2)/C(4,2) = 1/2.
  const c = counts('p2c', view([0, 10, 10, 10]), 40_000, 0);
  assert.ok(Math.abs(c[0]! / 40_000 - 0.5) < 0.01, `agent 0 share ${c[0]! / 40_000}`);
  // The most loaded replica never wins against a less loaded one.
  const d = counts('p2c', view([1, 2, 3, 9]), 40_000, 0);
  assert.is(d[3]!, 0);
});

test('peak-ewma weighs latency by outstanding requests', () => {
  // Agent 1 is fast but busy (1 × 11 = 11), agent 0 slow and idle (20 × 1 = 20):
  // in a pair, agent 1 wins.
  const c = counts('peak-ewma', view([0, 10, 50, 50], [], [20, 1, 100, 100]), 30_000, 0);
  assert.ok(c[1]! > c[0]!, `${c[1]!} vs ${c[0]!}`);
  assert.is(c[2]! + c[3]! < c[0]! + c[1]!, true);
});

test('peak-ewma: a replica not yet observed is tried first while idle, and avoided once it holds a request', () => {
  // Agent 3 has no estimate: idle, it costs 0 and wins every pair it is in.
  const idle = counts('peak-ewma', view([1, 1, 1, 0], [], [5, 5, 5, 0]), 30_000, 0);
  assert.ok(Math.abs(idle[3]! / 30_000 - 0.5) < 0.02, `in half the pairs: ${idle[3]!}`);
  // Holding one request it costs more than any observed replica (Finagle's penalty), however busy they are.
  const busy = counts('peak-ewma', view([40, 40, 40, 1], [], [50, 50, 50, 0]), 30_000, 0);
  assert.is(busy[3]!, 0);
});

test('consistent-hash maps a key to one replica, spreads keys, and bounds the load', () => {
  const v = view();
  const b = createBalancer('consistent-hash', roles, v, 20);
  const rng = new Stream(1, 1);
  const first = b.pick(1, 0, 12345, rng);
  for (let i = 0; i < 10; i++) assert.is(b.pick(1, 7, 12345, rng), first, 'same key, same replica');
  const c = counts('consistent-hash', v, 50_000);
  for (let a = 4; a < 14; a++) assert.ok(c[a]! > 2000 && c[a]! < 8000, `agent ${a} got ${c[a]!} of 50,000`);
  // Over the bound (1.25 × mean load), the key moves on to the next replica.
  const out = new Array(14).fill(0);
  out[first] = 100;
  const loaded = createBalancer('consistent-hash', roles, view(out), 20);
  assert.is.not(loaded.pick(1, 0, 12345, rng), first);
});

test('every balancer returns -1 when no replica is eligible', () => {
  for (const kind of ['random', 'round-robin', 'least-request', 'p2c', 'peak-ewma', 'consistent-hash'] as const) {
    const b = createBalancer(kind, roles, view([], [0, 1, 2, 3]), 20);
    assert.is(b.pick(0, 0, 1, new Stream(1, 1)), -1, kind);
  }
});

test.run();
