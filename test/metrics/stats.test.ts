import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  bootstrapRatioOfMediansCI,
  ci95,
  mannWhitneyU,
  mean,
  median,
  normalCdf,
  pairedDifferenceCI,
  quantileSorted,
  studentTCdf,
  studentTQuantile,
  variance,
} from '../../sim/metrics/stats.js';
import { Sampler, Stream, normalQuantile } from '../../sim/engine/index.js';

function close(got: number, want: number, tol: number, what = ''): void {
  assert.ok(Math.abs(got - want) <= tol, `${what} ${got} vs ${want} (tol ${tol})`);
}

test('mean, variance, median, quantileSorted', () => {
  assert.is(mean([1, 2, 3, 4]), 2.5);
  close(variance([2, 4, 4, 4, 5, 5, 7, 9]), 32 / 7, 1e-12);
  // Large offset: the two-pass formula keeps its precision.
  close(variance([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]), 30, 1e-6);
  assert.ok(Number.isNaN(variance([1])));
  assert.ok(Number.isNaN(mean([])));
  assert.is(median([3, 1, 2]), 2);
  assert.is(median([4, 1, 3, 2]), 2.5);
  const s = [10, 20, 30, 40, 50];
  assert.is(quantileSorted(s, 0), 10);
  assert.is(quantileSorted(s, 0.2), 10);
  assert.is(quantileSorted(s, 0.21), 20);
  assert.is(quantileSorted(s, 0.5), 30);
  assert.is(quantileSorted(s, 1), 50);
  // 0.99 · 200000 is 198000.00000000003 in binary; the rank must still be 198000.
  const big = Float64Array.from({ length: 200000 }, (_, i) => i + 1);
  assert.is(quantileSorted(big, 0.99), 198000);
  assert.is(quantileSorted(big, 0.999), 199800);
});

test('Student t quantiles match published tables', () => {
  const table: Array<[number, number, number]> = [
    [0.975, 1, 12.7062],
    [0.975, 2, 4.3027],
    [0.975, 5, 2.5706],
    [0.975, 10, 2.2281],
    [0.975, 30, 2.0423],
    [0.975, 120, 1.9799],
    [0.975, Infinity, 1.95996],
    [0.95, 10, 1.8125],
    [0.995, 3, 5.8409],
    [0.999, 4, 7.1732],
  ];
  for (const [p, df, want] of table) close(studentTQuantile(p, df), want, 1e-4, `t(${p}, ${df})`);
  // Against scipy.stats.t.ppf to full precision.
  close(studentTQuantile(0.975, 10), 2.228138851986274, 1e-10);
  close(studentTQuantile(0.975, 7.5), 2.333039626864974, 1e-10);
  close(studentTQuantile(0.975, 3e4), 1.9600430633839347, 1e-10);
  close(studentTQuantile(0.975, 1e6), 1.959966356814107, 1e-10);
  close(studentTQuantile(1e-6, 3), -103.29946778041935, 1e-7);
  close(studentTQuantile(0.025, 10), -2.228138851986274, 1e-10);
  assert.is(studentTQuantile(0.5, 4), 0);
  // Round trip through the CDF for many df and p.
  for (const df of [1, 2, 3, 4, 7, 19, 50, 400, 5000]) {
    for (const p of [0.001, 0.01, 0.1, 0.3, 0.6, 0.9, 0.975, 0.9999]) {
      close(studentTCdf(studentTQuantile(p, df), df), p, 1e-12 * Math.max(1, p / (1 - p)), `cdf(q(${p}, ${df}))`);
    }
  }
  close(normalCdf(1.959963984540054), 0.975, 1e-15);
  close(normalCdf(-8), 6.22096057427178e-16, 1e-28);
});

test('95% CI covers the true mean in about 95% of 2000 experiments (n = 10)', () => {
  const rng = new Stream(2024, 3);
  const trueMean = 5;
  let covered = 0;
  const xs = new Float64Array(10);
  for (let e = 0; e < 2000; e++) {
    for (let i = 0; i < 10; i++) xs[i] = trueMean + 2 * normalQuantile(rng.next());
    const [lo, hi] = ci95(xs);
    if (lo <= trueMean && trueMean <= hi) covered++;
  }
  const rate = covered / 2000;
  assert.ok(rate >= 0.935 && rate <= 0.965, `coverage ${rate}`);
  assert.equal(ci95([7]), [7, 7]);
  // Hand-computed: mean 3, s = √2.5, t(0.975, 4) = 2.776445 → half width 1.963243.
  const [lo, hi] = ci95([1, 2, 3, 4, 5]);
  close(lo, 3 - 1.963243, 1e-5);
  close(hi, 3 + 1.963243, 1e-5);
});

