/**
 * Adding a fault shifts no random numbers but its own (rng.ts: "turning a
 * mechanism on draws from its own stream and does not shift the numbers of
 * the others"):
 *
 * 1. Each fault draws its victims and its recurring up and down times from a
 *    stream keyed by the fault itself, so a fault added before another — on
 *    another role, at another time, earlier in the list — leaves the other's
 *    victims as they were.
 * 2. Loss trials have their own stream, apart from link latencies, so once a
 *    loss window has passed every link latency is what it was without it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../../sim/runner/index.js';
import { scenarioOf } from '../helpers.js';
import { tempFile } from '../workload/trace-spec.js';

const SEED = 1;

test('an earlier fault on another role does not change which replicas a later crash takes down', () => {
  // Replica w#i receives 2^i messages while 3 of the 8 are down, so
  // lost.crash spells out the victims. Seed 1: 0b00100110 (w#1, w#2, w#5)
  // alone, 0b00010101 (w#0, w#2, w#4) once a crash of `other` at 0.2 s is added.
  const rows = ['time_ms,src,dst,bytes'];
  let t = 0;
  for (let i = 0; i < 8; i++) for (let k = 0; k < 2 ** i; k++) rows.push(`${(t += 10)},external,w#${i},100`);
  const trace = tempFile('victims.csv', rows.join('\n'));
  const victims = (extra: boolean) =>
    runScenario(
      scenarioOf({
        duration: '10s',
        roles: { other: { count: 4, service: '1ms' }, w: { count: 8, service: '1ms' } },
        workload: [{ pattern: 'trace', file: trace, start: '1s' }],
        faults: [
          ...(extra ? [{ kind: 'crash', target: 'other', count: 1, at: '200ms', for: '100ms' }] : []),
          { kind: 'crash', target: 'w', count: 3, at: '500ms', for: '5s' },
        ],
      }),
      { seed: SEED },
    ).messages.lost.crash;
  assert.is(victims(true).toString(2), victims(false).toString(2), `seed ${SEED}: victims (bit i = w#i)`);
});

test('a loss window leaves the link latencies after it unchanged', () => {
  // a → b over one link with Exp(1 ms) latency and no queueing; a 10% loss
  // window over [10 s, 15 s). After 16 s every message should take exactly
  // the time it took without the window.
  const doc = {
    duration: '30s',
    roles: { a: { count: 1, service: '1ms' }, b: { count: 1, workers: 64, service: '1ms' } },
    links: { latency: { dist: 'exp', mean: '1ms' } },
    workload: [{ pattern: 'poisson', from: 'a', to: 'b', rate: '200/s' }],
  };
  const base = runScenario(scenarioOf(doc), { seed: SEED, timeline: true }).timeline!;
  const lossy = runScenario(scenarioOf({ ...doc, faults: [{ kind: 'loss', rate: 0.1, at: '10s', for: '5s' }] }), { seed: SEED, timeline: true }).timeline!;
  const after = (tl: typeof base) => tl.meanLatencyMs.slice(16_000 / tl.bucketMs, 30_000 / tl.bucketMs);
  assert.equal(after(lossy), after(base), `seed ${SEED}: mean latency per bucket after the loss window`);
});

test.run();
