import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { combineReplications, shownInterval } from '../../sim/metrics/replications.js';
import { ci95 } from '../../sim/metrics/stats.js';
import type { Metrics } from '../../sim/metrics/types.js';
import { metricsText } from '../../sim/report/metrics-text.js';

/** One run's metrics, with the delivery ratio, a role's busy share and the retries given. */
function run(seed: number, deliveryRatio: number, busy: number, retries: number): Metrics {
  return {
    scenario: 't',
    seed,
    replications: 1,
    config: {},
    messages: {
      generated: 100,
      sent: 100,
      transmissions: 100,
      delivered: Math.round(100 * deliveryRatio),
      duplicates: 0,
      lost: { overflow: 0, link: 0, crash: 0, timeout: 0, shed: 0, breaker: 0, unfinished: 0, error: 0 },
    },
    deliveryRatio,
    latencyMs: { mean: 10, p50: 9, p90: 12, p99: 20, p999: 25, max: 30 },
    throughputPerSec: 10,
    cost: { total: 1, perDelivered: 0.01, messages: 1, bytes: 0, cpu: 0, agents: 0, tokens: 0 },
    retries,
    hedges: 0,
    breakerOpens: 0,
    utilization: { api: busy },
    engine: { events: 1000, wallMs: 1, eventsPerSec: 1e6, peakRssMB: 1 },
  };
}

// Three seeds, one of them bad: the Student-t interval of each metric reaches
// past what the metric can be (above 100% delivered, above fully busy, below
// no retries at all).
const runs = [run(1, 1, 0.99, 0), run(2, 1, 0.98, 0), run(3, 0.8, 0.7, 9)];

test('the stored interval is the plain Student-t one (the gate reads standard errors back from it)', () => {
  const m = combineReplications(runs);
  assert.equal(m.ci95?.deliveryRatio, ci95([1, 1, 0.8]));
  assert.ok(m.ci95!.deliveryRatio![1] > 1, 'three seeds, one bad: the interval passes 100%');
  assert.ok(m.ci95!['utilization.api']![1] > 1);
  assert.ok(m.ci95!.retries![0] < 0);
});

test('shownInterval cuts fractions to [0, 1] and everything else at 0', () => {
  assert.equal(shownInterval('deliveryRatio', [0.8, 1.07]), [0.8, 1]);
  assert.equal(shownInterval('classes.gold.deliveryRatio', [-0.1, 1.2]), [0, 1]);
  assert.equal(shownInterval('utilization.api', [0.6, 1.1]), [0.6, 1]);
  assert.equal(shownInterval('retries', [-3, 9]), [0, 9]);
  // Not a fraction: no ceiling.
  assert.equal(shownInterval('latencyMs.p99', [12, 4000]), [12, 4000]);
  assert.equal(shownInterval('throughputPerSec', [2, 3]), [2, 3]);
});

test('simulate --replications prints no delivery above 100%', () => {
  const text = metricsText(combineReplications(runs));
  const line = text.split('\n').find((l) => l.startsWith('delivery'))!;
  assert.match(line, /\[[\d.]+%, 100%\]$/);
});

test('simulate --replications: the scaling line gives the fewest and most replicas any replication ran, rounded like the rest', () => {
  const scaled = [4, 9, 15].map((peak, i) => ({ ...run(i, 1, 0.5, 0), scaling: { embed: { replicaHours: 2.5, meanReplicas: 7.88, minReplicas: 4, maxReplicas: peak + (i === 0 ? 0 : 0.5), scaleUps: 6, scaleDowns: 5 } } }));
  const line = metricsText(combineReplications(scaled)).split('\n').find((l) => l.startsWith('scaling'))!;
  assert.match(line, /embed: 2\.5 replica-hours, mean 7\.88 replicas \(4–15\.5\), 6 scale-ups, 5 scale-downs$/);
  // The largest latency is the largest any replication saw, not the mean of each one's largest.
  const maxed = combineReplications([5, 30, 10].map((max, i) => ({ ...run(i, 1, 0.5, 0), latencyMs: { mean: 10, p50: 9, p90: 12, p99: 20, p999: 25, max } })));
  assert.is(maxed.latencyMs.max, 30);
});

test.run();
