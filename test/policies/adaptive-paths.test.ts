import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../../sim/runner/index.js';
import type { Metrics } from '../../sim/metrics/types.js';
import { scenarioOf } from '../helpers.js';
import { report, windowSum } from './measure.js';

/**
 * A full mesh of three roles; from 2 s to 8 s a partition cuts every link
 * between `front` and `back`, which must talk (one-way messages front → back).
 * Static paths keep using the direct link and lose everything sent across the
 * cut. Adaptive paths notice the cut after the detection delay (300 ms, three
 * missed hellos) and relay through a live agent (`relay`, or another `front`
 * that relays again).
 */
const SEED = 2;
const CUT_AT = 2_000;
const CUT_FOR = 6_000;
const DETECT_MS = 300;
const sc = scenarioOf({
  duration: '10s',
  roles: {
    front: { count: 4, workers: 8, service: '1ms' },
    back: { count: 4, workers: 8, service: '1ms' },
    relay: { count: 4, workers: 8, service: '1ms' },
  },
  links: { latency: '1ms' },
  workload: [{ pattern: 'poisson', from: 'front', to: 'back', rate: '1000/s' }],
  faults: [{ kind: 'partition', between: ['front', 'back'], at: `${CUT_AT}ms`, for: `${CUT_FOR}ms` }],
});

function ratio(m: Metrics, from: number, to: number): { ratio: number; generated: number } {
  const t = m.timeline!;
  // One-way messages complete within a few ms of creation: completions and
  // creations of a window match up to its edges (100 ms buckets).
  const g = windowSum(t.generated, t.bucketMs, from, to);
  const d = windowSum(t.delivered, t.bucketMs, from, to);
  return { ratio: d / g, generated: g };
}

test('adaptive paths deliver across a partition via relays; shortest and ecmp lose it all', () => {
  const runs = Object.fromEntries(
    (['shortest', 'ecmp', 'adaptive'] as const).map((p) => [p, runScenario(sc, { seed: SEED, config: { routing: { path: p } }, timeline: true })]),
  ) as Record<'shortest' | 'ecmp' | 'adaptive', Metrics>;
  const cutEnd = CUT_AT + CUT_FOR;
  const detected = CUT_AT + DETECT_MS;
  for (const [p, m] of Object.entries(runs)) {
    report(`partition ${p} seed ${SEED}`, {
      before: ratio(m, 0, CUT_AT).ratio,
      detecting: ratio(m, CUT_AT, detected).ratio,
      cut: ratio(m, detected, cutEnd).ratio,
      after: ratio(m, cutEnd, 10_000).ratio,
      deliveryRatio: m.deliveryRatio,
      lostLink: m.messages.lost.link,
      meanMs: m.latencyMs.mean,
    });
  }
  const { shortest, ecmp, adaptive } = runs;
  for (const [p, m] of [['shortest', shortest], ['ecmp', ecmp], ['adaptive', adaptive]] as const) {
    assert.ok(ratio(m, 0, CUT_AT).ratio > 0.99, `${p}: all delivered before the cut`);
    assert.ok(ratio(m, cutEnd + 100, 10_000).ratio > 0.99, `${p}: all delivered after it heals`);
    // Before detection nobody knows: what crosses the cut is lost.
    assert.ok(ratio(m, CUT_AT + 100, detected - 100).ratio === 0, `${p}: lost while the cut is undetected`);
  }
  assert.is(ratio(shortest, CUT_AT + 100, cutEnd - 100).ratio, 0, 'shortest: nothing crosses the cut');
  assert.is(ratio(ecmp, CUT_AT + 100, cutEnd - 100).ratio, 0, 'ecmp: nothing crosses the cut');
  // Adaptive: after detection, delivery ratio near 1. A relay pick fails when
  // 8 random draws all hit the agent itself or the cut side (5 of 12 agents):
  // (5/12)^8 ≈ 1e-3 per relay hop, so ≥ 99%.
  const cut = ratio(adaptive, detected + 100, cutEnd - 100);
  assert.ok(cut.ratio >= 0.99, `adaptive during the cut: ${cut.ratio} of ${cut.generated} (seed ${SEED})`);
  // The detour costs one more hop (+1 ms link latency) for those messages.
  assert.ok(adaptive.latencyMs.mean > shortest.latencyMs.mean);
  // Overall: only the detection window is lost (≈ 300 ms of 10 s).
  assert.ok(adaptive.deliveryRatio > 1 - (DETECT_MS + 200) / 10_000, `adaptive delivery ${adaptive.deliveryRatio}`);
  assert.ok(shortest.deliveryRatio < 1 - (CUT_FOR - 200) / 10_000, `shortest delivery ${shortest.deliveryRatio}`);
});

test.run();
