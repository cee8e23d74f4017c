import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { leversFor, tightestP99 } from '../../sim/plan/levers.js';
import type { ProbeRecord } from '../../sim/plan/prober.js';
import type { PlanSlo } from '../../sim/plan/types.js';
import { scenarioOf } from '../helpers.js';

// Request–reply traffic of two classes through three replicas of `api`.
const sc = scenarioOf({
  duration: '10s',
  roles: { api: { count: 3, workers: 2, service: { dist: 'exp', mean: '20ms' } } },
  workload: [
    { pattern: 'poisson', to: 'api', rate: '50/s', reply: true, class: 'gold' },
    { pattern: 'poisson', to: 'api', rate: '50/s', reply: true, class: 'bronze' },
  ],
});

/** The probe at the lever load, as far as the levers read it: p95 120 ms, api 80% busy. */
const at = {
  probe: { bottleneck: { role: 'api', utilization: 0.8 }, utilization: { api: 0.8 } },
  stats: { pooledP95: 120 },
} as unknown as ProbeRecord;

test('tightestP99: the least of the global bound and the classes’', () => {
  assert.is(tightestP99({ p99Ms: null, deliveryRatio: null }), null);
  assert.is(tightestP99({ p99Ms: 300, deliveryRatio: null, classes: { gold: { p99Ms: 100, deliveryRatio: null }, bronze: { p99Ms: null, deliveryRatio: 0.99 } } }), 100);
  assert.is(tightestP99({ p99Ms: 80, deliveryRatio: null, classes: { gold: { p99Ms: 100, deliveryRatio: null } } }), 80);
});

test('a class-only p99 bound still sets the ejection lever’s timeout and caps the hedge', () => {
  const slo: PlanSlo = { p99Ms: null, deliveryRatio: null, classes: { gold: { p99Ms: 100, deliveryRatio: null } } };
  const levers = leversFor(sc, {}, slo, null, at);
  const eject = levers.find((l) => l.kind === 'outlier-ejection');
  assert.ok(eject !== undefined);
  assert.equal(eject.config.timeout, { perTry: 100 });
  assert.equal(eject.config.retry, { maxAttempts: 2 });
  const hedge = levers.find((l) => l.kind === 'hedge');
  // min(p95 120 ms, half the bound) = 50 ms.
  assert.equal(hedge?.config.hedge, { after: 50 });
});

test('without any p99 bound: ejection without a timeout, a hedge at the p95', () => {
  const levers = leversFor(sc, {}, { p99Ms: null, deliveryRatio: 0.99 }, null, at);
  assert.is(levers.find((l) => l.kind === 'outlier-ejection')?.config.timeout, undefined);
  assert.equal(levers.find((l) => l.kind === 'hedge')?.config.hedge, { after: 120 });
  assert.equal(levers.find((l) => l.kind === 'replicas')?.roles, { api: 4 });
});

test.run();
