import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../../sim/runner/index.js';
import { scenarioOf } from '../helpers.js';
import { COUNTING_COST, binomialSd, report } from './measure.js';

test('a per-try timeout triggers a retry for every try slower than it', () => {
  // Request–reply to replicas with ample workers (no queueing): a try takes
  // its exponential service time, mean 10 ms. With a 30 ms per-try timeout
  // and an immediate retry, a fraction P(S > 30) = e^−3 of messages retry.
  const SEED = 1;
  const sc = scenarioOf({
    duration: '60s',
    warmup: '1s',
    roles: { server: { count: 2, workers: 100, service: { dist: 'exp', mean: '10ms' } } },
    workload: [{ pattern: 'poisson', to: 'server', rate: '200/s', reply: true }],
  });
  const plain = runScenario(sc, { seed: SEED });
  const m = runScenario(sc, { seed: SEED, config: { timeout: { perTry: 30 }, retry: { maxAttempts: 3, base: 0 } } });
  const n = m.messages.generated;
  const p = Math.exp(-3);
  report('per-try timeout', {
    generated: n,
    retries: m.retries,
    expected: n * p,
    duplicates: m.messages.duplicates,
    p99Before: plain.latencyMs.p99,
    p99After: m.latencyMs.p99,
    maxBefore: plain.latencyMs.max,
    maxAfter: m.latencyMs.max,
  });
  assert.is(plain.retries, 0);
  // A second timeout needs the first try still running at 60 ms and the
  // retry slower than 30 ms: e^−6 · e^−3 ≈ 1e-4 of messages; within the noise.
  assert.ok(Math.abs(m.retries - n * p) < 4 * binomialSd(n, p), `retries ${m.retries} vs ${n * p} (seed ${SEED})`);
  // Every message is still delivered; the slow first try answers late and is a duplicate.
  assert.is(m.messages.delivered, n);
  assert.ok(Math.abs(m.messages.duplicates - m.retries) <= m.retries * 0.02);
  // The tail is cut: a message waits at most 30 ms plus a fresh try.
  assert.ok(m.latencyMs.p99 < plain.latencyMs.p99);
});

test('an overall deadline drops expired messages at the next stage as lost.timeout', () => {
  // A two-stage pipeline: `a` is fast (1 ms, ample workers), `b` is one
  // worker at 10 ms fed 120/s — 20% over its capacity. Without a deadline
  // b's queue grows all run long; with a 200 ms deadline, messages that
  // expire while waiting at b are dropped there, unserved.
  const SEED = 1;
  const sc = scenarioOf({
    duration: '20s',
    warmup: '2s',
    roles: { a: { count: 2, workers: 50, service: '1ms' }, b: { count: 1, workers: 1, service: '10ms' } },
    links: { latency: '1ms' },
    workload: [{ pattern: 'poisson', to: 'a', then: ['b'], rate: '120/s' }],
    cost: COUNTING_COST,
  });
  const none = runScenario(sc, { seed: SEED });
  const m = runScenario(sc, { seed: SEED, config: { timeout: { overall: 200 } } });
  const n = m.messages.generated;
  report('deadline', {
    generated: n,
    lostTimeout: m.messages.lost.timeout,
    delivered: m.messages.delivered,
    maxMs: m.latencyMs.max,
    maxWithout: none.latencyMs.max,
    utilB: m.utilization['b']!,
    cpuMs: m.cost.cpu,
  });
  assert.is(none.messages.lost.timeout, 0);
  assert.ok(none.latencyMs.max > 2_000, 'without a deadline the queue at b grows');
  // With it: no delivered message is older than the deadline plus b's service
  // (+ histogram resolution), and every other message is lost to the deadline.
  assert.ok(m.latencyMs.max <= (200 + 10) * 1.008, `max ${m.latencyMs.max} ms`);
  assert.is(m.messages.delivered + m.messages.lost.timeout, n);
  // Every message was served at a (1 ms each); only delivered ones at b (10 ms
  // each): the expired ones were dropped at b before service.
  assert.ok(Math.abs(m.cost.cpu - (n * 1 + m.messages.delivered * 10)) < 1e-6 * m.cost.cpu, `cpu ${m.cost.cpu}`);
  // b stays saturated and serves exactly 100/s (constant 10 ms): the messages
  // of the 18 s measured window that are delivered are what b could serve in
  // it, ±2% for the 200 ms at its edges; the rest of the offered 120/s expires.
  assert.ok(m.utilization['b']! > 0.99);
  assert.ok(Math.abs(m.messages.delivered - 100 * 18) <= 0.02 * 1800, `delivered ${m.messages.delivered}`);
});

test.run();
