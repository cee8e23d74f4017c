/**
 * What an undecided probe's note names: the SLOs whose decision interval
 * straddles their bound, not the p99 alone (a plan whose delivery is within
 * noise of its bound once said "p99 within noise of 150 ms" at a p99 of 25 ms).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { withinNoise } from '../../sim/plan/plan.js';
import type { Probe } from '../../sim/plan/types.js';

const probe = (x: Partial<Probe>): Probe => ({
  x: 1,
  p99Ms: 25,
  p99Ci: [24, 27],
  p99MeanMs: 25,
  deliveryRatio: 0.9945,
  deliveryCi: [0.985, 1],
  utilization: {},
  bottleneck: { role: 'shard', utilization: 0.73 },
  verdict: 'undecided',
  breaks: [],
  meets: false,
  level: 0.983,
  replications: [],
  ...x,
});

test('a delivery interval across its bound is named, a p99 far inside its own is not', () => {
  assert.equal(withinNoise(probe({}), { p99Ms: 150, deliveryRatio: 0.999 }), ['delivery within noise of 99.900%']);
});

test('a p99 interval across its bound is named; both when both straddle', () => {
  assert.equal(withinNoise(probe({ p99Ci: [140, 160], deliveryCi: [0.9995, 1] }), { p99Ms: 150, deliveryRatio: 0.999 }), ['p99 within noise of 150 ms']);
  assert.equal(withinNoise(probe({ p99Ci: [140, 160] }), { p99Ms: 150, deliveryRatio: 0.999 }), ['p99 within noise of 150 ms', 'delivery within noise of 99.900%']);
});

test("a class's bounds are named with the class; an SLO not set, or an interval not measured, is not", () => {
  const p = probe({
    deliveryCi: null,
    classes: { gold: { p99Ms: 190, p99Ci: [180, 210], deliveryRatio: 1, deliveryCi: [0.99, 1], breaks: [] } },
  });
  assert.equal(withinNoise(p, { p99Ms: null, deliveryRatio: 0.999, classes: { gold: { p99Ms: 200, deliveryRatio: null } } }), ['gold p99 within noise of 200 ms']);
});

test.run();
