import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Purpose, Stream } from '../../sim/engine/rng.js';
import type { Metrics } from '../../sim/metrics/types.js';
import type { TimelineData } from '../../sim/metrics/timeline.js';
import { compileScenario, simulateRaw } from '../../sim/model/index.js';
import { runScenario } from '../../sim/runner/index.js';
import {
  MmppArrivals,
  PoissonArrivals,
  SinusoidArrivals,
  TableArrivals,
  type ArrivalProcess,
} from '../../sim/workload/arrivals.js';
import {
  batches,
  coarsen,
  idc,
  mean,
  meanRoundedExp,
  mmpp2Idc,
  mmpp2Mean,
  mva,
  expectNear,
  standardError,
  windowCounts,
  type Mmpp2,
} from '../faults/theory.js';
import { arrivalTimes, scenarioOf } from '../helpers.js';

// Every test names its seed; a failure message repeats it so the run can be replayed.
const SEED = 11;

function timelineOf(m: Metrics): TimelineData {
  if (m.timeline === undefined) throw new Error('expected a timeline');
  return m.timeline;
}

/** Arrivals of `p` counted in the timeline's buckets over [0, untilMs). */
function bucketed(p: ArrivalProcess, startMs: number, untilMs: number, bucketMs: number, buckets: number): number[] {
  const out = new Array<number>(buckets).fill(0);
  for (const t of arrivalTimes(p, startMs, untilMs)) out[Math.floor(t / bucketMs)]!++;
  return out;
}

/** A role that takes no time, so that a workload's arrivals are all a run does. */
const SINK = { sink: { count: 1, workers: 1, service: 0 } };

// ------------------------------------------------------------------ poisson

test('poisson: rate λ and an index of dispersion of 1 at every window length', () => {
  // 200/s for 1000 s. Rate: N is Poisson, sd √(λT). IDC of k windows of
  // Poisson counts with mean m: sd √(2/(k−1) + 1/(m k)) (the sample variance
  // of nearly normal counts, plus the Poisson excess kurtosis 1/m).
  const lambda = 200;
  const seconds = 1000;
  const counts = windowCounts(new PoissonArrivals(lambda, new Stream(SEED, Purpose.arrivals)), 0, seconds * 1000, 100);
  const n = counts.reduce((s, x) => s + x, 0);
  expectNear(`poisson rate, seed ${SEED}`, n / seconds, lambda, (4 * Math.sqrt(lambda * seconds)) / seconds);
  for (const k of [1, 10, 100]) {
    const w = coarsen(counts, k);
    const m = lambda * 0.1 * k;
    const se = Math.sqrt(2 / (w.length - 1) + 1 / (m * w.length));
    expectNear(`poisson IDC(${k * 0.1} s), seed ${SEED}`, idc(w), 1, 4 * se);
  }
});

// ------------------------------------------------------------------- bursty

const BURSTY: Mmpp2 = { rate: 50, burstRate: 500, meanGapSec: 2, meanBurstSec: 0.5 };

