import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../../sim/runner/index.js';
import type { BalancerKind } from '../../sim/scenario/types.js';
import { scenarioOf } from '../helpers.js';
import { pairedDifferenceCI } from '../../sim/metrics/stats.js';
import { COUNTING_COST, ci, report } from './measure.js';

/**
 * Balancers in the simulator (the unit behaviour of each is in
 * balancers.test.ts). Which replica served a message is not a metric; it is
 * read from the CPU time instead: with a constant service time S and one
 * replica slowed by a factor F, worker time = S · (n + (F − 1) · n_slow), so
 * n_slow = (cpu / S − n) / (F − 1), exactly.
 */
const requestsToSlow = (cpuMs: number, n: number, serviceMs: number, factor: number): number =>
  Math.round((cpuMs / serviceMs - n) / (factor - 1));

test('least-request, p2c and peak-ewma beat round-robin and random on mean and p99 with slow replicas', () => {
  // Ten replicas of one worker, exponential 10 ms; two of them 3× slower.
  // At 250/s, round-robin and random give each slow replica 25/s against a
  // capacity of 33/s (utilisation 0.75) while the fast ones idle at 0.25.
  // Random makes each replica an M/M/1: mean 0.8 · 10/(1 − 0.25) +
  // 0.2 · 30/(1 − 0.75) = 34.7 ms. Round-robin spaces each replica's arrivals
  // (E10/M/1), about 23 ms; the load-aware balancers route around the queues.
  const sc = scenarioOf({
    duration: '30s',
    warmup: '2s',
    roles: { server: { count: 10, workers: 1, service: { dist: 'exp', mean: '10ms' } } },
    workload: [{ pattern: 'poisson', to: 'server', rate: '250/s' }],
    faults: [{ kind: 'slow', target: 'server', fraction: 0.2, factor: 3, at: 0, for: '1h' }],
  });
  const SEEDS = [1, 2, 3, 4, 5];
  const kinds: BalancerKind[] = ['round-robin', 'random', 'least-request', 'p2c', 'peak-ewma'];
  const res: Record<string, { mean: number[]; p99: number[] }> = {};
  for (const balancer of kinds) {
    res[balancer] = { mean: [], p99: [] };
    for (const seed of SEEDS) {
      const m = runScenario(sc, { seed, config: { routing: { balancer } } });
      res[balancer].mean.push(m.latencyMs.mean);
      res[balancer].p99.push(m.latencyMs.p99);
    }
    const r = res[balancer];
    report(`balancer ${balancer}`, {
      meanMs: r.mean.map((x) => x.toFixed(1)).join('/'),
      p99Ms: r.p99.map((x) => x.toFixed(1)).join('/'),
    });
  }
  const random = ci(res['random']!.mean);
  report('random mean 99% CI', { lo: random[0], hi: random[1], mm1Mix: 0.8 * (10 / 0.75) + 0.2 * (30 / 0.25) });
  assert.ok(random[0] <= 34.67 && 34.67 <= random[1], `random: M/M/1 mix 34.7 ms outside the 99% CI ${random} (seeds ${SEEDS})`);
  // Each load-aware balancer beats both blind ones: the paired difference
  // over the seeds (same arrivals and demands: common random numbers) is
  // positive at 99% confidence, for the mean and for the p99.
  for (const smart of ['least-request', 'p2c', 'peak-ewma']) {
    for (const blind of ['round-robin', 'random']) {
      for (const q of ['mean', 'p99'] as const) {
        const d = pairedDifferenceCI(res[blind]![q], res[smart]![q], 0.99);
        report(`${blind} − ${smart} ${q}`, { diffMs: d.meanDiff, lo: d.lo, hi: d.hi });
        assert.ok(d.lo > 0, `${smart} vs ${blind} ${q} (seeds ${SEEDS}): difference CI ${d.lo}–${d.hi} ms`);
      }
    }
  }
});

