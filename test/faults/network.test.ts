import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Purpose, Stream } from '../../sim/engine/rng.js';
import type { TimelineData } from '../../sim/metrics/timeline.js';
import { runScenario } from '../../sim/runner/index.js';
import { PoissonArrivals } from '../../sim/workload/arrivals.js';
import { arrivalTimes, scenarioOf } from '../helpers.js';
import { expectNear } from './theory.js';

const SEED = 41;

// Three roles on a full mesh; `from: a` traffic takes one link hop to its
// destination. Every fault window is [10 s, 15 s) or [10 s, 20 s) of a 30 s
// run, whose timeline has 0.5 s buckets.
const ROLES = {
  a: { count: 2, service: '1ms' },
  b: { count: 2, workers: 64, service: '1ms' },
  c: { count: 2, workers: 64, service: '1ms' },
};

function sum(xs: number[], fromMs: number, toMs: number, tl: TimelineData): number {
  return xs.slice(fromMs / tl.bucketMs, toMs / tl.bucketMs).reduce((s, x) => s + x, 0);
}

/** Arrivals of entry `index` (Poisson at `rate`) in [fromMs, toMs), replayed from its own stream. */
function arrivalsIn(index: number, rate: number, fromMs: number, toMs: number): number {
  const p = new PoissonArrivals(rate, new Stream(SEED, Purpose.arrivals + index));
  let n = 0;
  for (const t of arrivalTimes(p, 0, toMs)) if (t >= fromMs) n++;
  return n;
}

test('partition: only the traffic that crosses it is lost, and only during the window', () => {
  // a → b crosses the partition between a and b; a → c does not. With no
  // link latency, an a → b message is lost exactly when it is sent inside
  // [10 s, 15 s): lost.link equals that flow's arrivals there, so a → c lost
  // nothing. Expected 200/s × 5 s = 1000, Poisson sd √1000.
  const sc = scenarioOf({
    duration: '30s',
    roles: ROLES,
    workload: [
      { pattern: 'poisson', from: 'a', to: 'b', rate: '200/s' },
      { pattern: 'poisson', from: 'a', to: 'c', rate: '200/s' },
    ],
    faults: [{ kind: 'partition', between: ['a', 'b'], at: '10s', for: '5s' }],
  });
  const m = runScenario(sc, { seed: SEED, timeline: true });
  const crossing = arrivalsIn(0, 200, 10_000, 15_000);
  assert.is(m.messages.lost.link, crossing, `seed ${SEED}: lost = the crossing flow's sends in the window`);
  expectNear(`partition lost.link, seed ${SEED}`, m.messages.lost.link, 1000, 4 * Math.sqrt(1000));
  assert.is(m.messages.delivered + m.messages.lost.link, m.messages.generated, `seed ${SEED}`);
  const tl = m.timeline!;
  assert.is(sum(tl.lost, 10_000, 15_000, tl), crossing);
  assert.is(sum(tl.lost, 0, 10_000, tl) + sum(tl.lost, 15_000, 90_000, tl), 0, `seed ${SEED}: nothing lost outside the window`);

  // The flow that does not cross, alone, with the same partition: delivery ratio 1.
  const alone = runScenario(
    scenarioOf({
      duration: '30s',
      roles: ROLES,
      workload: [{ pattern: 'poisson', from: 'a', to: 'c', rate: '200/s' }],
      faults: [{ kind: 'partition', between: ['a', 'b'], at: '10s', for: '5s' }],
    }),
    { seed: SEED },
  );
  assert.is(alone.deliveryRatio, 1, `seed ${SEED}`);
});

test('loss window: lost.link = rate × window × λ for one-hop traffic', () => {
  // 1000/s a → b; 10% extra loss for 10 s: a Poisson thinning, mean
  // 1000 × 10 × 0.1 = 1000, sd √1000.
  const sc = scenarioOf({
    duration: '30s',
    roles: ROLES,
    workload: [{ pattern: 'poisson', from: 'a', to: 'b', rate: '1000/s' }],
    faults: [{ kind: 'loss', rate: 0.1, at: '10s', for: '10s' }],
  });
  const m = runScenario(sc, { seed: SEED, timeline: true });
  expectNear(`loss lost.link, seed ${SEED}`, m.messages.lost.link, 1000, 4 * Math.sqrt(1000));
  const tl = m.timeline!;
  assert.is(sum(tl.lost, 10_000, 20_000, tl), m.messages.lost.link);
  assert.is(m.messages.delivered + m.messages.lost.link, m.messages.generated, `seed ${SEED}`);
});

test('latency window: the mean latency rises by (factor − 1) × the link latency, inside the window only', () => {
  // Link latency Exp(10 ms), service 1 ms, no queueing (64 slots): latency
  // 11 ms, and 1 + 3·10 = 31 ms while the links are 3× slower. Messages are
  // timed by completion, so the first bucket of the window and the first after
  // it are left out. Exponential latencies: sd of a mean of n is 10·f/√n.
  const sc = scenarioOf({
    duration: '30s',
    roles: ROLES,
    links: { latency: { dist: 'exp', mean: '10ms' } },
    workload: [{ pattern: 'poisson', from: 'a', to: 'b', rate: '500/s' }],
    faults: [{ kind: 'latency', factor: 3, at: '10s', for: '10s' }],
  });
  const m = runScenario(sc, { seed: SEED, timeline: true });
  const tl = m.timeline!;
  const meanIn = (ranges: Array<[number, number]>) => {
    let n = 0;
    let total = 0;
    for (const [lo, hi] of ranges) {
      for (let i = lo / tl.bucketMs; i < hi / tl.bucketMs; i++) {
        n += tl.delivered[i]!;
        total += tl.delivered[i]! * tl.meanLatencyMs[i]!;
      }
    }
    return { n, mean: total / n };
  };
  const inside = meanIn([[10_500, 20_000]]);
  expectNear(`latency inside the window, seed ${SEED}`, inside.mean, 31, (4 * 30) / Math.sqrt(inside.n));
  const outside = meanIn([
    [500, 10_000],
    [20_500, 30_000],
  ]);
  expectNear(`latency outside the window, seed ${SEED}`, outside.mean, 11, (4 * 10) / Math.sqrt(outside.n));
});

test.run();
