import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assembleMetrics } from '../../sim/metrics/assemble.js';
import { compileScenario, simulateRaw } from '../../sim/model/index.js';
import { scenarioOf, withoutEngine } from '../helpers.js';

// Per-replica tallies (metrics/ReplicaDetail): recorded only when a run asks,
// consistent with the role totals, and without any effect on the run itself.

const mesh = scenarioOf({
  duration: '20s',
  warmup: '2s',
  seed: 3,
  roles: {
    front: { count: 2, workers: 2, service: { dist: 'exp', mean: '2ms' } },
    store: { count: 3, workers: 1, service: { dist: 'exp', mean: '5ms' } },
  },
  workload: [{ pattern: 'poisson', to: 'front', then: ['store'], rate: '300/s', reply: { size: '1KB' } }],
  faults: [{ kind: 'slow', target: 'store', count: 1, factor: 4, at: '8s', for: '5s' }],
  config: { timeout: { perTry: '200ms' }, retry: { maxAttempts: 2 } },
});

const metricsOf = (raw: ReturnType<typeof simulateRaw>) =>
  withoutEngine(
    assembleMetrics(raw, { scenario: 'x', seed: 1, config: {}, roles: mesh.roles, warmupMs: mesh.warmup, durationMs: mesh.duration, cost: mesh.cost }, { events: raw.events, wallMs: 0, eventsPerSec: 0, peakRssMB: 0 }, true),
  );

test('off unless asked; asked, it changes nothing the run measures', () => {
  const c = compileScenario(mesh);
  const plain = simulateRaw(c, mesh.config, 5);
  assert.is(plain.replicas, null);
  const detailed = simulateRaw(c, mesh.config, 5, { slowMs: 30 });
  assert.ok(detailed.replicas !== null);
  assert.equal(metricsOf(detailed), metricsOf(plain));
});

test('per-replica busy time adds up to the role timeline; deliveries and slow messages add up to the run', () => {
  const c = compileScenario(mesh);
  const raw = simulateRaw(c, mesh.config, 5, { slowMs: 0 });
  const d = raw.replicas!;
  const t = raw.counters.timeline;
  assert.is(d.buckets, t.buckets);
  c.roles.forEach((role, r) => {
    for (let b = 0; b < t.buckets; b++) {
      let sum = 0;
      for (let a = role.first; a < role.first + role.count; a++) sum += d.busyMs[a * d.buckets + b]!;
      assert.ok(Math.abs(sum - t.busyMs[r * t.buckets + b]!) < 1e-6, `${role.name} bucket ${b}`);
    }
  });
  const total = (xs: Float64Array): number => xs.reduce((s, x) => s + x, 0);
  assert.is(total(d.delivered), raw.counters.delivered);
  // With a 0 ms threshold every delivered message is slow, and each stayed at some agent.
  assert.is(total(d.slowAll), raw.counters.delivered);
  assert.is(total(d.slow), raw.counters.delivered);
  // The slow fault's victim is known; the other faults none.
  assert.is(d.victims.length, 1);
  assert.is(d.victims[0]!.length, 1);
  assert.is(c.roleOf[d.victims[0]![0]!], 1, 'a store replica');
});

test('the buffer tally is the time-average queue: M/M/1 at ρ = 0.8 waits ρ²/(1 − ρ) = 3.2 on average', () => {
  const mm1 = scenarioOf({
    duration: '400s',
    warmup: '0s',
    roles: { server: { count: 1, service: { dist: 'exp', mean: '1ms' } } },
    workload: [{ pattern: 'poisson', to: 'server', rate: '800/s' }],
  });
  const raw = simulateRaw(compileScenario(mm1), {}, 9, { slowMs: 1e9 });
  const d = raw.replicas!;
  const waiting = d.waitMs.reduce((s, x) => s + x, 0) / mm1.duration;
  assert.ok(Math.abs(waiting - 3.2) / 3.2 < 0.05, `mean queue ${waiting}`);
  assert.is(d.slowAll.reduce((s, x) => s + x, 0), 0, 'no message is slower than 10⁹ ms');
});

test.run();