test('bursty: mean rate π₁λ₁ + π₂λ₂ and the MMPP-2 index of dispersion IDC(T)', () => {
  // 20,000 s after a 100 s burn-in (the process starts in the normal state;
  // 1/r = 0.4 s). λ̄ = 0.8·50 + 0.2·500 = 140/s.
  const p = new MmppArrivals(BURSTY.rate, BURSTY.burstRate, BURSTY.meanBurstSec * 1000, BURSTY.meanGapSec * 1000, 0, new Stream(SEED, Purpose.arrivals));
  const seconds = 20_000;
  const counts = windowCounts(p, 100_000, 100_000 + seconds * 1000, 100);
  const lambda = mmpp2Mean(BURSTY);
  assert.ok(Math.abs(lambda - 140) < 1e-9);
  // The count over T has variance λ̄T·IDC(T) (the same formula), so the rate's sd is √(λ̄·IDC(T)/T).
  const rateSd = Math.sqrt((lambda * mmpp2Idc(BURSTY, seconds)) / seconds);
  expectNear(`bursty rate, seed ${SEED}`, mean(counts) * 10, lambda, 4 * rateSd);
  for (const k of [1, 10, 100]) {
    const w = coarsen(counts, k);
    // Sampling error by batch means: 20 consecutive batches of 1,000 s, each
    // much longer than the state's correlation time 1/r = 0.4 s.
    const se = standardError(batches(w, 20).map(idc));
    const theory = mmpp2Idc(BURSTY, k * 0.1);
    expectNear(`bursty IDC(${k * 0.1} s), seed ${SEED}`, idc(w), theory, 4 * se);
  }
  // The values themselves, by hand: 1 + 185.14·(1 − (1 − e^{−rT})/(rT)) with r = 2.5/s.
  assert.ok(Math.abs(mmpp2Idc(BURSTY, 1) - (1 + (2 * 0.16 * 450 ** 2) / (140 * 2.5) * (1 - (1 - Math.exp(-2.5)) / 2.5))) < 1e-9);
});

test('bursty through a scenario: the timeline counts are the process, the rate is λ̄', () => {
  const duration = 2000;
  const sc = scenarioOf({
    duration: `${duration}s`,
    warmup: '100s',
    roles: SINK,
    workload: [{ pattern: 'bursty', to: 'sink', rate: '50/s', burstRate: '500/s', meanGap: '2s', meanBurst: '500ms' }],
  });
  const m = runScenario(sc, { seed: SEED, timeline: true });
  const tl = timelineOf(m);
  // Entry 0 draws from the arrivals stream of entry 0: the same process, replayed by hand.
  const direct = new MmppArrivals(50, 500, 500, 2000, 0, new Stream(SEED, Purpose.arrivals));
  assert.equal(tl.generated, bucketed(direct, 0, duration * 1000, tl.bucketMs, tl.generated.length), `seed ${SEED}`);
  const seconds = duration - 100;
  const lambda = mmpp2Mean(BURSTY);
  expectNear(`bursty scenario rate, seed ${SEED}`, m.messages.generated / seconds, lambda, 4 * Math.sqrt((lambda * mmpp2Idc(BURSTY, seconds)) / seconds));
  assert.is(m.messages.delivered, m.messages.generated);
});

// ------------------------------------------------------------------ diurnal

test('diurnal sinusoid: counts per phase follow λ(t) = rate·(1 + a·sin 2πt/P)', () => {
  // 100/s, amplitude 0.8, period 10 s, 200 periods. Thinning a Poisson process
  // leaves a Poisson process, so each phase bin's count has sd √(expected).
  const rate = 100;
  const a = 0.8;
  const periodMs = 10_000;
  const cycles = 200;
  const bins = 10;
  const p = new SinusoidArrivals(rate, a, periodMs, new Stream(SEED, Purpose.arrivals));
  const counts = coarsenPhases(windowCounts(p, 0, cycles * periodMs, periodMs / bins), bins);
  const w = periodMs / bins;
  for (let j = 0; j < bins; j++) {
    // ∫ over the bin of λ(t) dt, per cycle, with t in seconds.
    const t1 = j * w;
    const t2 = t1 + w;
    const integral = (rate * (w - ((a * periodMs) / (2 * Math.PI)) * (Math.cos((2 * Math.PI * t2) / periodMs) - Math.cos((2 * Math.PI * t1) / periodMs)))) / 1000;
    const expected = cycles * integral;
    expectNear(`diurnal phase ${j}/${bins}, seed ${SEED}`, counts[j]!, expected, 4 * Math.sqrt(expected));
  }
});

/** Sums window counts by their phase within a cycle of `bins` windows. */
function coarsenPhases(counts: Float64Array, bins: number): number[] {
  const out = new Array<number>(bins).fill(0);
  counts.forEach((c, i) => (out[i % bins]! += c));
  return out;
}

