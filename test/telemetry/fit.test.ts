import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { derive, Diagnostics, fitArrivals, fitSample, type Family, type Span } from '../../sim/telemetry/index.js';
import { infer } from '../../sim/telemetry/infer.js';
import { fitText, scenarioYaml } from '../../sim/telemetry/yaml.js';
import { DRAW, normal, rng, trialSeed } from './draws.js';

const TRIALS = 40;
const N = 2000;

for (const family of Object.keys(DRAW) as Family[]) {
  test(`${family}: recognised in >= 95% of ${TRIALS} samples of ${N}, parameters within 5%`, () => {
    const { draw, params } = DRAW[family];
    let hits = 0;
    let within = 0;
    for (let t = 0; t < TRIALS; t++) {
      const u = rng(trialSeed(family, t));
      const xs = Array.from({ length: N }, () => draw(u));
      const fit = fitSample(xs);
      if (fit.chosen !== family) continue;
      hits++;
      const f = fit.fits.find((x) => x.family === family)!;
      if (f.params.every((p, i) => Math.abs(p - params[i]!) <= 0.05 * Math.abs(params[i]!))) within++;
    }
    assert.ok(hits >= 0.95 * TRIALS, `${family} chosen ${hits}/${TRIALS}`);
    assert.ok(within >= 0.9 * hits, `${family} parameters within 5% in ${within}/${hits}`);
  });
}

test('a sample of no family (two far modes) is written as its quantiles, with the reason', () => {
  const u = rng(7);
  const xs = Array.from({ length: 2000 }, (_, i) => (i % 2 === 0 ? 1 : 50) * (1 + 0.05 * normal(u)));
  const fit = fitSample(xs);
  assert.is(fit.chosen, 'empirical');
  assert.match(fit.reason, /KS D=/);
  assert.is(fit.spec.dist, 'empirical');
});

test('a heavy tail written as quantiles keeps its p99: Pareto own times (α 1.8) no family passes', () => {
  const u = rng(11);
  // Pareto with minimum 2 and α 1.8: a tail no fitted family follows at 20,000 values.
  const xs = Array.from({ length: 20_000 }, () => 2 * Math.pow(1 - u(), -1 / 1.8));
  const fit = fitSample(xs);
  assert.is(fit.chosen, 'empirical');
  if (fit.spec.dist !== 'empirical') throw new Error('not written as quantiles');
  const sorted = Float64Array.from(xs).sort();
  const p99 = sorted[Math.floor(0.99 * sorted.length)]!;
  // The engine draws one written value uniformly: its p99 is one of the two values either side of 99%.
  const v = fit.spec.values;
  for (const i of [Math.ceil(0.99 * v.length) - 1, Math.ceil(0.99 * v.length)]) {
    assert.ok(Math.abs(v[i]! / p99 - 1) < 0.05, `written value ${i} of ${v.length}: ${v[i]} against the sample's p99 ${p99}`);
  }
});

test('a lognormal fit beyond the scenario range (cv > 100) is written as quantiles', () => {
  const u = rng(5);
  const fit = fitSample(Array.from({ length: 2000 }, () => Math.exp(3.5 * normal(u))));
  assert.is(fit.fits[0]!.family, 'lognormal');
  assert.is(fit.chosen, 'empirical');
  assert.match(fit.reason, /beyond what a scenario takes/);
});

test('too few values, zeros and constants are not fitted', () => {
  assert.is(fitSample([1, 2, 3]).chosen, 'empirical');
  assert.equal(fitSample([4, 4, 4]).spec, { dist: 'const', value: 4 });
  assert.match(fitSample([...Array(50).fill(0), ...Array(50).fill(1).map((x, i) => x + i)]).reason, /50 of 100 values are 0/);
});

