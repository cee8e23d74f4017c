import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../../sim/runner/index.js';
import type { Metrics } from '../../sim/metrics/types.js';
import type { BufferPolicy } from '../../sim/scenario/types.js';
import { mm1k } from '../../sim/validation/analytic.js';
import { scenarioOf } from '../helpers.js';
import { ci, report, splitByTag, TAG_MS, twoPriorityClasses } from './measure.js';

/**
 * One replica, one worker, exponential 10 ms service (μ = 100/s), offered
 * 150/s: a sustained overload into a buffer of 10 waiting messages. With
 * drop-tail this is M/M/1/K with K = 11 (10 waiting + 1 in service).
 */
const CAPACITY = 10;
const LAMBDA = 150;
const MU = 100;
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

const overload = scenarioOf({
  duration: '40s',
  warmup: '2s',
  roles: { server: { count: 1, workers: 1, service: { dist: 'exp', mean: '10ms' } } },
  workload: [{ pattern: 'poisson', to: 'server', rate: `${LAMBDA}/s` }],
});

function runs(policy: BufferPolicy, capacity = CAPACITY): Metrics[] {
  return SEEDS.map((seed) => runScenario(overload, { seed, config: { buffer: { capacity, policy } } }));
}

const lossOf = (m: Metrics): number => m.messages.lost.overflow / m.messages.generated;

test('drop-tail is M/M/1/K: blocking and latency of the delivered as theory', () => {
  const th = mm1k(LAMBDA / 1000, MU / 1000, CAPACITY + 1);
  const ms = runs('drop-tail');
  const loss = ci(ms.map(lossOf));
  const w = ci(ms.map((m) => m.latencyMs.mean));
  report('drop-tail', { blocking: th.blocking, lossCI: `${loss[0].toFixed(4)}–${loss[1].toFixed(4)}`, W: th.W, meanCI: `${w[0].toFixed(2)}–${w[1].toFixed(2)}` });
  assert.ok(loss[0] <= th.blocking && th.blocking <= loss[1], `blocking ${th.blocking} outside the 99% CI ${loss} (seeds ${SEEDS})`);
  assert.ok(w[0] <= th.W && th.W <= w[1], `W ${th.W} ms outside the 99% CI ${w}`);
});

test('capacity trades loss for latency: in overload, 20× the buffer buys little loss for 17× the delay', () => {
  // M/M/1/K at ρ = 1.5: blocking tends to 1 − 1/ρ = 1/3 as K grows, while the
  // delay of the delivered grows with K. Both capacities against theory.
  const rows = [2, 40].map((capacity) => {
    const th = mm1k(LAMBDA / 1000, MU / 1000, capacity + 1);
    const ms = runs('drop-tail', capacity);
    return { capacity, th, loss: ci(ms.map(lossOf)), w: ci(ms.map((m) => m.latencyMs.mean)) };
  });
  for (const r of rows) {
    report(`drop-tail capacity ${r.capacity}`, {
      blocking: r.th.blocking,
      lossCI: `${r.loss[0].toFixed(4)}–${r.loss[1].toFixed(4)}`,
      W: r.th.W,
      meanCI: `${r.w[0].toFixed(2)}–${r.w[1].toFixed(2)}`,
    });
    assert.ok(r.loss[0] <= r.th.blocking && r.th.blocking <= r.loss[1], `capacity ${r.capacity}: blocking ${r.th.blocking} outside ${r.loss}`);
    assert.ok(r.w[0] <= r.th.W && r.th.W <= r.w[1], `capacity ${r.capacity}: W ${r.th.W} outside ${r.w}`);
  }
  const [small, big] = rows as [(typeof rows)[0], (typeof rows)[0]];
  assert.ok(small.loss[0] > big.loss[1] && small.w[1] < big.w[0]);
});