const TABLE = [
  { at: 10_000, rate: 20 },
  { at: 110_000, rate: 200 },
  { at: 210_000, rate: 0 },
  { at: 260_000, rate: 50 },
];

test('diurnal table: each segment sends rate × length; nothing before the first row or at rate 0', () => {
  const p = new TableArrivals(TABLE, new Stream(SEED, Purpose.arrivals));
  const times = [...arrivalTimes(p, 0, 410_000)];
  const within = (lo: number, hi: number) => times.filter((t) => t >= lo && t < hi).length;
  assert.is(within(0, 10_000), 0, `seed ${SEED}: before the first row`);
  assert.is(within(210_000, 260_000), 0, `seed ${SEED}: rate 0`);
  // Poisson counts: sd √(expected).
  for (const [lo, hi, rate] of [
    [10_000, 110_000, 20],
    [110_000, 210_000, 200],
    [260_000, 410_000, 50],
  ] as const) {
    const expected = (rate * (hi - lo)) / 1000;
    expectNear(`table segment ${lo}–${hi} ms, seed ${SEED}`, within(lo, hi), expected, 4 * Math.sqrt(expected));
  }
});

test('diurnal through a scenario: table segments and sinusoid halves in the timeline', () => {
  const sc = scenarioOf({
    duration: '120s',
    roles: SINK,
    workload: [
      { pattern: 'diurnal', to: 'sink', table: [{ at: 0, rate: '100/s' }, { at: '40s', rate: '400/s' }, { at: '80s', rate: 0 }] },
      { pattern: 'diurnal', to: 'sink', rate: '200/s', amplitude: 1, period: '120s' },
    ],
  });
  // The two entries draw from their own streams: replay each and compare.
  const m = runScenario(sc, { seed: SEED, timeline: true });
  const tl = timelineOf(m);
  const table = bucketed(new TableArrivals([{ at: 0, rate: 100 }, { at: 40_000, rate: 400 }, { at: 80_000, rate: 0 }], new Stream(SEED, Purpose.arrivals)), 0, 120_000, tl.bucketMs, tl.generated.length);
  const sine = bucketed(new SinusoidArrivals(200, 1, 120_000, new Stream(SEED, Purpose.arrivals + 1)), 0, 120_000, tl.bucketMs, tl.generated.length);
  assert.equal(tl.generated, table.map((x, i) => x + sine[i]!), `seed ${SEED}`);
  // In numbers: the table's segments, and the sinusoid's halves, ∫λ = rate·(P/2)·(1 ± 2a/π).
  const perBucket = (lo: number, hi: number, xs: number[]) => xs.slice(lo / tl.bucketMs, hi / tl.bucketMs).reduce((s, x) => s + x, 0);
  for (const [lo, hi, expected, xs, what] of [
    [0, 40_000, 4000, table, 'table 0–40 s'],
    [40_000, 80_000, 16_000, table, 'table 40–80 s'],
    [0, 60_000, 200 * 60 * (1 + 2 / Math.PI), sine, 'sinusoid rising half'],
    [60_000, 120_000, 200 * 60 * (1 - 2 / Math.PI), sine, 'sinusoid falling half'],
  ] as const) {
    expectNear(`${what}, seed ${SEED}`, perBucket(lo, hi, xs), expected, 4 * Math.sqrt(expected));
  }
  assert.is(perBucket(80_000, 120_000, table), 0);
});

// ------------------------------------------------------------------- closed

function closedRun(clients: number, seed: number, seconds: number) {
  const sc = scenarioOf({
    duration: `${seconds + 20}s`,
    warmup: '20s',
    roles: { server: { count: 1, workers: 1, service: { dist: 'exp', mean: '10ms' } } },
    workload: [{ pattern: 'closed', to: 'server', clients, think: { dist: 'exp', mean: '1s' } }],
  });
  return runScenario(sc, { seed });
}