test('arrivals: Poisson has an index of dispersion near 1; an on-off source is bursty and its MMPP recovered', () => {
  const u = rng(3);
  const poisson: number[] = [];
  for (let t = 0; t < 100_000; ) poisson.push((t += -10 * Math.log(u()))); // 100/s for 100 s
  const p = fitArrivals(poisson, 100_000);
  assert.ok(Math.abs(p.ratePerSec - 100) < 3, `rate ${p.ratePerSec}`);
  assert.ok(p.idc < p.idcCritical, `idc ${p.idc}`);
  assert.is(p.mmpp, null);
  // 1 s at 50/s, then 1 s at 500/s, alternating.
  const bursty: number[] = [];
  for (let t = 0; t < 100_000; ) {
    const burst = Math.floor(t / 1000) % 2 === 1;
    bursty.push((t += -(burst ? 2 : 20) * Math.log(u())));
  }
  const b = fitArrivals(bursty, 100_000);
  assert.ok(b.idc > b.idcCritical);
  assert.ok(b.mmpp !== null);
  assert.ok(Math.abs(b.mmpp.rate - 50) < 10, `low ${b.mmpp.rate}`);
  assert.ok(Math.abs(b.mmpp.burstRate - 500) < 50, `high ${b.mmpp.burstRate}`);
  assert.ok(Math.abs(b.mmpp.meanBurstMs - 1000) < 250, `burst ${b.mmpp.meanBurstMs}`);
});

test('arrivals per path: a steady path beside a bursty one stays Poisson; the bursty one keeps its own states', () => {
  const u = rng(5);
  const spans: Span[] = [];
  const request = (t: number, services: string[], id: number): void => {
    services.forEach((service, i) =>
      spans.push({ traceId: `t${id}`, spanId: `s${i}`, parentId: i === 0 ? '' : `s${i - 1}`, service, instance: '', startMs: t + i, endMs: t + 10, error: false, bytes: -1, where: 'x' }),
    );
  };
  let id = 0;
  // cron → store: Poisson at 20/s for 100 s; ingest → worker: 1 s at 50/s, 1 s at 500/s, alternating.
  for (let t = 0; t < 100_000; ) request((t += -50 * Math.log(u())), ['store'], id++);
  for (let t = 0; t < 100_000; ) request((t += -(Math.floor(t / 1000) % 2 === 1 ? 2 : 20) * Math.log(u())), ['ingest', 'worker'], id++);
  const m = infer(derive(spans, new Diagnostics()), null);
  assert.ok(m.arrivals.mmpp !== null, 'all paths together are bursty');
  const store = m.paths.find((p) => p.services[0] === 'store')!;
  const ingest = m.paths.find((p) => p.services[0] === 'ingest')!;
  assert.is(store.arrivals!.mmpp, null, `store: idc ${store.arrivals!.idc}`);
  assert.ok(ingest.arrivals!.mmpp !== null);
  const yaml = scenarioYaml(m, { format: 'otlp', files: ['x'], name: 'x' });
  const entries = yaml.split('\n  - ').slice(1);
  const storeEntry = entries.find((e) => e.includes('to: store'))!;
  const ingestEntry = entries.find((e) => e.includes('to: ingest'))!;
  assert.match(storeEntry, /^pattern: poisson/);
  const rate = Number(/rate: ([\d.]+)/.exec(storeEntry)![1]);
  assert.ok(Math.abs(rate - 20) < 1.5, `store rate ${rate}`);
  assert.match(ingestEntry, /^pattern: bursty/);
  const low = Number(/\n {4}rate: ([\d.]+)/.exec(ingestEntry)![1]);
  const high = Number(/burstRate: ([\d.]+)/.exec(ingestEntry)![1]);
  // Its own states (the fit's accuracy is the test above's): a low one near 50/s and a high one near 500/s, not the aggregate's.
  assert.is(low, Number(ingest.arrivals!.mmpp!.rate.toPrecision(5)));
  assert.ok(low < 100 && high > 400, `ingest states ${low}/s and ${high}/s`);
});

test('a sample a hair apart (a fixed delay, rounded timestamps) is a constant; a family that cannot be fitted is named, not dropped', () => {
  const u = rng(9);
  const near = Array.from({ length: 500 }, () => 2 + 0.001 * u());
  const f = fitSample(near);
  assert.is(f.chosen, 'const');
  assert.ok(f.spec.dist === 'const' && Math.abs(f.spec.value - 2.0005) < 1e-4, JSON.stringify(f.spec));
  assert.match(f.reason, /every value within 0\.1% of the mean/);
  // A fit with weibull missing (its likelihood did not converge): the comment says so.
  const spread = fitSample(Array.from({ length: 500 }, () => -5 * Math.log(u())));
  const partial = { ...spread, fits: spread.fits.filter((x) => x.family !== 'weibull') };
  assert.match(fitText(partial), /weibull not fitted/);
  assert.not.match(fitText(spread), /not fitted/);
});

test.run();
