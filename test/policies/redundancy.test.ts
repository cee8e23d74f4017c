import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../../sim/runner/index.js';
import { compileScenario, simulateRaw } from '../../sim/model/index.js';
import type { MeshConfig } from '../../sim/scenario/types.js';
import { scenarioOf } from '../helpers.js';
import { binomialSd, report, splitByTag } from './measure.js';

/**
 * Redundant copies for important messages on a lossy network (loss p per
 * transmission). With `redundancy: 2`, a message at or above
 * `redundantPriority` leaves as two copies: one direct (1 hop), its twin
 * through another agent (2 hops, disjoint first hop). The first to arrive is
 * served; the other is discarded and counted. The message is lost only if
 * both are: p · (1 − (1 − p)²) ≈ 2p² — the order of loss² instead of loss.
 * Low-priority messages still travel alone and lose p.
 *
 * High priority (7) goes to `dst`; low priority (0) to `sink`, which holds a
 * message 1000 s so that the timeline tells the classes apart (splitByTag).
 */
const P = 0.1;
const TAG = 1_000_000;
const SEED = 6;

function doc(loss: number): Record<string, unknown> {
  return {
    duration: '30s',
    drain: `${2 * TAG}ms`,
    roles: {
      src: { count: 2, workers: 1, service: '1ms' },
      dst: { count: 2, workers: 100, service: '1ms' },
      sink: { count: 1, workers: 100_000, service: `${TAG}ms` },
    },
    links: { latency: '1ms', loss },
    workload: [
      { pattern: 'poisson', from: 'src', to: 'dst', rate: '300/s', priority: 7 },
      { pattern: 'poisson', from: 'src', to: 'sink', rate: '300/s', priority: 0 },
    ],
  };
}

const config: MeshConfig = { routing: { redundancy: 2, redundantPriority: 7 } };

test('two copies cut the loss of high-priority messages to ~loss²; low priority unaffected', () => {
  // The same arrivals without loss give each class's count.
  const all = splitByTag(runScenario(scenarioOf(doc(0)), { seed: SEED, timeline: true }), TAG);
  const lossy = scenarioOf(doc(P));
  const plain = splitByTag(runScenario(lossy, { seed: SEED, timeline: true }), TAG);
  const red = splitByTag(runScenario(lossy, { seed: SEED, config, timeline: true }), TAG);
  const nH = all.plain.delivered;
  const nL = all.tagged.delivered;
  const both = P * (1 - (1 - P) ** 2);
  const fig = {
    highLossWithout: 1 - plain.plain.delivered / nH,
    highLossWith: 1 - red.plain.delivered / nH,
    expectedWith: both,
    lossSquared: P * P,
    lowLossWith: 1 - red.tagged.delivered / nL,
    highCount: nH,
    lowCount: nL,
  };
  report(`redundancy p=${P} seed ${SEED}`, fig);
  const lostH = nH - red.plain.delivered;
  assert.ok(Math.abs(lostH - nH * both) < 4 * binomialSd(nH, both), `high lost ${lostH} vs ${nH * both} (seed ${SEED})`);
  assert.ok(Math.abs(nH - plain.plain.delivered - nH * P) < 4 * binomialSd(nH, P), 'without redundancy, high loses p');
  const lostL = nL - red.tagged.delivered;
  assert.ok(Math.abs(lostL - nL * P) < 4 * binomialSd(nL, P), `low lost ${lostL} vs ${nL * P}: unaffected (seed ${SEED})`);
  // An improvement of about 1 / (2p) = 5×.
  assert.ok(fig.highLossWith * 3 < fig.highLossWithout);
});

test('the copy that arrives second is discarded, counted, and never served', () => {
  const sc = scenarioOf(doc(P));
  const compiled = compileScenario(sc);
  const raw = simulateRaw(compiled, config, SEED);
  const all = splitByTag(runScenario(scenarioOf(doc(0)), { seed: SEED, timeline: true }), TAG);
  const nH = all.plain.delivered;
  // Both copies arrive: (1 − p) for the direct one, (1 − p)² for the twin.
  const q = (1 - P) ** 3;
  const c = raw.counters;
  report('redundancy discarded', { discarded: c.redundantDiscarded, expected: nH * q, duplicates: c.duplicates, delivered: c.delivered });
  assert.ok(Math.abs(c.redundantDiscarded - nH * q) < 4 * binomialSd(nH, q), `discarded ${c.redundantDiscarded} vs ${nH * q} (seed ${SEED})`);
  assert.is(c.duplicates, 0, 'a discarded twin is not a duplicate delivery');
});

test.run();
