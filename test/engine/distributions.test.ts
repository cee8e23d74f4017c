import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KeyedUniform, Sampler, Stream, gamma, normalQuantile, type DistSpec } from '../../sim/engine/index.js';

const N = 400_000;

function moments(spec: DistSpec, seed = 11): { mean: number; variance: number; s: Sampler } {
  const s = new Sampler(spec);
  const rng = new Stream(seed, 1);
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < N; i++) {
    const x = s.sample(rng);
    sum += x;
    sum2 += x * x;
  }
  const mean = sum / N;
  return { mean, variance: sum2 / N - mean * mean, s };
}

/**
 * Bounds from the sampling error of each moment: the sample mean has sd
 * σ/√N; the variance's error grows with the tail, so each case states its
 * own tolerance, from the fourth moment of the distribution.
 */
const cases: Array<{ spec: DistSpec; meanTol: number; varTol: number }> = [
  { spec: { dist: 'const', value: 3.5 }, meanTol: 0, varTol: 0 },
  { spec: { dist: 'exp', mean: 2 }, meanTol: 0.01, varTol: 0.03 },
  { spec: { dist: 'lognormal', mean: 40, cv: 1 }, meanTol: 0.01, varTol: 0.08 },
  { spec: { dist: 'pareto', mean: 10, alpha: 4.5 }, meanTol: 0.01, varTol: 0.1 },
  { spec: { dist: 'weibull', mean: 5, shape: 0.8 }, meanTol: 0.01, varTol: 0.05 },
  { spec: { dist: 'weibull', mean: 5, shape: 2.5 }, meanTol: 0.01, varTol: 0.03 },
  { spec: { dist: 'uniform', min: 2, max: 8 }, meanTol: 0.005, varTol: 0.02 },
  { spec: { dist: 'empirical', values: [1, 2, 2, 10] }, meanTol: 0.01, varTol: 0.02 },
];

for (const c of cases) {
  test(`${c.spec.dist} ${JSON.stringify(c.spec)}: mean and variance match theory`, () => {
    const { mean, variance, s } = moments(c.spec);
    const relMean = Math.abs(mean - s.mean) / s.mean;
    assert.ok(relMean <= c.meanTol, `mean ${mean} vs ${s.mean} (rel ${relMean})`);
    if (s.variance === 0) assert.is(variance < 1e-9, true);
    else {
      const relVar = Math.abs(variance - s.variance) / s.variance;
      assert.ok(relVar <= c.varTol, `variance ${variance} vs ${s.variance} (rel ${relVar})`);
    }
  });
}

test('the ziggurat exponential has the exact tail, beyond its base strip too', () => {
  const s = new Sampler({ dist: 'exp', mean: 1 });
  const rng = new Stream(21, 1);
  const n = 2_000_000;
  const over = [0, 0, 0];
  const cuts = [1, 4, 9];
  for (let i = 0; i < n; i++) {
    const x = s.sample(rng);
    for (let k = 0; k < 3; k++) if (x > cuts[k]!) over[k]!++;
  }
  cuts.forEach((c, k) => {
    const p = Math.exp(-c);
    const sd = Math.sqrt((p * (1 - p)) / n);
    // 4 standard deviations: a false alarm about once in 16,000 runs.
    assert.ok(Math.abs(over[k]! / n - p) < 4 * sd, `P(X > ${c}) = ${over[k]! / n}, expected ${p}`);
  });
});

test('analytic moments are the textbook ones', () => {
  assert.is(new Sampler({ dist: 'exp', mean: 3 }).variance, 9);
  assert.ok(Math.abs(new Sampler({ dist: 'lognormal', mean: 2, cv: 0.5 }).variance - 1) < 1e-12);
  // Pareto with alpha ≤ 2 has infinite variance.
  assert.is(new Sampler({ dist: 'pareto', mean: 1, alpha: 1.5 }).variance, Infinity);
  assert.ok(Math.abs(new Sampler({ dist: 'uniform', min: 0, max: 12 }).variance - 12) < 1e-12);
  // Weibull with shape 1 is the exponential.
  const w = new Sampler({ dist: 'weibull', mean: 4, shape: 1 });
  assert.ok(Math.abs(w.variance - 16) < 1e-9);
});

test('draw leaves in value what sample returns, for every kind', () => {
  const specs: DistSpec[] = [
    { dist: 'const', value: 2.5 },
    { dist: 'exp', mean: 3 },
    { dist: 'lognormal', mean: 15, cv: 0.5 },
    { dist: 'pareto', mean: 4, alpha: 2.5 },
    { dist: 'weibull', mean: 4, shape: 1.5 },
    { dist: 'uniform', min: 1, max: 9 },
    { dist: 'empirical', values: [1, 2, 5] },
  ];
  for (const spec of specs) {
    const a = new Sampler(spec);
    const b = new Sampler(spec);
    const ra = new Stream(5, 1);
    const rb = new Stream(5, 1);
    for (let i = 0; i < 200; i++) {
      const x = a.sample(ra);
      b.draw(rb);
      if (b.value !== x) assert.unreachable(`${spec.dist}: draw ${i} gave ${b.value}, sample ${x}`);
    }
  }
});

