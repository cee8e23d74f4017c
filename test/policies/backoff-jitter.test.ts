import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../../sim/runner/index.js';
import type { Metrics } from '../../sim/metrics/types.js';
import { scenarioOf } from '../helpers.js';
import { report } from './measure.js';

/**
 * Brooker, "Exponential Backoff And Jitter" (AWS Architecture Blog, 2015):
 * N clients contend for one resource; a client that collides retries after a
 * backoff. Without jitter the clients retry in lock-step and keep colliding;
 * with full or decorrelated jitter they spread out and the total work (calls)
 * falls several-fold.
 *
 * Here the resource is one replica with one worker and no buffer: while it is
 * busy, a request is refused at once with an error answer (an overflow), and
 * the caller backs off and retries. N = 100 closed clients send one request
 * each at time 0 (think time 0; the sources stop at 1 ms, before the first
 * answer, so nobody sends a second message). Each call is a request plus its
 * answer: calls = sent / 2 = first tries + retries.
 */
const N = 100;
const SERVICE_MS = 1;

function contend(jitter: 'none' | 'full' | 'equal' | 'decorrelated', seed: number): Metrics {
  const sc = scenarioOf({
    duration: '1ms',
    drain: '600s',
    roles: { db: { count: 1, workers: 1, service: { dist: 'const', value: SERVICE_MS } } },
    workload: [{ pattern: 'closed', clients: N, to: 'db', reply: true }],
    config: { buffer: { capacity: 0 }, retry: { maxAttempts: 1_000_000, base: '1ms', cap: '1s', jitter } },
  });
  return runScenario(sc, { seed });
}

const SEEDS = [1, 2, 3, 4, 5];

test('every client eventually succeeds; calls = first tries + retries = sent / 2', () => {
  for (const jitter of ['none', 'full', 'equal', 'decorrelated'] as const) {
    const m = contend(jitter, 1);
    assert.is(m.messages.generated, N, `${jitter}: one message per client`);
    assert.is(m.messages.delivered, N, `${jitter} (seed 1): all succeed`);
    assert.is(m.messages.sent, 2 * (N + m.retries), `${jitter} (seed 1): a request and an answer per call`);
  }
});

test('no jitter: clients collide in lock-step, one success per round — N(N+1)/2 calls', () => {
  const m = contend('none', 1);
  const calls = N + m.retries;
  report('backoff none', { calls, completionMs: m.latencyMs.max, meanMs: m.latencyMs.mean });
  // Round k: the N − k + 1 clients still waiting all retry at the same instant; one wins.
  assert.is(calls, (N * (N + 1)) / 2);
});

test('full and decorrelated jitter need far fewer calls than none (Brooker 2015)', () => {
  const none = contend('none', 1);
  const noneCalls = N + none.retries;
  const summary: Record<string, { calls: number[]; completion: number[] }> = {};
  for (const jitter of ['full', 'equal', 'decorrelated'] as const) {
    summary[jitter] = { calls: [], completion: [] };
    for (const seed of SEEDS) {
      const m = contend(jitter, seed);
      summary[jitter].calls.push(N + m.retries);
      summary[jitter].completion.push(m.latencyMs.max);
    }
    const s = summary[jitter];
    report(`backoff ${jitter}`, {
      calls: s.calls.join('/'),
      meanCalls: s.calls.reduce((a, b) => a + b, 0) / SEEDS.length,
      completionMs: s.completion.map((x) => x.toFixed(0)).join('/'),
      vsNone: `${noneCalls} calls, ${none.latencyMs.max.toFixed(0)} ms`,
    });
  }
  // Brooker's figures show no-jitter backoff doing several times the work of
  // full and decorrelated jitter: require at least 3× fewer calls on every seed.
  for (const jitter of ['full', 'decorrelated'] as const) {
    for (const [i, calls] of summary[jitter]!.calls.entries()) {
      assert.ok(calls * 3 <= noneCalls, `${jitter} (seed ${SEEDS[i]}): ${calls} calls vs ${noneCalls} without jitter`);
    }
    // And all clients are done far sooner: lock-step retries at the 1 s cap take ~N seconds.
    for (const [i, ms] of summary[jitter]!.completion.entries()) {
      assert.ok(ms * 3 <= none.latencyMs.max, `${jitter} (seed ${SEEDS[i]}): all done at ${ms} ms vs ${none.latencyMs.max} ms`);
    }
  }
});

test.run();
