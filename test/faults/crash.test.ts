import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Purpose, Stream } from '../../sim/engine/rng.js';
import { pickVictims } from '../../sim/faults/victims.js';
import { runScenario } from '../../sim/runner/index.js';
import type { CrashFault } from '../../sim/scenario/types.js';
import { scenarioOf } from '../helpers.js';
import { tempFile } from '../workload/trace-spec.js';
import { expectNear } from './theory.js';

const SEED = 21;

test('crash of 5% of a role for 10 s: lost = λ·10 s·5% + what the victims held', () => {
  // 4,000 M/M/1 replicas (service 5 s, 0.1/s each: ρ = 0.5) behind a random
  // balancer, one-way at-most-once traffic. 5% = 200 replicas crash at 300 s
  // for 10 s (the queues relax in ~1/(μ(1−√ρ)²) = 58 s, so by 300 s they are
  // stationary). Lost to the crash:
  //   routed to a victim during the window: Poisson, mean λ·10 s·200/4000 = 200;
  //   held by the victims when they crash: 200 × ρ/(1−ρ) = 200, each a
  //   geometric count with variance ρ/(1−ρ)² = 2.
  // sd = √(200 + 200·2) = 24.5.
  const replicas = 4000;
  const sc = scenarioOf({
    duration: '320s',
    warmup: '200s',
    roles: { worker: { count: replicas, workers: 1, service: { dist: 'exp', mean: '5s' } } },
    workload: [{ pattern: 'poisson', to: 'worker', rate: `${0.1 * replicas}/s` }],
    faults: [{ kind: 'crash', target: 'worker', fraction: 0.05, at: '300s', for: '10s' }],
    config: { routing: { balancer: 'random' } },
  });
  const m = runScenario(sc, { seed: SEED });
  const victims = Math.ceil(0.05 * replicas);
  const rho = 0.5;
  const window = 0.1 * replicas * 10 * (victims / replicas);
  const held = victims * (rho / (1 - rho));
  const sd = Math.sqrt(window + victims * (rho / (1 - rho) ** 2));
  expectNear(`lost.crash, seed ${SEED}`, m.messages.lost.crash, window + held, 4 * sd);
  // Without the messages held at the crash, the count would be 8 sd lower.
  assert.ok(m.messages.lost.crash - window > 4 * sd, `seed ${SEED}: the held messages are lost too`);
});

test('recurring crashes (mtbf 9 s, mttr 1 s): the loss fraction is mttr / (mtbf + mttr)', () => {
  // Every one of 1,000 replicas alternates Exp(9 s) up and Exp(1 s) down; a
  // random balancer spreads 1,000/s over them. A message is lost when its
  // replica is down: fraction d/(u+d) = 0.1, plus what a replica holds when
  // it crashes (ρ/(1−ρ) = 0.001 messages, once per 10 s cycle, against 1/s
  // arriving: 10⁻⁴). Sampling error: a replica's down-time fraction over H s
  // has variance 2u²d²/((u+d)³H) (two-state Markov chain), averaged over the
  // replicas, plus the binomial thinning p(1−p)/n.
  const replicas = 1000;
  const seconds = 100;
  const sc = scenarioOf({
    duration: `${seconds + 10}s`,
    warmup: '10s',
    roles: { worker: { count: replicas, workers: 1, service: { dist: 'exp', mean: '1ms' } } },
    workload: [{ pattern: 'poisson', to: 'worker', rate: `${replicas}/s` }],
    faults: [{ kind: 'crash', target: 'worker', fraction: 1, mtbf: '9s', mttr: '1s' }],
    config: { routing: { balancer: 'random' } },
  });
  const m = runScenario(sc, { seed: SEED });
  const u = 9;
  const d = 1;
  const p = d / (u + d);
  const theory = p + 0.001 / (1 * (u + d));
  const n = m.messages.generated;
  const sd = Math.sqrt((2 * u * u * d * d) / ((u + d) ** 3 * seconds) / replicas + (p * (1 - p)) / n);
  expectNear(`loss fraction, seed ${SEED}`, m.messages.lost.crash / n, theory, 4 * sd);
  assert.is(m.messages.delivered + m.messages.lost.crash, n);
});

