/**
 * The AIMD concurrency limit under a sustained overload keeps the latency of
 * admitted requests near the no-load latency, as the gradient limit does,
 * without throttling below capacity: it backs off when its recent RTT exceeds
 * twice its own service time (RTT minus queue wait), once per window.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../../sim/runner/index.js';
import { scenarioOf } from '../helpers.js';
import { report, windowSum } from './measure.js';

const SERVICE_MS = 10;
const SEED = 1;
const sc = scenarioOf({
  duration: '30s',
  roles: { server: { count: 1, workers: 10, service: { dist: 'exp', mean: `${SERVICE_MS}ms` } } },
  workload: [{ pattern: 'poisson', to: 'server', rate: '1500/s' }],
});

test('aimd limit: admitted latency stays near the no-load latency through a long overload', () => {
  const m = runScenario(sc, { seed: SEED, config: { concurrency: { limit: 'aimd' } }, timeline: true });
  const t = m.timeline!;
  const lat = t.delivered.map((d, i) => d * t.meanLatencyMs[i]!);
  const windowMean = (from: number, to: number): number =>
    windowSum(lat, t.bucketMs, from, to) / windowSum(t.delivered, t.bucketMs, from, to);
  const means = [5_000, 10_000, 15_000, 20_000, 25_000, 30_000].map((to) => windowMean(to - 5_000, to));
  report('aimd', { windowMeansMs: means.map((x) => x.toFixed(0)).join(' '), shedShare: m.messages.lost.shed / m.messages.generated });
  // The rule tolerates RTTs up to 2× the baseline (the no-load RTT, one
  // service time here); allow 5× for the sawtooth around it.
  for (const [i, x] of means.entries()) {
    assert.ok(x < 5 * SERVICE_MS, `window ${i * 5}–${(i + 1) * 5} s: mean admitted latency ${x} ms (seed ${SEED})`);
  }
  // Offered 1,500/s against a capacity of 1,000/s: a third must be shed, and
  // a limiter that sheds much more is wasting the workers.
  const shed = m.messages.lost.shed / m.messages.generated;
  assert.ok(shed < 0.4, `shed share ${shed} (at least 1/3 must go; seed ${SEED})`);
  assert.ok(m.utilization.server! > 0.9, `utilisation ${m.utilization.server} (seed ${SEED})`);
});

test.run();
