import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../../sim/runner/index.js';
import { scenarioOf } from '../helpers.js';
import { expectNear, mean, mm1SojournMs, mm1SojournSeMs, standardError } from './theory.js';

const SEED = 31;

// An exponential server with μ = 1000/s (1 ms) at λ = 250/s. Slowed by a
// factor f its service rate is μ/f, and the mean time in system of an M/M/1
// becomes 1/(μ/f − λ): 1.333 ms → 4 ms at f = 2.

function slowRun(replicas: number, fault: Record<string, unknown> | null, seconds: number, timeline = false) {
  const sc = scenarioOf({
    duration: `${seconds + 10}s`,
    warmup: '10s',
    roles: { server: { count: replicas, workers: 1, service: { dist: 'exp', mean: '1ms' } } },
    workload: [{ pattern: 'poisson', to: 'server', rate: `${250 * replicas}/s` }],
    faults: fault === null ? [] : [{ kind: 'slow', target: 'server', ...fault }],
    config: { routing: { balancer: 'random' } },
  });
  return runScenario(sc, { seed: SEED, timeline });
}

test('slow ×2 on a single-replica role: mean time 1/(μ/2 − λ)', () => {
  // Sampling error of an M/M/1 mean sojourn over t seconds: Whitt (1989), see theory.ts.
  const seconds = 400;
  const slowed = slowRun(1, { count: 1, factor: 2, at: 0, for: '1h' }, seconds);
  expectNear(`slowed ×2, seed ${SEED}`, slowed.latencyMs.mean, mm1SojournMs(250, 500), 4 * mm1SojournSeMs(250, 500, seconds));
  const normal = slowRun(1, null, seconds);
  expectNear(`not slowed, seed ${SEED}`, normal.latencyMs.mean, mm1SojournMs(250, 1000), 4 * mm1SojournSeMs(250, 1000, seconds));
  // Utilisation doubles with the service time: ρ = λ·f/μ = 0.5. It is a
  // compound Poisson sum of Exp(2 ms) services over t: sd = s·√(2λ/t).
  expectNear(`slowed utilisation, seed ${SEED}`, slowed.utilization.server!, 0.5, 4 * 0.002 * Math.sqrt((2 * 250) / seconds));
});

test('slow ×2 on a quarter of 8 replicas: the mean mixes 6 normal and 2 slowed M/M/1 queues', () => {
  // A random balancer splits the Poisson stream: each replica is an M/M/1 at
  // 250/s. Mean = (6·1/(1000 − 250) + 2·1/(500 − 250))/8 = 2 ms; the sd of
  // the mixture is that of its 8 independent queues' means, over 8.
  const seconds = 200;
  const m = slowRun(8, { fraction: 0.25, factor: 2, at: 0, for: '1h' }, seconds);
  const theory = (6 * mm1SojournMs(250, 1000) + 2 * mm1SojournMs(250, 500)) / 8;
  const se = Math.sqrt(6 * mm1SojournSeMs(250, 1000, seconds) ** 2 + 2 * mm1SojournSeMs(250, 500, seconds) ** 2) / 8;
  // The split of messages between the replicas is itself binomial; its effect
  // on the mixture, (T_slow − T_normal)·√(p(1−p)/n), is added in quadrature.
  const split = (mm1SojournMs(250, 500) - mm1SojournMs(250, 1000)) * Math.sqrt((0.25 * 0.75) / m.messages.delivered);
  expectNear(`quarter slowed, seed ${SEED}`, m.latencyMs.mean, theory, 4 * Math.hypot(se, split));
  assert.is(theory, 2);
});

test('slow in a window: the latency rises inside it only', () => {
  // Slowed from 20 s to 40 s of a 60 s run (timeline buckets of 0.5 s). The
  // queue relaxes within ~1/(μ'(1−√ρ)²) = 23 ms, so the buckets inside the
  // window (after its first) are at the slowed M/M/1's 4 ms, those outside at
  // 1.333 ms. Sampling error by batch means over the buckets.
  const m = slowRun(1, { count: 1, factor: 2, at: '20s', for: '20s' }, 50, true);
  const tl = m.timeline!;
  const at = (s: number) => s * (1000 / tl.bucketMs);
  const inside = tl.meanLatencyMs.slice(at(21), at(40));
  const outside = [...tl.meanLatencyMs.slice(at(1), at(20)), ...tl.meanLatencyMs.slice(at(41), at(60))];
  expectNear(`inside the window, seed ${SEED}`, mean(inside), mm1SojournMs(250, 500), 4 * standardError(inside));
  expectNear(`outside the window, seed ${SEED}`, mean(outside), mm1SojournMs(250, 1000), 4 * standardError(outside));
});

test.run();
