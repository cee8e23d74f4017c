import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LatencyHistogram, cdfPoints } from '../../sim/metrics/histogram.js';
import { quantileSorted } from '../../sim/metrics/stats.js';
import { Sampler, Stream } from '../../sim/engine/index.js';
import type { DistSpec } from '../../sim/engine/index.js';

const QS = [0.5, 0.9, 0.99, 0.999];

function relErr(got: number, want: number): number {
  return Math.abs(got - want) / Math.abs(want);
}

function draw(spec: DistSpec, n: number, seed: number): Float64Array {
  const s = new Sampler(spec);
  const rng = new Stream(seed, 1);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = s.sample(rng);
  return xs;
}

test('bucket layout: every bucket is at most 2% wide and its midpoint within 1%', () => {
  let worst = 0;
  for (let i = 0; i < LatencyHistogram.BUCKETS; i++) {
    const lo = LatencyHistogram.bucketLower(i);
    const hi = LatencyHistogram.bucketUpper(i);
    assert.ok((hi - lo) / lo <= 0.02, `bucket ${i} too wide`);
    if (i > 0) assert.is(LatencyHistogram.bucketLower(i), LatencyHistogram.bucketUpper(i - 1));
    // Edges belong to their own bucket: [lo, hi).
    assert.is(LatencyHistogram.bucketIndex(lo), i);
    if (i + 1 < LatencyHistogram.BUCKETS) assert.is(LatencyHistogram.bucketIndex(hi), i + 1);
    // Worst case of |√(lo·hi) − v|/v over v in [lo, hi) is at v = lo.
    worst = Math.max(worst, Math.sqrt(lo * hi) / lo - 1, 1 - Math.sqrt(lo * hi) / hi);
  }
  assert.ok(worst <= LatencyHistogram.RELATIVE_ERROR * (1 + 1e-12));
  assert.ok(LatencyHistogram.RELATIVE_ERROR < 0.01);
  assert.ok(LatencyHistogram.LOWEST <= 1e-6);
  assert.ok(LatencyHistogram.HIGHEST >= 1e10);
});

test('every value lands in the bucket that contains it, and its report is within 1%', () => {
  const rng = new Stream(11, 2);
  for (let k = 0; k < 100000; k++) {
    // log-uniform over [1e-6, 1e10]
    const v = Math.pow(10, -6 + 16 * rng.next());
    const i = LatencyHistogram.bucketIndex(v);
    assert.ok(LatencyHistogram.bucketLower(i) <= v && v < LatencyHistogram.bucketUpper(i), `value ${v}`);
    const mid = Math.sqrt(LatencyHistogram.bucketLower(i) * LatencyHistogram.bucketUpper(i));
    assert.ok(relErr(mid, v) <= LatencyHistogram.RELATIVE_ERROR * (1 + 1e-12));
  }
});

const cases: Array<[string, DistSpec]> = [
  ['exponential', { dist: 'exp', mean: 12 }],
  ['lognormal cv 3', { dist: 'lognormal', mean: 5, cv: 3 }],
  ['pareto alpha 1.5', { dist: 'pareto', mean: 3, alpha: 1.5 }],
];

for (const [name, spec] of cases) {
  test(`quantiles within 1% of exact for 200k ${name} samples`, () => {
    const xs = draw(spec, 200_000, 42);
    const h = new LatencyHistogram();
    for (const x of xs) h.record(x);
    const sorted = Float64Array.from(xs).sort();
    for (const q of QS) {
      const want = quantileSorted(sorted, q);
      const got = h.quantile(q);
      assert.ok(relErr(got, want) <= 0.01, `${name} p${q}: ${got} vs ${want}`);
    }
    assert.is(h.max, sorted[sorted.length - 1]);
    assert.is(h.quantile(1), sorted[sorted.length - 1]);
    assert.is(h.min, sorted[0]);
    assert.is(h.quantile(0), sorted[0]);
    assert.is(h.count, 200_000);
    let sum = 0;
    for (const x of xs) sum += x;
    assert.ok(relErr(h.mean(), sum / xs.length) < 1e-12);
  });
}

test('quantile follows the lower nearest-rank definition on small data', () => {
  const h = new LatencyHistogram();
  for (const v of [1, 2, 3, 4]) h.record(v);
  // ⌈0.5·4⌉ = 2 → the 2nd smallest; ⌈0.51·4⌉ = 3 → the 3rd.
  assert.ok(relErr(h.quantile(0.5), 2) <= 0.01);
  assert.ok(relErr(h.quantile(0.51), 3) <= 0.01);
  assert.ok(relErr(h.quantile(0.75), 3) <= 0.01);
  assert.is(h.quantile(0.76), 4);
  assert.is(h.quantile(0.25), 1);
});

test('merge equals recording everything in one histogram', () => {
  const xs = draw({ dist: 'lognormal', mean: 2, cv: 2 }, 50_000, 3);
  const all = new LatencyHistogram();
  const a = new LatencyHistogram();
  const b = new LatencyHistogram();
  xs.forEach((x, i) => {
    all.record(x);
    (i % 3 === 0 ? a : b).record(x);
  });
  a.record(0);
  all.record(0);
  a.merge(b);
  assert.equal(Array.from(a.counts), Array.from(all.counts));
  assert.is(a.count, all.count);
  assert.is(a.zeros, all.zeros);
  assert.is(a.min, all.min);
  assert.is(a.max, all.max);
  assert.ok(relErr(a.sum, all.sum) < 1e-14);
  for (const q of [0.1, ...QS]) assert.is(a.quantile(q), all.quantile(q));
  // Merging an empty histogram changes nothing; merging into an empty one copies.
  const e = new LatencyHistogram();
  a.merge(e);
  assert.is(a.count, all.count);
  e.merge(all);
  assert.is(e.quantile(0.99), all.quantile(0.99));
  assert.is(e.min, all.min);
});