test('drop-head keeps the latency of delivered messages lower than drop-tail, at the same loss', () => {
  const tail = runs('drop-tail');
  const head = runs('drop-head');
  const meanOf = (xs: Metrics[], f: (m: Metrics) => number): number => xs.reduce((s, m) => s + f(m), 0) / xs.length;
  report('drop-head vs drop-tail', {
    meanTail: meanOf(tail, (m) => m.latencyMs.mean),
    meanHead: meanOf(head, (m) => m.latencyMs.mean),
    p99Tail: meanOf(tail, (m) => m.latencyMs.p99),
    p99Head: meanOf(head, (m) => m.latencyMs.p99),
    lossTail: meanOf(tail, lossOf),
    lossHead: meanOf(head, lossOf),
  });
  // The number in system evolves alike (the same arrivals find the same
  // room), so losses are alike; but drop-head throws away the messages that
  // have waited longest: delivered ones waited less. Seed by seed, ≥ 20% lower.
  SEEDS.forEach((seed, i) => {
    assert.ok(head[i]!.latencyMs.mean < 0.8 * tail[i]!.latencyMs.mean, `seed ${seed}: mean ${head[i]!.latencyMs.mean} vs ${tail[i]!.latencyMs.mean}`);
    assert.ok(head[i]!.latencyMs.p99 < 0.8 * tail[i]!.latencyMs.p99, `seed ${seed}: p99`);
  });
  const dl = ci(SEEDS.map((_, i) => lossOf(head[i]!) - lossOf(tail[i]!)));
  assert.ok(dl[0] <= 0 && 0 <= dl[1], `loss difference CI ${dl}`);
});

test('backpressure: no overflow losses; latency grows instead', () => {
  const m = runScenario(overload, { seed: 1, config: { buffer: { capacity: CAPACITY, policy: 'backpressure' } } });
  const tail = runScenario(overload, { seed: 1, config: { buffer: { capacity: CAPACITY, policy: 'drop-tail' } } });
  report('backpressure', { delivered: m.messages.delivered, generated: m.messages.generated, overflow: m.messages.lost.overflow, meanMs: m.latencyMs.mean, maxMs: m.latencyMs.max, dropTailMaxMs: tail.latencyMs.max });
  assert.is(m.messages.lost.overflow, 0);
  assert.is(m.messages.delivered, m.messages.generated, 'held back, then all served in the drain (seed 1)');
  // The senders' backlog grows at λ − μ = 50/s: after 40 s, ~2000 messages
  // ahead, ~20 s of waiting; with drop-tail no message waits more than ~11 services.
  assert.ok(m.latencyMs.max > 10_000, `max ${m.latencyMs.max} ms`);
  assert.ok(tail.latencyMs.max < 400);
});

test('priority: high priority is served first and dropped last', () => {
  // Two classes into the same buffer: priority 7 at 50/s, priority 0 at
  // 100/s. The low class then goes through `tag`, which holds it 1000 s so
  // that the timeline tells the classes apart (see splitByTag).
  const sc = twoPriorityClasses();
  const SEED = 1;
  // Without a bound on the buffer, nothing is lost: the counts of each class.
  const all = splitByTag(runScenario(sc, { seed: SEED, timeline: true }), TAG_MS);
  const classes = (policy: BufferPolicy) => {
    const s = splitByTag(runScenario(sc, { seed: SEED, config: { buffer: { capacity: CAPACITY, policy } }, timeline: true }), TAG_MS);
    return {
      highLoss: 1 - s.plain.delivered / all.plain.delivered,
      lowLoss: 1 - s.tagged.delivered / all.tagged.delivered,
      highMs: s.plain.meanLatencyMs,
      lowMs: s.tagged.meanLatencyMs,
    };
  };
  const fifo = classes('drop-tail');
  const prio = classes('priority');
  report('priority classes drop-tail', { ...fifo, generatedHigh: all.plain.delivered, generatedLow: all.tagged.delivered });
  report('priority classes priority', prio);
  // FIFO drop-tail: both classes alike (loss within 5 points, latency within 20%).
  assert.ok(Math.abs(fifo.highLoss - fifo.lowLoss) < 0.05);
  assert.ok(Math.abs(fifo.highMs / fifo.lowMs - 1) < 0.2);
  // Priority: a high-priority arrival evicts a waiting low one; it is dropped
  // only when 10 high ones wait. Served ahead of the lows at ρ_high = 0.5,
  // that is about as rare as 10 waiting in an M/M/1 at 0.5: 0.5^11 ≈ 5e-4
  // (losses come in clusters; allow 1%). The low class takes the rest.
  assert.ok(prio.highLoss < 0.01, `high-priority loss ${prio.highLoss} (seed ${SEED})`);
  assert.ok(prio.lowLoss > fifo.lowLoss, 'the low class takes the losses');
  // Served first: non-preemptive priority with the server always busy gives
  // the high class E[S] + E[residual]/(1 − ρ_high) = 10 + 10/(1 − 0.5) = 30 ms
  // (Cobham 1954). 15% covers ~1000 samples of a wait with sd ≈ its mean.
  assert.ok(Math.abs(prio.highMs - 30) / 30 < 0.15, `high-priority mean ${prio.highMs} ms vs 30 ms`);
  assert.ok(prio.highMs < prio.lowMs / 3);
});

test.run();