test('paired difference CI on hand-computed data', () => {
  // d = [2, 1, 0, 1, 3]: mean 1.4, s² = 5.2/4 = 1.3, se = √(1.3/5) = 0.509902,
  // t(0.975, 4) = 2.776445 → half width 1.415700, interval [−0.0157, 2.8157].
  const r = pairedDifferenceCI([10, 12, 9, 11, 13], [8, 11, 9, 10, 10]);
  close(r.meanDiff, 1.4, 1e-12);
  close(r.lo, 1.4 - 2.776445 * Math.sqrt(1.3 / 5), 1e-5);
  close(r.hi, 1.4 + 2.776445 * Math.sqrt(1.3 / 5), 1e-5);
  assert.is(r.significant, false);
  // At 90%: t(0.95, 4) = 2.131847 → [0.3130, 2.4870], significant.
  const r90 = pairedDifferenceCI([10, 12, 9, 11, 13], [8, 11, 9, 10, 10], 0.9);
  close(r90.lo, 1.4 - 2.131847 * Math.sqrt(1.3 / 5), 1e-5);
  assert.is(r90.significant, true);
  // A constant non-zero difference (common random numbers) is significant.
  const c = pairedDifferenceCI([3, 4, 5], [2, 3, 4]);
  assert.equal([c.meanDiff, c.lo, c.hi, c.significant], [1, 1, 1, true]);
  assert.is(pairedDifferenceCI([3], [1]).significant, false);
  assert.throws(() => pairedDifferenceCI([1, 2], [1]), RangeError);
});

test('Mann–Whitney U: textbook example, ties, and the normal approximation', () => {
  // Tortoise and hare (Wikipedia, "Mann–Whitney U test"): finishing order
  // T H H H H H T T T T T H, R_T = 1+7+8+9+10+11 = 46, U_T = 46 − 21 = 25, U_H = 11.
  const T = [1, 7, 8, 9, 10, 11];
  const H = [2, 3, 4, 5, 6, 12];
  const r = mannWhitneyU(T, H);
  assert.is(r.u, 25);
  assert.is(mannWhitneyU(H, T).u, 11);
  assert.is(r.method, 'exact');
  close(r.pTwoSided, 0.30952380952380953, 1e-12); // scipy, method='exact'
  assert.ok(r.z > 0);
  // Another small exact case (scipy: U = 12, p = 0.0721056721).
  const e = mannWhitneyU([0.8, 1.9, 3.1, 4.4, 5.2, 6.0, 7.5], [2.5, 3.9, 5.8, 6.7, 8.0, 8.8, 9.9, 10.5]);
  assert.is(e.u, 12);
  close(e.pTwoSided, 0.0721056721056721, 1e-12);
  // With ties: mid-ranks and the tie-corrected variance (scipy asymptotic: U = 15.5, p = 0.0528184).
  const t = mannWhitneyU([1.1, 2.2, 2.2, 3.5, 4.0, 4.0, 5.1, 6.3], [2.2, 3.0, 4.0, 5.5, 6.3, 7.7, 8.1, 9.0, 9.0]);
  assert.is(t.u, 15.5);
  assert.is(t.method, 'normal');
  close(t.pTwoSided, 0.05281840077054885, 1e-9);
  assert.ok(t.z < 0);
  // U equals the count of pairs a > b (ties ½).
  const a = [0.345584, 0.821618, 0.330437, -1.303157, 0.905356, 0.446375, -0.536953, 0.581118, 0.364572, 0.294132,
    0.028422, 0.546713, -0.736454, -0.16291, -0.482119, 0.598846, 0.039722, -0.292457, -0.781908, -0.257192,
    0.008142, -0.275603, 1.294064, 1.006724, -2.711162, -1.889013, -0.174772, -0.42219, 0.213643, 0.217322];
  const b = [2.617839, -0.612021, 0.122395, 2.542772, 1.146703, 1.163063, -0.014006, -1.148075, 0.667465, 0.609014,
    -0.727352, -0.183227, 0.427956, -0.444752, 0.40173, 0.595483, 0.535586, -0.006292, 1.093748, 1.391167,
    0.820848, -0.31823, 1.231652, -0.00144, 1.379161];
  let pairs = 0;
  for (const x of a) for (const y of b) pairs += x > y ? 1 : x === y ? 0.5 : 0;
  const big = mannWhitneyU(a, b);
  assert.is(big.u, pairs);
  assert.is(big.u, 250); // scipy.stats.mannwhitneyu: U of the first sample = 250
  close(big.pTwoSided, 0.03534059796598986, 1e-9);
});

test('bootstrap ratio-of-medians CI contains the true ratio and is seeded', () => {
  const s = new Sampler({ dist: 'lognormal', mean: 10, cv: 1.5 });
  const rng = new Stream(77, 4);
  const base = Array.from({ length: 300 }, () => s.sample(rng));
  const cand = Array.from({ length: 300 }, () => 1.8 * s.sample(rng)); // medians differ by 1.8×
  const r = bootstrapRatioOfMediansCI(base, cand, { seed: 1 });
  assert.ok(r.lo <= 1.8 && 1.8 <= r.hi, `[${r.lo}, ${r.hi}]`);
  assert.ok(r.lo <= r.ratio && r.ratio <= r.hi);
  assert.ok(r.hi / r.lo < 2, 'interval is informative');
  close(r.ratio, median(cand) / median(base), 0);
  assert.equal(bootstrapRatioOfMediansCI(base, cand, { seed: 1 }), r);
  const other = bootstrapRatioOfMediansCI(base, cand, { seed: 2, resamples: 500 });
  assert.ok(other.lo !== r.lo || other.hi !== r.hi);
  // Identical samples: the ratio is 1 and inside the interval.
  const same = bootstrapRatioOfMediansCI(base, base, { seed: 3 });
  assert.is(same.ratio, 1);
  assert.ok(same.lo < 1 && same.hi > 1);
});

test.run();