test('gamma and the normal quantile against known values', () => {
  assert.ok(Math.abs(gamma(5) - 24) < 1e-9);
  assert.ok(Math.abs(gamma(0.5) - Math.sqrt(Math.PI)) < 1e-12);
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959963985) < 1e-8);
  assert.ok(Math.abs(normalQuantile(0.001) + 3.090232306) < 1e-8);
  assert.is(normalQuantile(0.5), 0);
});

test('the normal quantile across its central region and both tails, and at 0 and 1', () => {
  // Φ⁻¹ to 9 decimals (Wichura's AS 241, as in Python's statistics.NormalDist), on each side of the region edges 0.02425 and 0.97575.
  const known: Array<[number, number]> = [
    [1e-10, -6.361340902],
    [0.02, -2.053748911],
    [0.0243, -1.972084159],
    [0.5, 0],
    [0.9757, 1.972084159],
    [0.98, 2.053748911],
    [1 - 1e-10, 6.36134089],
  ];
  for (const [p, z] of known) assert.ok(Math.abs(normalQuantile(p) - z) < 1e-7 * Math.max(1, Math.abs(z)), `Φ⁻¹(${p}) = ${normalQuantile(p)}, expected ${z}`);
  // Antisymmetric about 1/2, and monotone through both region edges.
  for (const p of [0.001, 0.02424, 0.02425, 0.02426, 0.3]) assert.ok(Math.abs(normalQuantile(p) + normalQuantile(1 - p)) < 1e-9);
  let last = -Infinity;
  for (let p = 0.0001; p < 1; p += 0.0001) {
    const z = normalQuantile(p);
    assert.ok(z > last, `not increasing at ${p}`);
    last = z;
  }
  assert.is(normalQuantile(0), -Infinity);
  assert.is(normalQuantile(1), Infinity);
  assert.is(normalQuantile(-0.5), -Infinity);
  assert.ok(Number.isNaN(normalQuantile(NaN)));
});

test('a stream is reproducible and streams are independent', () => {
  const a = new Stream(42, 3);
  const b = new Stream(42, 3);
  const c = new Stream(42, 4);
  const d = new Stream(43, 3);
  const xs = Array.from({ length: 5 }, () => a.next());
  assert.equal(Array.from({ length: 5 }, () => b.next()), xs);
  assert.not.equal(Array.from({ length: 5 }, () => c.next()), xs);
  assert.not.equal(Array.from({ length: 5 }, () => d.next()), xs);
});

test('uniforms are uniform and uncorrelated (stream and keyed)', () => {
  const s = new Stream(9, 1);
  const k = new KeyedUniform(9, 2);
  for (const [name, draw] of [
    ['stream', () => s.next()],
    // Adjacent keys, as consecutive messages use them.
    ['keyed', (() => { let i = 0; return () => k.at(i++, 7).next(); })()],
  ] as const) {
    const n = 200_000;
    const bins = new Float64Array(20);
    let prev = draw();
    let sxy = 0;
    let sx = 0;
    let sxx = 0;
    for (let i = 0; i < n; i++) {
      const x = draw();
      assert.ok(x >= 0 && x < 1);
      bins[Math.floor(x * 20)]!++;
      sxy += prev * x;
      sx += x;
      sxx += x * x;
      prev = x;
    }
    // Chi-square with 19 degrees of freedom: the 99.9th percentile is 43.8.
    let chi2 = 0;
    for (const o of bins) chi2 += (o - n / 20) ** 2 / (n / 20);
    assert.ok(chi2 < 43.8, `${name}: chi2 ${chi2}`);
    const m = sx / n;
    const lag1 = (sxy / n - m * m) / (sxx / n - m * m);
    // sd of a lag-1 autocorrelation of independent draws is 1/√n ≈ 0.0022.
    assert.ok(Math.abs(lag1) < 0.01, `${name}: lag-1 correlation ${lag1}`);
  }
});

test('keyed draws depend only on the key', () => {
  const k1 = new KeyedUniform(5, 3);
  const k2 = new KeyedUniform(5, 3);
  const a = k1.at(100, 2).next();
  k2.at(7, 7).next();
  k2.at(1, 1).next();
  assert.is(k2.at(100, 2).next(), a);
  assert.is.not(new KeyedUniform(6, 3).at(100, 2).next(), a);
});

test.run();
