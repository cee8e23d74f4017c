import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Stream } from '../../sim/engine/rng.js';
import { LatencyHistogram } from '../../sim/metrics/histogram.js';
import { DEFAULT_EFFORT, judge, lookAlpha, looksOf, sectioningInterval } from '../../sim/plan/decision.js';
import type { ProbeStats } from '../../sim/plan/probe-stats.js';

/** Probe figures from per-seed p99s (pooled taken as their mean) and delivery ratios. */
function stats(p99: number[], delivery: number[] = p99.map(() => 1)): ProbeStats {
  return {
    pooledP99: p99.reduce((s, x) => s + x, 0) / p99.length,
    pooledP95: NaN,
    meanP99: p99.reduce((s, x) => s + x, 0) / p99.length,
    perSeedP99: p99,
    pooledDelivery: delivery.reduce((s, x) => s + x, 0) / delivery.length,
    perSeedDelivery: delivery,
    utilization: {},
    costPerDelivered: 0,
    replications: [],
  };
}

test('looks double from the first to the last, and the error is split evenly over them', () => {
  assert.equal(looksOf(DEFAULT_EFFORT), [4, 8, 16]);
  assert.equal(looksOf({ ...DEFAULT_EFFORT, initialReplications: 3, maxReplications: 10 }), [3, 6, 10]);
  assert.equal(looksOf({ ...DEFAULT_EFFORT, initialReplications: 5, maxReplications: 5 }), [5]);
  // 95% two-sided: 2.5% per end, over three looks.
  assert.ok(Math.abs(lookAlpha(DEFAULT_EFFORT) - 0.025 / 3) < 1e-15);
});

test('sectioning interval: pooled centre, spread of the seeds, Student t', () => {
  // Seeds 10, 12, 14, 16: s = √(20/3), s/√4 = 1.2910; t(0.975, 3) = 3.1824.
  const ci = sectioningInterval(13.5, [10, 12, 14, 16], 0.025)!;
  assert.ok(Math.abs(ci[0] - (13.5 - 3.18245 * 1.29099)) < 1e-3, String(ci));
  assert.ok(Math.abs(ci[1] - (13.5 + 3.18245 * 1.29099)) < 1e-3, String(ci));
  assert.is(sectioningInterval(1, [1], 0.025), null, 'one seed has no spread');
});

test('a probe meets only when its interval lies under the SLO, breaks only when above', () => {
  const alpha = lookAlpha(DEFAULT_EFFORT);
  const slo = { p99Ms: 100, deliveryRatio: null };
  assert.is(judge(stats([80, 82, 81, 79]), slo, alpha).verdict, 'meets');
  assert.is(judge(stats([120, 121, 119, 122]), slo, alpha).verdict, 'breaks');
  // Mean 98 below the SLO, but the interval reaches over it: undecided, not "meets".
  assert.is(judge(stats([90, 106, 92, 104]), slo, alpha).verdict, 'undecided');
  assert.is(judge(stats([95, 110, 97, 108]), slo, alpha).verdict, 'undecided');
  // Identical seeds still carry the histogram's error: a p99 0.5% under the SLO is not shown to meet it.
  const j = judge(stats([99.5, 99.5, 99.5, 99.5]), slo, alpha);
  assert.is(j.verdict, 'undecided');
  assert.ok(Math.abs(j.p99Ci![1] - 99.5 * (1 + LatencyHistogram.RELATIVE_ERROR)) < 1e-9);
  // A seed that delivered nothing breaks a p99 SLO outright.
  assert.is(judge(stats([80, Infinity, 81, 79]), slo, alpha).verdict, 'breaks');
});

test('delivery and p99 together: one broken SLO breaks the probe; meeting needs both', () => {
  const alpha = lookAlpha(DEFAULT_EFFORT);
  const slo = { p99Ms: 100, deliveryRatio: 0.99 };
  assert.is(judge(stats([80, 81, 82, 79], [1, 1, 1, 1]), slo, alpha).verdict, 'meets');
  assert.is(judge(stats([80, 81, 82, 79], [0.95, 0.96, 0.95, 0.94]), slo, alpha).verdict, 'breaks');
  assert.is(judge(stats([80, 81, 82, 79], [0.99, 0.995, 0.98, 1]), slo, alpha).verdict, 'undecided');
  assert.is(judge(stats([150, 151, 149, 152], [0.99, 0.995, 0.98, 1]), slo, alpha).verdict, 'breaks');
});

/** Sequential looks as the prober takes them, on normal per-seed p99s with mean `mu`. */
function sequentialVerdict(rng: Stream, mu: number, sigma: number): string {
  const alpha = lookAlpha(DEFAULT_EFFORT);
  const xs: number[] = [];
  let verdict = 'undecided';
  for (const size of looksOf(DEFAULT_EFFORT)) {
    while (xs.length < size) {
      // Box–Muller.
      const u = 1 - rng.next();
      xs.push(mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next()));
    }
    verdict = judge(stats(xs), { p99Ms: 100, deliveryRatio: null }, alpha).verdict;
    if (verdict !== 'undecided') break;
  }
  return verdict;
}

test('with looks at 4, 8 and 16 seeds, a verdict at a load right on the SLO is wrong at most 2.5% of the time', () => {
  // True p99 exactly at the SLO: "meets" and "breaks" are each an error the rule
  // bounds by α = 2.5% over all looks (Bonferroni). 6,000 probes: SE ≈ 0.2%.
  const rng = new Stream(11, 1);
  const n = 6000;
  let meets = 0;
  let breaks = 0;
  for (let i = 0; i < n; i++) {
    const v = sequentialVerdict(rng, 100, 10);
    if (v === 'meets') meets++;
    if (v === 'breaks') breaks++;
  }
  assert.ok(meets / n <= 0.025, `false "meets" ${(meets / n) * 100}%`);
  assert.ok(breaks / n <= 0.025, `false "breaks" ${(breaks / n) * 100}%`);
  // And the rule decides loads clearly away from the SLO: 10% above, σ 10% per seed.
  let decided = 0;
  for (let i = 0; i < 1000; i++) if (sequentialVerdict(rng, 110, 10) === 'breaks') decided++;
  assert.ok(decided / 1000 > 0.8, `decided ${decided / 10}% of the loads 10% over the SLO`);
});

test.run();