test('closed, light load: R ≈ the service time (exact MVA), X = N / (R + Z)', () => {
  // 5 clients, Z = 1 s, S = 10 ms: MVA gives R = 10.41 ms, X = 4.948/s.
  const seconds = 4000;
  const m = closedRun(5, SEED, seconds);
  const theory = mva(5, 1000, 10);
  const n = m.messages.delivered;
  // Light load: responses nearly independent, each ≈ exponential (sd ≈ R).
  expectNear(`closed N=5 response time, seed ${SEED}`, m.latencyMs.mean, theory.responseMs, (4 * theory.responseMs) / Math.sqrt(n));
  assert.ok(Math.abs(theory.responseMs - 10) < 0.5, 'at light load R is within 5% of the service time');
  checkResponseTimeLaw(m, 5, seconds, n);
});

test('closed, near saturation: X = N / (R + Z) and R, X as exact MVA', () => {
  // 100 clients, Z = 1 s, S = 10 ms: utilisation 0.92, R = 81.9 ms (8 service
  // times). Responses are strongly correlated here, so the sampling error is
  // taken across 10 independent replications.
  const seconds = 300;
  const theory = mva(100, 1000, 10);
  const runs = Array.from({ length: 10 }, (_, r) => closedRun(100, SEED + 1 + r, seconds));
  const rs = runs.map((m) => m.latencyMs.mean);
  const xs = runs.map((m) => m.throughputPerSec);
  expectNear(`closed N=100 response time, seeds ${SEED + 1}–${SEED + 10}`, mean(rs), theory.responseMs, 4 * standardError(rs));
  expectNear(`closed N=100 throughput, seeds ${SEED + 1}–${SEED + 10}`, mean(xs), theory.throughputPerSec, 4 * standardError(xs));
  for (const m of runs) checkResponseTimeLaw(m, 100, seconds, m.messages.delivered);
});

/**
 * The interactive response time law X = N/(R + Z) holds exactly for the
 * sample means over whole cycles; measured over a window it is off by the
 * think times' sampling error (Z̄ has sd Z/√n for exponential thinking, which
 * moves X by X·(Z̄ − Z)/(R + Z)) and by the window's ends: each client's
 * messages created in the window are its cycles there ± 1, so X is off by at
 * most N/W.
 */
function checkResponseTimeLaw(m: Metrics, clients: number, seconds: number, n: number): void {
  const law = (clients * 1000) / (m.latencyMs.mean + 1000);
  const tolerance = 4 * law * (1000 / Math.sqrt(n) / (m.latencyMs.mean + 1000)) + clients / seconds;
  expectNear(`closed N=${clients} response time law, seed ${m.seed}`, m.throughputPerSec, law, tolerance);
}

// ------------------------------------------------------------ scatter–gather

test('scatter–gather: a message completes while failed shards ≤ count − quorum', () => {
  // Five shards, quorum 3, every message to all five replicas: with k shards
  // down for the whole run, every message completes for k ≤ 2 and none for k = 3.
  for (const [down, reply] of [
    [0, false],
    [1, false],
    [2, false],
    [3, false],
    [2, true],
    [3, true],
  ] as const) {
    const sc = scenarioOf({
      duration: '20s',
      warmup: '1s',
      roles: { shard: { count: 5, workers: 1, service: { dist: 'exp', mean: '1ms' } } },
      workload: [{ pattern: 'poisson', to: 'shard', rate: '50/s', fanout: { count: 5, quorum: 3 }, reply }],
      faults: down > 0 ? [{ kind: 'crash', target: 'shard', count: down, at: 0, for: '1h' }] : [],
      config: reply ? { timeout: { perTry: '100ms' } } : {},
    });
    const m = runScenario(sc, { seed: SEED });
    const what = `${down} of 5 shards down${reply ? ', request–reply' : ''}, seed ${SEED}`;
    assert.ok(m.messages.generated > 800, what);
    if (down <= 2) {
      assert.is(m.messages.delivered, m.messages.generated, what);
    } else {
      assert.is(m.messages.delivered, 0, what);
      const lost = reply ? m.messages.lost.timeout : m.messages.lost.crash;
      assert.is(lost, m.messages.generated, what);
    }
  }
});