const zoneFault = (zone: number, zones: number): CrashFault => ({
  kind: 'crash',
  target: 'w',
  count: null,
  fraction: null,
  zone,
  zones,
  at: 0,
  for: 0,
  mtbf: null,
  mttr: null,
});

test('zone k of z takes down exactly the k-th contiguous slice, without drawing', () => {
  const rng = new Stream(SEED, Purpose.faults);
  // A role of 10 replicas from agent 3: slices ⌊k·10/4⌋ … ⌊(k+1)·10/4⌋ − 1.
  const slices = [0, 1, 2, 3].map((k) => Array.from(pickVictims(zoneFault(k, 4), 3, 10, rng)));
  assert.equal(slices, [
    [3, 4],
    [5, 6, 7],
    [8, 9],
    [10, 11, 12],
  ]);
  const untouched = new Stream(SEED, Purpose.faults);
  assert.is(rng.next(), untouched.next(), 'a zone is no random pick');
});

test('count and fraction pick among the agents given (the replicas an autoscaled role runs); a zone stays a slice of the role', () => {
  const two: CrashFault = { ...zoneFault(0, 1), zone: null, count: 2 };
  const half: CrashFault = { ...two, count: null, fraction: 0.5 };
  const running = Int32Array.from([3, 4, 5, 9]);
  for (let s = 0; s < 20; s++) {
    const v = Array.from(pickVictims(two, 3, 10, new Stream(s, Purpose.faults), running));
    assert.is(v.length, 2);
    assert.ok(v.every((a) => running.includes(a)), `${v}`);
    assert.is(pickVictims(half, 3, 10, new Stream(s, Purpose.faults), running).length, 2, 'half of the four running');
  }
  // Without a list, the whole role: the same picks as the list of all its agents.
  const all = Int32Array.from({ length: 10 }, (_, i) => 3 + i);
  assert.equal(pickVictims(two, 3, 10, new Stream(SEED, Purpose.faults)), pickVictims(two, 3, 10, new Stream(SEED, Purpose.faults), all));
  assert.equal(Array.from(pickVictims(zoneFault(1, 4), 3, 10, new Stream(SEED, Purpose.faults), running)), [5, 6, 7]);
});

test('zone crash in a run: the messages lost are exactly those sent to the slice', () => {
  // 8 replicas of `w` after 3 of `front`; replica i receives 2^i messages
  // during the crash window (by name, from a trace), so the count lost to
  // the crash spells out which replicas were down: Σ_{i in slice} 2^i.
  const rows = ['time_ms,src,dst,bytes'];
  let t = 0;
  for (let i = 0; i < 8; i++) for (let k = 0; k < 2 ** i; k++) rows.push(`${(t += 10)},external,w#${i},100`);
  const trace = tempFile('zones.csv', rows.join('\n'));
  for (const [zone, zones, expected] of [
    [0, 4, 1 + 2],
    [1, 4, 4 + 8],
    [2, 4, 16 + 32],
    [3, 4, 64 + 128],
    [0, 3, 1 + 2],
    [1, 3, 4 + 8 + 16],
    [2, 3, 32 + 64 + 128],
  ] as const) {
    const sc = scenarioOf({
      duration: '10s',
      roles: { front: { count: 3, service: '1ms' }, w: { count: 8, service: '1ms' } },
      workload: [{ pattern: 'trace', file: trace, start: '1s' }],
      faults: [{ kind: 'crash', target: 'w', zone, zones, at: '500ms', for: '5s' }],
    });
    const m = runScenario(sc, { seed: SEED });
    assert.is(m.messages.generated, 255);
    assert.is(m.messages.lost.crash, expected, `zone ${zone} of ${zones}, seed ${SEED}`);
    assert.is(m.messages.delivered, 255 - expected, `zone ${zone} of ${zones}, seed ${SEED}`);
  }
});

test.run();
