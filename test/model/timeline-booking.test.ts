import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileScenario, simulateRaw, type ScaleEvent } from '../../sim/model/index.js';
import { runOnce } from '../../sim/runner/index.js';
import { scenarioOf, withoutEngine } from '../helpers.js';

// RunControl.timeline: a run whose timeline nobody reads does not split each
// service's worker time over the timeline's buckets, and nothing else about
// the run changes; an autoscaled run books it anyway, as its autoscaler
// reads it.

const mesh = scenarioOf({
  duration: '12s',
  warmup: '2s',
  seed: 4,
  roles: {
    front: { count: 2, workers: 2, service: { dist: 'exp', mean: '2ms' } },
    store: { count: 3, workers: 1, service: { dist: 'exp', mean: '5ms' } },
  },
  workload: [{ pattern: 'poisson', to: 'front', then: ['store'], rate: '300/s', reply: { size: '1KB' } }],
  faults: [{ kind: 'crash', target: 'store', count: 1, at: '5s', for: '3s' }],
  config: { timeout: { perTry: '100ms' }, retry: { maxAttempts: 2 } },
});

const sum = (xs: Float64Array): number => xs.reduce((s, x) => s + x, 0);

test('off, the timeline books no worker time; every other counter is the same', () => {
  const c = compileScenario(mesh);
  const booked = simulateRaw(c, mesh.config, 5);
  const unbooked = simulateRaw(c, mesh.config, 5, null, { timeline: false });
  assert.ok(sum(booked.counters.timeline.busyMs) > 0);
  assert.is(sum(unbooked.counters.timeline.busyMs), 0);
  assert.is(unbooked.events, booked.events);
  // The role totals of worker time do not come from the timeline.
  assert.equal(Array.from(unbooked.counters.busyMs), Array.from(booked.counters.busyMs));
  for (const series of ['generated', 'delivered', 'sent', 'lost', 'retries', 'latencySumMs'] as const) {
    assert.equal(Array.from(unbooked.counters.timeline[series]), Array.from(booked.counters.timeline[series]), series);
  }
});

test('runOnce books it only when the timeline is reported, and reports the same figures either way', () => {
  const c = compileScenario(mesh);
  const withTimeline = withoutEngine(runOnce(c, mesh.config, 5, true));
  const without = withoutEngine(runOnce(c, mesh.config, 5, false));
  assert.ok(withTimeline.timeline !== undefined && without.timeline === undefined);
  const { timeline, ...rest } = withTimeline;
  assert.equal(without, rest);
  // The utilisation it reports is the booked worker time.
  assert.ok(timeline!.utilization['store']!.some((u) => u > 0));
});

test('an autoscaled run books worker time whatever it is asked, and scales the same', () => {
  const scaled = scenarioOf({
    duration: '60s',
    roles: { server: { count: 2, workers: 1, service: '40ms' } },
    workload: [{ pattern: 'poisson', to: 'server', rate: '45/s' }],
    config: { autoscale: { server: { target: 0.5, min: 1, max: 6, period: 5000, provisioning: 2000 } } },
  });
  const c = compileScenario(scaled);
  const logA: ScaleEvent[] = [];
  const logB: ScaleEvent[] = [];
  const a = simulateRaw(c, scaled.config, 2, null, undefined, logA);
  const b = simulateRaw(c, scaled.config, 2, null, { timeline: false }, logB);
  assert.ok(sum(b.counters.timeline.busyMs) > 0);
  assert.equal(Array.from(b.counters.timeline.busyMs), Array.from(a.counters.timeline.busyMs));
  assert.ok(logA.some((e) => e.kind === 'replica'), 'the load makes it scale');
  assert.equal(logB, logA);
});

test.run();
