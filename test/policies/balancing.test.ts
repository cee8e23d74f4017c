import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../../sim/runner/index.js';
import type { BalancerKind } from '../../sim/scenario/types.js';
import { scenarioOf } from '../helpers.js';
import { compileScenario, simulateRaw } from '../../sim/model/index.js';
import { mergeConfig } from '../../sim/scenario/index.js';
import type { Scenario } from '../../sim/scenario/types.js';
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

/** Per replica of the one role: worker time from `fromMs` to the end, ms. */
function busyFrom(sc: Scenario, balancer: BalancerKind, seed: number, fromMs: number): number[] {
  const config = mergeConfig(sc.config, { routing: { balancer } });
  const raw = simulateRaw(compileScenario(sc, config), config, seed, { slowMs: 1000 });
  const d = raw.replicas!;
  const first = Math.floor(fromMs / d.bucketMs);
  return Array.from({ length: d.agents }, (_, a) => {
    let ms = 0;
    for (let b = first; b < d.buckets; b++) ms += d.busyMs[a * d.buckets + b]!;
    return ms;
  });
}

test('peak-ewma sends work again to a replica whose slow spell is over, once its estimate has decayed', () => {
  // Four replicas of one worker, 10 ms; replica 1 is 100× slower from 5 s
  // to 7 s. Its estimate jumps to its slow answers (a second and more), far
  // above anything the others' queues reach, and decays with a 10 s time
  // constant while it is weighed: below the others' 10–20 ms cost some 40 s
  // later. From 60 s on it serves its share again; an estimate that decayed
  // only when the replica answered would keep it idle for good.
  const sc = scenarioOf({
    duration: '90s',
    warmup: '1s',
    roles: { server: { count: 4, workers: 1, service: '10ms' } },
    workload: [{ pattern: 'poisson', to: 'server', rate: '200/s' }],
    faults: [{ kind: 'slow', target: 'server', zone: 1, zones: 4, factor: 100, at: '5s', for: '2s' }],
  });
  for (const seed of [1, 2, 3]) {
    const busy = busyFrom(sc, 'peak-ewma', seed, 60_000);
    const others = (busy[0]! + busy[2]! + busy[3]!) / 3;
    report(`peak-ewma busy ms from 60 s, seed ${seed}`, { replica1: busy[1]!.toFixed(0), othersMean: others.toFixed(0) });
    assert.ok(busy[1]! > 0.5 * others, `seed ${seed}: replica 1 ${busy[1]!.toFixed(0)} ms vs ${others.toFixed(0)} ms the others`);
  }
});

test('peak-ewma does not pour work into a crashed replica: its timed-out tries count as slow answers', () => {
  // Four replicas; replica 2 crashed from 2 s to the end. Every try sent to it
  // times out after 100 ms and is retried. The estimates of the others decay
  // towards 0 between answers as the dead one's would: without its timeouts
  // observed, its estimate would decay below theirs and each pick with it in
  // the pair would send it a try. With them it takes a try now and then.
  const sc = scenarioOf({
    duration: '40s',
    warmup: '5s',
    roles: { server: { count: 4, workers: 1, service: { dist: 'exp', mean: '10ms' } } },
    workload: [{ pattern: 'poisson', to: 'server', rate: '150/s', reply: { size: '1KB' } }],
    faults: [{ kind: 'crash', target: 'server', zone: 2, zones: 4, at: '2s', for: '1h' }],
    config: { timeout: { perTry: '100ms' }, retry: { maxAttempts: 3, base: '1ms' } },
  });
  for (const seed of [1, 2, 3]) {
    const m = runScenario(sc, { seed, config: mergeConfig(sc.config, { routing: { balancer: 'peak-ewma' } }) });
    const p2c = runScenario(sc, { seed, config: mergeConfig(sc.config, { routing: { balancer: 'p2c' } }) });
    report(`crashed replica, seed ${seed}`, { peakEwmaRetries: m.retries, p2cRetries: p2c.retries, delivered: m.messages.delivered, p2cDelivered: p2c.messages.delivered, generated: m.messages.generated });
    // p2c avoids it only while a try to it is outstanding; peak-ewma also while its 100 ms timeout, decaying, weighs more than the others' answers.
    assert.ok(m.retries < 0.75 * p2c.retries, `seed ${seed}: ${m.retries} retries vs p2c ${p2c.retries}`);
    assert.ok(m.messages.delivered >= p2c.messages.delivered, `seed ${seed}: ${m.messages.delivered} delivered vs p2c ${p2c.messages.delivered}`);
  }
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