test('JSON round trip is lossless and sparse', () => {
  const xs = draw({ dist: 'pareto', mean: 1, alpha: 2.5 }, 20_000, 9);
  const h = new LatencyHistogram();
  for (const x of xs) h.record(x);
  h.record(0);
  const json = JSON.parse(JSON.stringify(h));
  assert.ok(json.index.length < LatencyHistogram.BUCKETS / 2);
  const back = LatencyHistogram.fromJSON(json);
  assert.equal(Array.from(back.counts), Array.from(h.counts));
  assert.is(back.count, h.count);
  assert.is(back.zeros, h.zeros);
  assert.is(back.sum, h.sum);
  assert.is(back.min, h.min);
  assert.is(back.max, h.max);
  for (const q of QS) assert.is(back.quantile(q), h.quantile(q));
  // Empty histograms survive JSON too (no Infinity on the wire).
  const empty = LatencyHistogram.fromJSON(JSON.parse(JSON.stringify(new LatencyHistogram())));
  assert.is(empty.count, 0);
  assert.is(empty.min, Infinity);
  assert.ok(Number.isNaN(empty.quantile(0.5)));
  assert.throws(() => LatencyHistogram.fromJSON({ ...json, layout: [32, -24, 64] }), RangeError);
});

test('memory does not grow with the number of samples', () => {
  const h = new LatencyHistogram();
  const before = h.counts.length;
  const rng = new Stream(5, 0);
  for (let i = 0; i < 1_000_000; i++) h.record(Math.pow(10, -6 + 16 * rng.next()));
  assert.is(h.counts.length, before);
  assert.is(h.counts.byteLength, before * 8);
  assert.is(h.count, 1_000_000);
  h.reset();
  assert.is(h.counts.length, before);
  assert.is(h.count, 0);
  assert.is(h.max, -Infinity);
});

test('zeros, tiny and huge values', () => {
  const h = new LatencyHistogram();
  for (let i = 0; i < 10; i++) h.record(0);
  for (let i = 0; i < 10; i++) h.record(1e-6);
  for (let i = 0; i < 10; i++) h.record(1e10);
  assert.is(h.zeros, 10);
  assert.is(h.min, 0);
  assert.is(h.quantile(0.2), 0);
  assert.is(h.quantile(0.33), 0);
  assert.ok(relErr(h.quantile(0.5), 1e-6) <= 0.01);
  assert.ok(relErr(h.quantile(0.9), 1e10) <= 0.01);
  assert.is(h.quantile(1), 1e10);
  assert.ok(relErr(h.mean(), (10 * 1e-6 + 10 * 1e10) / 30) < 1e-15);
  // Far outside the range: still bounded by the exact min and max.
  const g = new LatencyHistogram();
  g.record(1e-12);
  g.record(1e-12);
  g.record(1e15);
  assert.ok(g.quantile(0.5) >= 1e-12 && g.quantile(0.5) <= LatencyHistogram.bucketUpper(0));
  assert.is(g.quantile(0.33), 1e-12);
  assert.is(g.quantile(0.99), 1e15);
  // Only zeros.
  const z = new LatencyHistogram();
  z.record(0);
  z.record(0);
  assert.is(z.quantile(0.5), 0);
  assert.is(z.mean(), 0);
  assert.throws(() => z.record(-1), RangeError);
  assert.throws(() => z.record(NaN), RangeError);
  assert.throws(() => z.record(Infinity), RangeError);
  assert.ok(Number.isNaN(new LatencyHistogram().quantile(0.5)));
  assert.ok(Number.isNaN(new LatencyHistogram().mean()));
});

test('cdfPoints is monotone, ends at (max, 1) and agrees with quantile', () => {
  const xs = draw({ dist: 'lognormal', mean: 5, cv: 3 }, 20_000, 4);
  const h = new LatencyHistogram();
  for (const x of xs) h.record(x);
  h.record(0);
  const pts = cdfPoints(h);
  assert.ok(pts.length <= 200 && pts.length > 100);
  assert.equal(pts[0], [0, 1 / h.count]);
  const last = pts[pts.length - 1]!;
  assert.equal(last, [h.max, 1]);
  for (let i = 1; i < pts.length; i++) {
    assert.ok(pts[i]![0] > pts[i - 1]![0]);
    assert.ok(pts[i]![1] >= pts[i - 1]![1]);
  }
  for (const [x, f] of pts) if (f > 0) assert.ok(h.quantile(f) <= x * (1 + 1e-12));
  const sorted = Float64Array.from(xs).sort();
  const [xMid, fMid] = pts[100]!;
  // Fraction of exact values ≤ x, allowing for the 1% bucket error.
  let below = 1; // the zero
  for (const v of sorted) if (v <= xMid * 1.01) below++;
  let strictly = 1;
  for (const v of sorted) if (v <= xMid / 1.01) strictly++;
  assert.ok(fMid <= below / h.count && fMid >= strictly / h.count);

  assert.equal(cdfPoints(new LatencyHistogram()), []);
  const one = new LatencyHistogram();
  one.record(3);
  one.record(3);
  assert.equal(cdfPoints(one), [[3, 1]]);
  assert.equal(cdfPoints(h, 1), [[h.max, 1]]);
  assert.equal(cdfPoints(h, 2), [[0, 1 / h.count], [h.max, 1]]);
});

test.run();
