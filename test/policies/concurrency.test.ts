import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../../sim/runner/index.js';
import type { Metrics } from '../../sim/metrics/types.js';
import { mm1k } from '../../sim/validation/analytic.js';
import { scenarioOf } from '../helpers.js';
import { ci, report, splitByTag, TAG_MS, twoPriorityClasses, windowSum } from './measure.js';

/**
 * Concurrency limits and load shedding under a sustained overload. A request
 * over the limit is refused at once and counted as lost.shed, instead of
 * queueing; the latency of those admitted stays bounded. AIMD's behaviour
 * under a long overload is in concurrency-aimd.pending.ts.
 */

test('fixed limit: an M/M/1/K with K = limit — shed share and admitted latency as theory', () => {
  // One worker, exponential 10 ms, 150/s offered: a request is admitted when
  // fewer than 10 are held (in service + waiting).
  const LIMIT = 10;
  const sc = scenarioOf({
    duration: '40s',
    warmup: '2s',
    roles: { server: { count: 1, workers: 1, service: { dist: 'exp', mean: '10ms' } } },
    workload: [{ pattern: 'poisson', to: 'server', rate: '150/s' }],
  });
  const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
  const ms = SEEDS.map((seed) => runScenario(sc, { seed, config: { concurrency: { limit: LIMIT } } }));
  const unlimited = runScenario(sc, { seed: 1 });
  const th = mm1k(0.15, 0.1, LIMIT);
  const shed = ci(ms.map((m) => m.messages.lost.shed / m.messages.generated));
  const w = ci(ms.map((m) => m.latencyMs.mean));
  report('limit 10', {
    blocking: th.blocking,
    shedCI: `${shed[0].toFixed(4)}–${shed[1].toFixed(4)}`,
    W: th.W,
    meanCI: `${w[0].toFixed(2)}–${w[1].toFixed(2)}`,
    p99: ms[0]!.latencyMs.p99,
    unlimitedMean: unlimited.latencyMs.mean,
    unlimitedMax: unlimited.latencyMs.max,
  });
  for (const m of ms) assert.is(m.messages.lost.overflow, 0, 'refused by the limit, not by a buffer');
  assert.ok(shed[0] <= th.blocking && th.blocking <= shed[1], `shed share: ${th.blocking} outside 99% CI ${shed} (seeds ${SEEDS})`);
  assert.ok(w[0] <= th.W && th.W <= w[1], `admitted latency: W ${th.W} ms outside 99% CI ${w}`);
  // Without a limit the queue grows by 50/s for 40 s.
  assert.ok(unlimited.latencyMs.max > 10_000);
});

/** Mean latency of the messages completed in [from, to), from the timeline. */
function windowMean(m: Metrics, from: number, to: number): number {
  const t = m.timeline!;
  const d = windowSum(t.delivered, t.bucketMs, from, to);
  const s = windowSum(t.delivered.map((x, i) => x * t.meanLatencyMs[i]!), t.bucketMs, from, to);
  return s / d;
}

test('gradient limit: admitted latency stays bounded through a long overload', () => {
  // Ten workers at 10 ms (1000/s), 1500/s offered for 60 s.
  const sc = scenarioOf({
    duration: '60s',
    roles: { server: { count: 1, workers: 10, service: { dist: 'exp', mean: '10ms' } } },
    workload: [{ pattern: 'poisson', to: 'server', rate: '1500/s' }],
  });
  const SEED = 1;
  const m = runScenario(sc, { seed: SEED, config: { concurrency: { limit: 'gradient' } }, timeline: true });
  const none = runScenario(sc, { seed: SEED, timeline: true });
  const windows = [10_000, 20_000, 30_000, 40_000, 50_000, 60_000];
  const means = windows.map((to) => windowMean(m, to - 10_000, to));
  report('gradient', {
    windowMeansMs: means.map((x) => x.toFixed(1)).join(' '),
    unlimitedMs: windows.map((to) => windowMean(none, to - 10_000, to).toFixed(0)).join(' '),
    shedShare: m.messages.lost.shed / m.messages.generated,
    utilization: m.utilization['server']!,
    p99: m.latencyMs.p99,
  });
  // Unlimited: the backlog grows by 500/s, so a message created at c waits
  // 0.5 c and completes at 1.5 c: completions at t have waited t / 3.
  assert.ok(windowMean(none, 50_000, 60_000) > 50_000 / 3);
  // Gradient: no growth from the first 10 s to the last, and within 10 service times.
  const last = means[means.length - 1]!;
  assert.ok(last < 2 * means[1]!, `last 10 s ${last} ms vs ${means[1]} ms (seed ${SEED})`);
  for (const x of means) assert.ok(x < 100, `window mean ${x} ms (seed ${SEED})`);
  // It sheds about the excess (1/3 of the offered load), giving up at most a
  // tenth of the capacity to keep the queue short.
  assert.ok(m.utilization['server']! > 0.9);
  assert.ok(Math.abs(m.messages.lost.shed / m.messages.generated - 1 / 3) < 0.1);
});

test('shedding by priority: the lowest priority is shed first', () => {
  // Priority 7 at 50/s and priority 0 at 100/s into one worker at 10 ms (see
  // twoPriorityClasses). FIFO buffer of 20; shedding above half
  // full: priority l is shed above (0.5 + 0.5 · l / 8) · 20 waiting — 10 for
  // priority 0, 18.75 for priority 7.
  const sc = twoPriorityClasses();
  const SEED = 1;
  const all = splitByTag(runScenario(sc, { seed: SEED, timeline: true }), TAG_MS);
  const m = runScenario(sc, { seed: SEED, config: { buffer: { capacity: 20 }, shedding: { queueFraction: 0.5 } }, timeline: true });
  const s = splitByTag(m, TAG_MS);
  const highLoss = 1 - s.plain.delivered / all.plain.delivered;
  const lowLoss = 1 - s.tagged.delivered / all.tagged.delivered;
  report('shedding', { highLoss, lowLoss, shed: m.messages.lost.shed, overflow: m.messages.lost.overflow, highMs: s.plain.meanLatencyMs, lowMs: s.tagged.meanLatencyMs });
  // The queue hovers near 10: above it only high-priority messages enter
  // (50/s against 100/s served), so the chance of 19 waiting, where priority 7
  // is shed, is about 0.5^9 · 2 / 4 ≈ 1e-3 (birth–death balance, the mass
  // sitting at 10). Losses come in clusters; allow 1%.
  assert.ok(highLoss < 0.01, `high priority shed ${highLoss} (seed ${SEED})`);
  assert.ok(lowLoss > 30 * highLoss);
  assert.is(m.messages.lost.overflow, 0, 'shedding acts before the buffer is full');
  // The low class takes the whole excess: the server, always busy, completes
  // Poisson(100/s × 20 s) services, all of the high class among them; the low
  // class gets the rest. 4 sd of the service count.
  const services = 100 * 20;
  const expLow = 1 - (services - all.plain.delivered) / all.tagged.delivered;
  const sd = Math.sqrt(services) / all.tagged.delivered;
  report('shedding expected', { lowLoss: expLow, sd });
  assert.ok(Math.abs(lowLoss - expLow) < 4 * sd, `low-priority loss ${lowLoss} vs ${expLow} ± ${4 * sd} (seed ${SEED})`);
  assert.ok(m.messages.lost.shed > 0);
});

test.run();