// ------------------------------------------------------------------- tokens

/** An LLM role at light load: 1,000 slots, so every call starts at once and the latency is its service time. */
function llmScenario(extra: Record<string, unknown>, tokens: Record<string, unknown>) {
  return scenarioOf({
    duration: '400s',
    warmup: '10s',
    roles: {
      llm: {
        count: 1,
        workers: 1000,
        service: { dist: 'tokens', base: '100ms', perTokenIn: '0.1ms', perTokenOut: '10ms' },
        tokens,
      },
    },
    workload: [{ pattern: 'poisson', to: 'llm', rate: '50/s' }],
    cost: { perMTokenIn: 3, perMTokenOut: 15 },
    ...extra,
  });
}

const TOKENS = { in: { dist: 'exp', mean: 1000 }, out: { dist: 'exp', mean: 50 } };

test('tokens service: mean service = base + E[in]·perTokenIn + E[out]·perTokenOut', () => {
  const m = runScenario(llmScenario({}, TOKENS), { seed: SEED });
  // Token counts are whole: E[round X] for exponential X (≈ mean − 1/(24·mean)).
  const theory = 100 + meanRoundedExp(1000) * 0.1 + meanRoundedExp(50) * 10;
  // Service sd = √(0.1²·1000² + 10²·50²) ms; services are independent at light load.
  const sd = Math.sqrt((0.1 * 1000) ** 2 + (10 * 50) ** 2);
  expectNear(`tokens mean service, seed ${SEED}`, m.latencyMs.mean, theory, (4 * sd) / Math.sqrt(m.messages.delivered));
});

test('tokens: counts per message are the drawn means, and cost.tokens prices them', () => {
  const sc = llmScenario({}, TOKENS);
  const raw = simulateRaw(compileScenario(sc), sc.config, SEED).counters;
  const n = raw.generated;
  // Each count is a sum of n independent draws: sd = mean·√n for exponentials.
  for (const [count, m, what] of [
    [raw.tokensIn, 1000, 'in'],
    [raw.tokensOut, 50, 'out'],
  ] as const) {
    expectNear(`tokens ${what} per message, seed ${SEED}`, count / n, meanRoundedExp(m), (4 * m) / Math.sqrt(n));
  }
  const metrics = runScenario(sc, { seed: SEED });
  assert.is(metrics.messages.generated, n);
  // $3 per million in, $15 per million out.
  assert.ok(Math.abs(metrics.cost.tokens - (3 * raw.tokensIn + 15 * raw.tokensOut) / 1e6) < 1e-12);
  const perMessage = (3 * meanRoundedExp(1000) + 15 * meanRoundedExp(50)) / 1e6;
  const sd = Math.sqrt((3 * 1000) ** 2 + (15 * 50) ** 2) / 1e6;
  expectNear(`token cost per message, seed ${SEED}`, metrics.cost.tokens / n, perMessage, (4 * sd) / Math.sqrt(n));
});

