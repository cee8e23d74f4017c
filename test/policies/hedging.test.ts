import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../../sim/runner/index.js';
import { normalCdf, normalQuantileExact } from '../../sim/metrics/stats.js';
import { scenarioOf } from '../helpers.js';
import { binomialSd, report } from './measure.js';

/**
 * Hedged requests (Dean & Barroso, "The Tail at Scale", CACM 2013): when no
 * answer has come within about the p90 latency, send a second copy to another
 * replica and take the first answer. Here the tail comes from one replica of
 * ten that is 20× slower (a gray failure): round-robin sends it a tenth of
 * the requests, which make the p99. Then a heavy-tailed service time, where
 * each copy's service is an independent draw.
 */
const SEED = 1;
const sc = scenarioOf({
  duration: '60s',
  warmup: '1s',
  roles: { server: { count: 10, workers: 100, service: { dist: 'exp', mean: '10ms' } } },
  workload: [{ pattern: 'poisson', to: 'server', rate: '200/s', reply: true }],
  faults: [{ kind: 'slow', target: 'server', zone: 0, zones: 10, factor: 20, at: 0, for: '1h' }],
});

test('hedging after the p90 cuts p99 for about 10% extra requests', () => {
  const plain = runScenario(sc, { seed: SEED });
  const after = plain.latencyMs.p90;
  const m = runScenario(sc, { seed: SEED, config: { hedge: { after } } });
  const n = m.messages.generated;
  report('hedge slow replica', {
    hedgeAfterMs: after,
    p99Before: plain.latencyMs.p99,
    p99After: m.latencyMs.p99,
    meanBefore: plain.latencyMs.mean,
    meanAfter: m.latencyMs.mean,
    hedges: m.hedges,
    hedgeShare: m.hedges / n,
    sentBefore: plain.messages.sent,
    sentAfter: m.messages.sent,
    duplicates: m.messages.duplicates,
  });
  // A hedge is sent exactly when the first try has not answered by `after`,
  // the p90 of the unhedged latency (same seed, same demands): 10% of messages.
  assert.ok(Math.abs(m.hedges - 0.1 * n) < 4 * binomialSd(n, 0.1), `hedges ${m.hedges} of ${n} (seed ${SEED})`);
  // Each hedge is a request and its reply; the slower answer is a duplicate.
  assert.is(m.messages.sent - plain.messages.sent, 2 * m.hedges);
  assert.is(m.messages.duplicates, m.hedges);
  assert.is(m.messages.delivered, n);
  // p99 of the slow tenth is ~20 × 10 ms × ln(10) ≈ 460 ms; a hedge to a fast
  // replica answers within after + a fast service: at least halved.
  assert.ok(m.latencyMs.p99 < 0.5 * plain.latencyMs.p99, `p99 ${plain.latencyMs.p99} → ${m.latencyMs.p99} ms`);
  assert.ok(m.latencyMs.mean < plain.latencyMs.mean);
});

/**
 * Hedging a heavy-tailed service: service times lognormal, mean 10 ms, cv 2,
 * and ample workers, so latency is exactly the service time of the first
 * answer. A hedge is a second execution with its own service demand; hedged
 * at the p90 (h), latency is min(S1, h + S2) with S1, S2 independent, so
 * P(L > x) = P(S > x) · P(S > x − h) for x > h: the p99 falls from 85.6 ms
 * to 35.8 ms.
 */
const MEAN = 10;
const CV = 2;
const s2 = Math.log(1 + CV * CV);
const mu = Math.log(MEAN) - s2 / 2;
const sigma = Math.sqrt(s2);
const quantile = (p: number): number => Math.exp(mu + sigma * normalQuantileExact(p));
const survival = (x: number): number => (x <= 0 ? 1 : 1 - normalCdf((Math.log(x) - mu) / sigma));

/** p99 of min(S1, h + S2), S1, S2 independent: solve P(S > x) P(S > x − h) = 0.01 by bisection. */
function hedgedP99(h: number): number {
  let lo = h;
  let hi = 10 * quantile(0.999);
  for (let i = 0; i < 200; i++) {
    const x = (lo + hi) / 2;
    if (survival(x) * survival(x - h) > 0.01) lo = x;
    else hi = x;
  }
  return lo;
}

/**
 * Sampling sd of an empirical p-quantile of n draws: √(p(1 − p)/n) / f(x_p),
 * the density f taken as the numerical derivative of the survival function.
 */
function quantileSd(sf: (x: number) => number, x: number, p: number, n: number): number {
  const d = 1e-4 * x;
  const density = (sf(x - d) - sf(x + d)) / (2 * d);
  return Math.sqrt((p * (1 - p)) / n) / density;
}

/** Histogram resolution of a reported quantile (sim/metrics/histogram.ts). */
const HISTOGRAM_REL = 0.008;

const lognormal = scenarioOf({
  duration: '60s',
  warmup: '1s',
  roles: { server: { count: 4, workers: 100, service: { dist: 'lognormal', mean: `${MEAN}ms`, cv: CV } } },
  workload: [{ pattern: 'poisson', to: 'server', rate: '200/s', reply: true }],
});

test('hedging at the p90 of a heavy-tailed service cuts p99 as min(S1, h + S2) predicts', () => {
  const h = quantile(0.9);
  const plain = runScenario(lognormal, { seed: SEED });
  const m = runScenario(lognormal, { seed: SEED, config: { hedge: { after: h } } });
  const n = m.messages.generated;
  const want = hedgedP99(h);
  report('hedge lognormal', {
    hedgeAfterMs: h,
    p99Theory: quantile(0.99),
    p99Before: plain.latencyMs.p99,
    p99HedgedTheory: want,
    p99After: m.latencyMs.p99,
    hedges: m.hedges,
    duplicates: m.messages.duplicates,
  });
  // Tolerances: 4 sampling sd of the quantile plus the histogram's resolution.
  const q99 = quantile(0.99);
  const tolPlain = 4 * quantileSd(survival, q99, 0.99, n) + HISTOGRAM_REL * q99;
  const hedgedSurvival = (x: number): number => (x <= h ? survival(x) : survival(x) * survival(x - h));
  const tolHedged = 4 * quantileSd(hedgedSurvival, want, 0.99, n) + HISTOGRAM_REL * want;
  report('hedge lognormal tolerances', { tolPlainMs: tolPlain, tolHedgedMs: tolHedged });
  // The unhedged p99 is the service p99.
  assert.ok(Math.abs(plain.latencyMs.p99 - q99) < tolPlain, `unhedged p99 ${plain.latencyMs.p99} vs ${q99} ± ${tolPlain}`);
  assert.ok(Math.abs(m.hedges - 0.1 * n) < 4 * binomialSd(n, 0.1), `hedges ${m.hedges}`);
  assert.ok(Math.abs(m.latencyMs.p99 - want) < tolHedged, `hedged p99 ${m.latencyMs.p99} ms vs ${want} ± ${tolHedged} ms (seed ${SEED})`);
  // The price: a request and a reply per hedge.
  assert.is(m.messages.sent - plain.messages.sent, 2 * m.hedges);
});

test.run();
