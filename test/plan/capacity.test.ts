import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planLoad, planRole, scaleLoad, offeredRate } from '../../sim/plan/index.js';
import { scenarioOf } from '../helpers.js';

const mm1 = scenarioOf({
  duration: '100s',
  warmup: '5s',
  roles: { server: { count: 1, service: { dist: 'exp', mean: '1ms' } } },
  workload: [{ pattern: 'poisson', to: 'server', rate: '500/s' }],
  slo: { p99: '23ms' },
});

test('scaleLoad scales every kind of workload and nothing else', () => {
  const sc = scenarioOf({
    duration: '10s',
    roles: { a: { count: 1, service: '1ms' } },
    workload: [
      { pattern: 'poisson', to: 'a', rate: '100/s' },
      { pattern: 'bursty', to: 'a', rate: '10/s', burstRate: '50/s', meanBurst: '1s', meanGap: '4s' },
      { pattern: 'closed', to: 'a', clients: 10, think: '1s' },
    ],
  });
  const x = scaleLoad(sc, 2);
  assert.equal(
    x.workload.map((w) => (w.pattern === 'poisson' ? w.rate : w.pattern === 'bursty' ? [w.rate, w.burstRate] : w.pattern === 'closed' ? w.clients : 0)),
    [200, [20, 100], 20],
  );
  assert.is(x.duration, sc.duration);
  // The MMPP's stationary mean: (10·4 + 50·1) / 5 = 18/s, plus 100/s.
  assert.ok(Math.abs(offeredRate(sc) - 118) < 1e-9);
});

test('load plan of an M/M/1 finds the rate where the p99 meets its SLO', async () => {
  // p99 of an M/M/1 sojourn is ln(100)/(μ − λ) ≤ 23 ms ⇔ λ ≤ 1 − ln(100)/23 ≈ 0.80 per ms:
  // 1.60 × the scenario's 0.5 per ms.
  const limit = (1 - Math.log(100) / 23) / 0.5;
  const r = await planLoad(mm1, { config: {}, seed: 1, slo: { p99Ms: 23, deliveryRatio: null }, levers: false });
  assert.ok(r.answer !== null);
  const [low, high] = r.interval;
  assert.ok(low !== null && high !== null && low <= limit && limit <= high, `interval [${low}, ${high}], theory × ${limit}`);
  assert.ok(Math.abs(r.answer! - limit) / limit < 0.06, `answer × ${r.answer}, theory × ${limit}`);
  assert.ok(r.probes.some((p) => p.verdict === 'breaks'), 'it probed past the limit');
});

test('role plan finds the fewest replicas that keep the SLO', async () => {
  // 3 per ms over single-worker replicas of μ = 1 per ms: 3 replicas are
  // saturated, 4 carry 0.75 each (p99 below 23 ms even as M/M/1: 18.4 ms).
  const sc = scenarioOf({
    duration: '20s',
    warmup: '2s',
    roles: { server: { count: 8, service: { dist: 'exp', mean: '1ms' } } },
    workload: [{ pattern: 'poisson', to: 'server', rate: '3000/s' }],
    slo: { p99: '23ms' },
  });
  const r = await planRole(sc, 'server', { config: {}, seed: 1, slo: { p99Ms: 23, deliveryRatio: null } });
  assert.is(r.answer, 4);
  assert.equal(r.interval, [4, 4]);
  assert.equal(
    r.probes.map((p) => p.x),
    [...new Set(r.probes.map((p) => p.x))],
    'no count probed twice',
  );
  assert.is(r.probes.find((p) => p.x === 3)?.verdict, 'breaks');
});

test.run();