test('tokens: a retried LLM call pays its tokens again', () => {
  // Service = 100 + 0.1·in + 10·20 ms with in = 500 (p = 3/4) or 20,000
  // (p = 1/4): 350 ms or 2,300 ms. A 500 ms per-try timeout cuts every long
  // call; its retries draw the same tokens, so they time out too, and all
  // three tries (≤ 500 + 10 + 500 + 20 + 500 ms, full-jitter backoff from
  // 10 ms) end before the first try's late reply. Each try starts service at
  // once and pays its tokens:
  //   E[in per message] = ¾·500 + ¼·3·20,000 = 15,375 (5,375 if each call paid once),
  //   retries = 2·¼ per message, lost to timeout = ¼ per message.
  const sc = llmScenario(
    {
      workload: [{ pattern: 'poisson', to: 'llm', rate: '50/s', reply: true }],
      config: { timeout: { perTry: '500ms' }, retry: { maxAttempts: 3, base: '10ms' } },
    },
    { in: { dist: 'empirical', values: [500, 500, 500, 20_000] }, out: 20 },
  );
  const raw = simulateRaw(compileScenario(sc), sc.config, SEED).counters;
  const m = runScenario(sc, { seed: SEED });
  const n = raw.generated;
  const p = 0.25;
  // Per message, in = 500 or 60,000 paid; out = 20 or 60: binomial sd √(p(1−p))·(difference).
  const perIn = (1 - p) * 500 + p * 60_000;
  expectNear(`tokens in per message with retries, seed ${SEED}`, raw.tokensIn / n, perIn, (4 * 59_500 * Math.sqrt(p * (1 - p))) / Math.sqrt(n));
  expectNear(`tokens out per message with retries, seed ${SEED}`, raw.tokensOut / n, (1 - p) * 20 + p * 60, (4 * 40 * Math.sqrt(p * (1 - p))) / Math.sqrt(n));
  // Counts of long calls: binomial, sd √(n p (1 − p)).
  const sdCount = Math.sqrt(n * p * (1 - p));
  expectNear(`retries, seed ${SEED}`, m.retries, 2 * n * p, 4 * 2 * sdCount);
  expectNear(`lost to timeout, seed ${SEED}`, m.messages.lost.timeout, n * p, 4 * sdCount);
  // Every long call paid exactly three times, every short one once: the
  // tokens are an exact function of the two counts.
  assert.is(raw.tokensIn, 500 * m.messages.delivered + 3 * 20_000 * m.messages.lost.timeout, `seed ${SEED}`);
  // cost.tokens prices every payment.
  assert.ok(Math.abs(m.cost.tokens - (3 * raw.tokensIn + 15 * raw.tokensOut) / 1e6) < 1e-12);
});

// -------------------------------------------------------- windows, priority

test('start/stop: an entry sends only inside its window, at its rate', () => {
  const sc = scenarioOf({
    duration: '60s',
    roles: SINK,
    workload: [{ pattern: 'poisson', to: 'sink', rate: '100/s', start: '10s', stop: '30s' }],
  });
  const m = runScenario(sc, { seed: SEED, timeline: true });
  const tl = timelineOf(m);
  const bucket = (ms: number) => Math.floor(ms / tl.bucketMs);
  const outside = tl.generated.filter((_, i) => i < bucket(10_000) || i >= bucket(30_000));
  assert.ok(outside.every((x) => x === 0), `seed ${SEED}: nothing outside [10 s, 30 s)`);
  assert.equal(tl.generated, bucketed(new PoissonArrivals(100, new Stream(SEED, Purpose.arrivals)), 10_000, 30_000, tl.bucketMs, tl.generated.length));
  expectNear(`window count, seed ${SEED}`, m.messages.generated, 2000, 4 * Math.sqrt(2000));
});

