import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Metrics } from '../../sim/metrics/types.js';
import type { TimelineData } from '../../sim/metrics/timeline.js';
import { runScenario } from '../../sim/runner/index.js';
import { scenarioOf } from '../helpers.js';

// Faults draw from their own random stream: adding one must leave the
// workload's arrival times and the messages' service demands as they were.
// Measured as identical counts: the whole run's `generated` per bucket, and
// everything in the buckets that no fault reaches.
const SEED = 51;

function timelineOf(m: Metrics): TimelineData {
  if (m.timeline === undefined) throw new Error('expected a timeline');
  return m.timeline;
}

/** A bucket range of every per-bucket series (0.5 s buckets for a 60 s run). */
function window(tl: TimelineData, fromMs: number, toMs: number) {
  const lo = fromMs / tl.bucketMs;
  const hi = toMs / tl.bucketMs;
  return {
    generated: tl.generated.slice(lo, hi),
    delivered: tl.delivered.slice(lo, hi),
    sent: tl.sent.slice(lo, hi),
    lost: tl.lost.slice(lo, hi),
    meanLatencyMs: tl.meanLatencyMs.slice(lo, hi),
  };
}

// A two-stage mesh with links: external → front (4 replicas) → back (4),
// random balancing, link latency Exp(1 ms), exponential services.
const MESH = {
  duration: '60s',
  warmup: '5s',
  roles: {
    front: { count: 4, workers: 1, service: { dist: 'exp', mean: '2ms' } },
    back: { count: 4, workers: 1, service: { dist: 'exp', mean: '3ms' } },
  },
  links: { latency: { dist: 'exp', mean: '1ms' } },
  workload: [
    { pattern: 'poisson', to: 'front', then: ['back'], rate: '300/s' },
    { pattern: 'bursty', from: 'front', to: 'back', rate: '20/s', burstRate: '200/s', meanGap: '2s', meanBurst: '200ms' },
  ],
  config: { routing: { balancer: 'random' } },
};

const FAULTS: Array<[string, Record<string, unknown>]> = [
  ['crash', { kind: 'crash', target: 'back', fraction: 0.5, at: '30s', for: '10s' }],
  ['recurring crash', { kind: 'crash', target: 'back', count: 1, mtbf: '20s', mttr: '2s' }],
  ['slow', { kind: 'slow', target: 'back', count: 2, factor: 4, at: '30s', for: '10s' }],
  ['partition', { kind: 'partition', between: ['front', 'back'], at: '30s', for: '10s' }],
  ['loss', { kind: 'loss', rate: 0.2, at: '30s', for: '10s' }],
  ['latency', { kind: 'latency', factor: 5, at: '30s', for: '10s' }],
];

test('adding a fault leaves the arrivals and everything before the fault unchanged', () => {
  const base = runScenario(scenarioOf(MESH), { seed: SEED, timeline: true });
  const baseTl = timelineOf(base);
  for (const [what, fault] of FAULTS) {
    const m = runScenario(scenarioOf({ ...MESH, faults: [fault] }), { seed: SEED, timeline: true });
    const tl = timelineOf(m);
    // Arrival times: the same messages are created in every bucket of the
    // run, during and after the fault too.
    assert.is(m.messages.generated, base.messages.generated, `${what}, seed ${SEED}`);
    assert.equal(tl.generated, baseTl.generated, `${what}, seed ${SEED}: arrivals per bucket`);
    // Before the fault, every count and latency is the same. The recurring
    // crash has no window: before its first failure (the first bucket with a
    // loss; a down replica loses the next message sent to it within ms).
    const lossBucket = tl.lost.findIndex((x) => x > 0);
    const firstLoss = lossBucket < 0 ? Infinity : lossBucket * tl.bucketMs;
    const until = what === 'recurring crash' ? firstLoss : 30_000;
    assert.ok(until >= 5000 && firstLoss >= until, `${what}, seed ${SEED}: first loss at ${firstLoss} ms`);
    assert.equal(window(tl, 0, until), window(baseTl, 0, until), `${what}, seed ${SEED}: before the fault`);
    // And the fault did something.
    assert.not.equal(window(tl, 0, 60_000), window(baseTl, 0, 60_000), `${what}, seed ${SEED}: the fault has an effect`);
  }
});

test('adding a fault leaves the service demands unchanged: after it, latencies are the same again', () => {
  // One replica fed externally (no routing, no links): once the fault is over
  // and the queue has emptied, every message takes the same time as without
  // the fault, because its service demand is keyed on the message alone.
  const doc = {
    duration: '60s',
    roles: { server: { count: 1, workers: 1, service: { dist: 'exp', mean: '2ms' } } },
    workload: [{ pattern: 'poisson', to: 'server', rate: '150/s' }],
  };
  const base = runScenario(scenarioOf(doc), { seed: SEED, timeline: true });
  for (const fault of [
    { kind: 'crash', target: 'server', count: 1, at: '30s', for: '5s' },
    { kind: 'slow', target: 'server', count: 1, factor: 5, at: '30s', for: '5s' },
  ]) {
    const m = runScenario(scenarioOf({ ...doc, faults: [fault] }), { seed: SEED, timeline: true });
    // ρ = 0.3 before and after: the queue empties within milliseconds of the window's end.
    const after = window(timelineOf(m), 37_000, 60_000);
    assert.equal(after, window(timelineOf(base), 37_000, 60_000), `${fault.kind}, seed ${SEED}: after the fault`);
    assert.equal(window(timelineOf(m), 0, 30_000), window(timelineOf(base), 0, 30_000), `${fault.kind}, seed ${SEED}: before the fault`);
    assert.not.equal(window(timelineOf(m), 30_000, 37_000), window(timelineOf(base), 30_000, 37_000), `${fault.kind}, seed ${SEED}: the fault has an effect`);
  }
});

test.run();