test('peak-ewma stops sending to a replica that turns slow sooner than p2c', () => {
  // Ten replicas, constant 10 ms; replica 3 becomes 10× slower at 5 s
  // (capacity 10/s). Measured from 5 s (warm-up) over 5 s at 400/s.
  const S = 10;
  const F = 10;
  const RATE = 400;
  const sc = scenarioOf({
    duration: '10s',
    warmup: '5s',
    roles: { server: { count: 10, workers: 1, service: `${S}ms` } },
    workload: [{ pattern: 'poisson', to: 'server', rate: `${RATE}/s` }],
    faults: [{ kind: 'slow', target: 'server', zone: 3, zones: 10, factor: F, at: '5s', for: '1h' }],
    cost: COUNTING_COST,
  });
  const SEEDS = [1, 2, 3];
  const share: Record<string, number[]> = {};
  for (const balancer of ['round-robin', 'p2c', 'peak-ewma'] as const) {
    share[balancer] = SEEDS.map((seed) => {
      const m = runScenario(sc, { seed, config: { routing: { balancer } } });
      assert.is(m.messages.delivered, m.messages.generated);
      return requestsToSlow(m.cost.cpu, m.messages.delivered, S, F) / m.messages.delivered;
    });
    report(`slow replica share ${balancer}`, { share: share[balancer].map((x) => x.toFixed(4)).join('/') });
  }
  // Round-robin keeps sending it a tenth.
  for (const x of share['round-robin']!) assert.ok(Math.abs(x - 0.1) < 0.005);
  // p2c sends it work until its queue is longer than another's: about its
  // capacity, 10/s of 400/s = 2.5%.
  const [lo, hi] = ci(share['p2c']!);
  report('p2c share 99% CI', { lo, hi, capacityShare: 1 / (F * S) / (RATE / 1000) });
  // peak-ewma sees one slow answer and then avoids it: only the requests sent
  // before the first slow answer came back (400/s × 1/10 × 100 ms ≈ 4).
  SEEDS.forEach((seed, i) => {
    const e = share['peak-ewma']![i]!;
    const p = share['p2c']![i]!;
    assert.ok(e * 5 < p, `seed ${seed}: peak-ewma ${e} vs p2c ${p}`);
    assert.ok(p > 0.5 * (1 / (F * S) / (RATE / 1000)), `seed ${seed}: p2c ${p}`);
  });
});

test('consistent-hash keeps a key on one replica; round-robin spreads it', () => {
  // One key, one client at a time (closed, 5 ms think): the bounded load never
  // moves the key. Each of 4 replicas in turn is marked 3× slower, and the
  // CPU time tells how many of the messages it served.
  const S = 2;
  const F = 3;
  const served = (balancer: BalancerKind, zone: number): { n: number; slow: number } => {
    const sc = scenarioOf({
      duration: '10s',
      roles: { server: { count: 4, workers: 1, service: `${S}ms` } },
      workload: [{ pattern: 'closed', clients: 1, think: '5ms', to: 'server', keys: 1 }],
      faults: [{ kind: 'slow', target: 'server', zone, zones: 4, factor: F, at: 0, for: '1h' }],
      cost: COUNTING_COST,
    });
    const m = runScenario(sc, { seed: 4, config: { routing: { balancer } } });
    return { n: m.messages.delivered, slow: requestsToSlow(m.cost.cpu, m.messages.delivered, S, F) };
  };
  const hash = [0, 1, 2, 3].map((z) => served('consistent-hash', z));
  const rr = [0, 1, 2, 3].map((z) => served('round-robin', z));
  report('consistent-hash per replica', { served: hash.map((x) => `${x.slow}/${x.n}`).join(' ') });
  report('round-robin per replica', { served: rr.map((x) => `${x.slow}/${x.n}`).join(' ') });
  // Exactly one replica served every message of the key, the others none.
  assert.is(hash.filter((x) => x.slow === x.n).length, 1);
  assert.is(hash.filter((x) => x.slow === 0).length, 3);
  // Round-robin: a quarter each (±1 for where the rotation starts).
  for (const x of rr) assert.ok(Math.abs(x.slow - x.n / 4) <= 1, `${x.slow} of ${x.n}`);
});

test.run();
