import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../../sim/runner/index.js';
import type { Metrics } from '../../sim/metrics/types.js';
import type { MeshConfig } from '../../sim/scenario/types.js';
import { scenarioOf } from '../helpers.js';
import { report } from './measure.js';

/**
 * One of five replicas is down for the whole run. Requests sent to it vanish
 * (a crashed agent answers nothing), so each such call costs a 100 ms per-try
 * timeout and a retry. Service takes 5–15 ms, far below the timeout, so every
 * timeout — every retry, and every message lost to `timeout` — is a call that
 * hit the crashed replica. Outlier ejection and the circuit breaker should
 * take it out of rotation after a handful of failures.
 */
const SEED = 3;
const RATE = 200;
const sc = scenarioOf({
  duration: '60s',
  roles: { server: { count: 5, workers: 4, service: { dist: 'uniform', min: '5ms', max: '15ms' } } },
  workload: [{ pattern: 'poisson', to: 'server', rate: `${RATE}/s`, reply: true }],
  faults: [{ kind: 'crash', target: 'server', zone: 0, zones: 5, at: 0, for: '1h' }],
});

const base: MeshConfig = { timeout: { perTry: 100 }, retry: { maxAttempts: 3 } };

function run(extra: MeshConfig): Metrics {
  return runScenario(sc, { seed: SEED, config: { ...base, ...extra } });
}

/** Calls that reached the crashed replica: each failed attempt is a retry or, on the last attempt, a loss. */
const hits = (m: Metrics): number => m.retries + m.messages.lost.timeout;

test('without ejection a fifth of all attempts hit the crashed replica', () => {
  const m = run({});
  const n = m.messages.generated;
  // Round-robin from one client: each attempt hits it with probability 1/5,
  // so retries ≈ n (1/5 + 1/25) and losses (three hits) ≈ n / 125.
  const expRetries = n * (1 / 5 + 1 / 25);
  const sd = Math.sqrt(expRetries);
  report('crash none', { generated: n, retries: m.retries, expected: expRetries, lostTimeout: m.messages.lost.timeout, expectedLost: n / 125, p99: m.latencyMs.p99 });
  assert.ok(Math.abs(m.retries - expRetries) < 4 * sd, `retries ${m.retries} vs ${expRetries} (seed ${SEED})`);
  assert.ok(Math.abs(m.messages.lost.timeout - n / 125) < 4 * Math.sqrt(n / 125), `lost ${m.messages.lost.timeout} (seed ${SEED})`);
});

test('outlier ejection and the breaker cut the calls sent to the crashed replica', () => {
  const none = run({});
  const outlier = run({ outlier: {} });
  const breaker = run({ breaker: {} });
  report('crash hits', {
    none: hits(none),
    outlier: hits(outlier),
    breaker: hits(breaker),
    factorOutlier: hits(none) / hits(outlier),
    factorBreaker: hits(none) / hits(breaker),
    breakerOpens: breaker.breakerOpens,
  });
  report('crash latency', {
    p99None: none.latencyMs.p99,
    p99Outlier: outlier.latencyMs.p99,
    p99Breaker: breaker.latencyMs.p99,
    deliveryNone: none.deliveryRatio,
    deliveryOutlier: outlier.deliveryRatio,
    deliveryBreaker: breaker.deliveryRatio,
  });
  // Outlier ejection: 5 consecutive errors eject it for 30 s, so a 60 s run
  // pays a few handfuls of calls — each ejection round costs 5 errors plus
  // the calls already in flight during the 100 ms it takes to see them
  // (RATE / 5 per second × 0.1 s ≈ 4 more).
  const ejectionRounds = Math.ceil(60_000 / 30_000) + 1;
  assert.ok(hits(outlier) <= ejectionRounds * (5 + (RATE / 5) * 0.1 * 2), `outlier: ${hits(outlier)} hits (seed ${SEED})`);
  // Breaker: 20 failed calls to trip, then 3 probes after each 5 s open
  // period, plus the calls in flight when it trips (≈ 4, allowing twice that).
  const cycles = 60_000 / 5_000;
  assert.ok(hits(breaker) <= 20 + (RATE / 5) * 0.1 * 2 + 3 * cycles, `breaker: ${hits(breaker)} hits (seed ${SEED})`);
  assert.ok(breaker.breakerOpens >= cycles - 1, `breaker opened ${breaker.breakerOpens} times`);
  // Each is at least ten times better than no protection.
  assert.ok(hits(none) >= 10 * hits(outlier));
  assert.ok(hits(none) >= 10 * hits(breaker));
  // And the tail no longer pays the 100 ms timeout.
  assert.ok(outlier.latencyMs.p99 < 20 && breaker.latencyMs.p99 < 20, 'p99 back to the service time');
  assert.ok(none.latencyMs.p99 > 100, 'without, p99 pays a timeout');
});

test.run();