test('priority buffer under overload: high priority waits as under Cobham’s formula and is never dropped', () => {
  // One exponential server, μ = 1000/s. High priority (7) at 500/s, low (0) at
  // 1000/s: overload 1.5. The low class's copies then go on to a `delay` role
  // that holds each for 35 s, so in the timeline every completion before
  // 35 s is a high-priority message and every one after is low: the classes
  // are measured apart from the one run.
  const run = (policy: string) =>
    runScenario(
      scenarioOf({
        duration: '30s',
        drain: '60s',
        roles: {
          server: { count: 1, workers: 1, service: { dist: 'exp', mean: '1ms' } },
          delay: { count: 1, workers: 30_000, service: '35s' },
        },
        workload: [
          { pattern: 'poisson', to: 'server', rate: '500/s', priority: 7 },
          { pattern: 'poisson', to: 'server', rate: '1000/s', priority: 0, then: ['delay'] },
        ],
        config: { buffer: { policy, capacity: 100 } },
      }),
      { seed: SEED, timeline: true },
    );
  // High-priority messages sent, per bucket: entry 0's arrivals, replayed from its stream.
  const highSent = (bucketMs: number) => bucketed(new PoissonArrivals(500, new Stream(SEED, Purpose.arrivals)), 0, 30_000, bucketMs, 30_000 / bucketMs);

  const byClass = (m: Metrics) => {
    const tl = timelineOf(m);
    const split = 35_000 / tl.bucketMs;
    const high = tl.delivered.slice(0, split);
    // Mean latency of each bucket from 5 s to 30 s (after the buffer filled), for batch means.
    const perBucket = tl.meanLatencyMs.slice(5000 / tl.bucketMs, 30_000 / tl.bucketMs);
    return { delivered: high.reduce((s, x) => s + x, 0), deliveredPerBucket: high, latencies: perBucket, bucketMs: tl.bucketMs };
  };

  const priRun = run('priority');
  const pri = byClass(priRun);
  // Non-preemptive priority (Cobham 1954): W_high = R/(1 − ρ_high), with R the
  // mean residual service an arrival finds. The low class keeps the server
  // always busy, so R = E[S²]/(2E[S]) = 1 ms for exponential service:
  // latency = 1/(1 − 0.5) + 1 = 3 ms. Sampling error: batch means over the
  // 0.5 s buckets (many busy periods of the high class each).
  const priLatency = mean(pri.latencies);
  expectNear(`priority: high-priority latency, seed ${SEED}`, priLatency, 3, 4 * standardError(pri.latencies));
  const generated = highSent(pri.bucketMs).reduce((s, x) => s + x, 0);
  assert.is(pri.delivered, generated, `priority: no high-priority message lost, seed ${SEED}`);
  // So every overflow is a low-priority message: the server completes a
  // Poisson(μT) number of services back to back, the high class takes λ_H·T of
  // them, and the 100 low ones left waiting at 30 s are served in the drain:
  // overflow = λ_L·T − (μ − λ_H)·T − 100 = 14,900, with sd √((λ_L + μ + λ_H)·T).
  expectNear(`priority: overflows, all low priority, seed ${SEED}`, priRun.messages.lost.overflow, 14_900, 4 * Math.sqrt((1000 + 1000 + 500) * 30));

  const fifo = byClass(run('drop-tail'));
  // Drop-tail FIFO is an M/M/1/K with K = 101 (100 waiting + 1 in service) at
  // ρ = 1.5 for both classes alike (PASTA): loss P_K = (1−ρ)ρ^K/(1−ρ^{K+1}),
  // latency = L/(λ(1 − P_K)) with L = ρ/(1−ρ) − (K+1)ρ^{K+1}/(1−ρ^{K+1}).
  const rho = 1.5;
  const K = 101;
  const pK = ((1 - rho) * rho ** K) / (1 - rho ** (K + 1));
  const L = rho / (1 - rho) - ((K + 1) * rho ** (K + 1)) / (1 - rho ** (K + 1));
  const fifoLatency = (L / (1500 * (1 - pK))) * 1000;
  expectNear(`drop-tail: high-priority latency as M/M/1/K, seed ${SEED}`, mean(fifo.latencies), fifoLatency, 4 * standardError(fifo.latencies));
  // Delivered fraction of high-priority messages: 1 − P_K. Drops come in
  // runs while the buffer is full, so the sampling error is taken by batch
  // means over 1 s batches (the buffer's state forgets within a few 100 ms).
  const fractions: number[] = [];
  for (let b = 5; b < 30; b++) {
    const lo = (b * 1000) / fifo.bucketMs;
    const hi = ((b + 1) * 1000) / fifo.bucketMs;
    const sum = (xs: number[]) => xs.slice(lo, hi).reduce((s, x) => s + x, 0);
    fractions.push(sum(fifo.deliveredPerBucket) / sum(highSent(fifo.bucketMs)));
  }
  expectNear(`drop-tail: high-priority delivered fraction, seed ${SEED}`, mean(fractions), 1 - pK, 4 * standardError(fractions));
  assert.ok(priLatency * 10 < mean(fifo.latencies));
});

test.run();
