/**
 * A recurring crash fault (`mtbf`/`mttr`) is bounded by its `at` and `for`:
 * victims start their up/down cycles at `at`, and whatever is down at
 * `at + for` recovers then.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../../sim/runner/index.js';
import { scenarioOf } from '../helpers.js';
import { expectNear } from './theory.js';

const SEED = 21;

test('recurring crashes bounded by at/for: losses only inside [at, at + for)', () => {
  // 100 replicas, 100/s random-balanced; each replica up Exp(9 s), down
  // Exp(1 s), from 50 s for 20 s, all starting up. The chance a replica is
  // down t s after the start is p(t) = p∞(1 − e^{−(a+b)t}), p∞ = 0.1,
  // a + b = 1/9 + 1 per s, so the window loses λ·∫₀²⁰ p(t) dt on average.
  const sc = scenarioOf({
    duration: '100s',
    roles: { worker: { count: 100, workers: 1, service: { dist: 'exp', mean: '1ms' } } },
    workload: [{ pattern: 'poisson', to: 'worker', rate: '100/s' }],
    faults: [{ kind: 'crash', target: 'worker', fraction: 1, mtbf: '9s', mttr: '1s', at: '50s', for: '20s' }],
    config: { routing: { balancer: 'random' } },
  });
  const m = runScenario(sc, { seed: SEED, timeline: true });
  const tl = m.timeline!;
  const lostAt = (lo: number, hi: number) => tl.lost.slice(lo / tl.bucketMs, hi / tl.bucketMs).reduce((s, x) => s + x, 0);
  assert.is(lostAt(0, 50_000), 0, `seed ${SEED}: nothing lost before the window`);
  assert.is(lostAt(70_000, 100_000), 0, `seed ${SEED}: nothing lost after the window`);
  const r = 1 / 9 + 1;
  const expected = 100 * 0.1 * (20 - (1 - Math.exp(-r * 20)) / r);
  // Down-time variance of the 100 replicas over 20 s, as in crash.test.ts, plus the thinning.
  const sd = Math.sqrt(100 ** 2 * 20 ** 2 * ((2 * 81) / (1000 * 20) / 100) + expected);
  expectNear(`lost in the window, seed ${SEED}`, lostAt(50_000, 70_000), expected, 4 * sd);
});

test.run();
