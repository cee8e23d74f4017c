import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ReplicaDetail } from '../../sim/metrics/replica-detail.js';
import { compileScenario } from '../../sim/model/index.js';
import { attributeRun, worstWindow } from '../../sim/runner/attribution.js';
import { planRun } from '../../sim/runner/plan-run.js';
import { bottleneckOf, kindOf } from '../../sim/plan/bottleneck.js';
import type { RunAttribution } from '../../sim/plan/types.js';
import { scenarioOf } from '../helpers.js';

// Agents: api#0 (0), db#0 (1), db#1 (2), db#2 (3); 10 buckets of 1 s.
const sc = scenarioOf({
  duration: '10s',
  warmup: '1s',
  drain: '0s',
  roles: { api: { count: 1, workers: 4, service: '1ms' }, db: { count: 3, workers: 2, service: '5ms' } },
  workload: [{ pattern: 'poisson', to: 'api', then: ['db'], rate: '10/s' }],
  faults: [
    { kind: 'slow', target: 'db', count: 1, factor: 5, at: '4s', for: '3s' },
    { kind: 'loss', rate: 0.1, at: '0s', for: '1s' },
  ],
});
const model = compileScenario(sc);

/** A detail where db#2 (a fault victim) is saturated at 4–7 s and holds most slow messages there. */
function faultyDetail(): ReplicaDetail {
  const d = new ReplicaDetail(1000, 10_000, model.n, 100);
  d.victims = [Int32Array.of(3), null];
  for (let b = 0; b < 10; b++) {
    d.busyMs[0 * 10 + b] = 400; // api: 4 slots × 1 s, 10% busy
    d.busyMs[1 * 10 + b] = 600; // db#0: 30%
    d.busyMs[2 * 10 + b] = 500; // db#1: 25%
    d.busyMs[3 * 10 + b] = b >= 4 && b < 7 ? 2000 : 600; // db#2: 100% in the fault
    d.waitMs[3 * 10 + b] = b >= 4 && b < 7 ? 30_000 : 0; // 30 waiting on average
    d.delivered[b] = 100;
  }
  for (const [b, n] of [[4, 20], [5, 40], [6, 30], [8, 1]] as const) {
    d.slowAll[b] = n;
    d.slow[3 * 10 + b] = b === 8 ? 0 : n - 2;
    d.slow[1 * 10 + b] = b === 8 ? 1 : 2;
  }
  return d;
}

test('the worst window grows from the peak over busy neighbours, bridging short gaps', () => {
  assert.equal(worstWindow([0, 0, 10, 40, 0, 0, 12, 0, 0, 0, 9], 0, 3), [2, 6]);
  assert.equal(worstWindow([5, 9, 10, 8, 7], 0, 2), [0, 4], 'a steady overload: the whole run');
  assert.equal(worstWindow([50, 0, 0, 0, 50], 1, 4), [4, 4], 'not before the measured start');
});

test('a run’s culprit: the replica holding the window’s slow messages, its load, queue and fault', () => {
  const a = attributeRun(faultyDetail(), model, 7);
  assert.equal(a.window, { fromMs: 4000, toMs: 7000, slowMessages: 90 });
  const c = a.culprit!;
  assert.is(c.replica, 'db#2');
  assert.is(c.role, 'db');
  assert.ok(Math.abs(c.busy - 1) < 1e-12, String(c.busy));
  assert.ok(Math.abs(c.meanQueue - 30) < 1e-12);
  assert.ok(Math.abs(c.slowShare - 84 / 90) < 1e-12);
  assert.equal(c.roleBusy, [0.25, 1]);
  assert.is(c.siblingsBusy, 0.3);
  assert.equal(c.fault, { index: 0, kind: 'slow', factor: 5, atMs: 4000, forMs: 3000 });
  assert.is(a.busiest!.replica, 'db#2');
  assert.is(kindOf(c), 'replica');
});

test('the bottleneck is what most runs agree on, even when the fault hits another replica on each seed', () => {
  const one = attributeRun(faultyDetail(), model, 7);
  const other: RunAttribution = { ...one, seed: 8, culprit: { ...one.culprit!, replica: 'db#0' } };
  const stray: RunAttribution = { ...one, seed: 9, culprit: { ...one.culprit!, replica: 'api#0', role: 'api', fault: null } };
  const b = bottleneckOf(1.5, [one, other, stray, null])!;
  assert.is(b.kind, 'replica');
  assert.is(b.agreeing, 2);
  assert.is(b.runs, 4);
  assert.equal(b.perSeed.map((s) => s.replica), ['db#2', 'db#0', 'api#0', null]);
  assert.match(b.text, /^db#2, slowed ×5 at 4–7 s, is 100% busy at 4–7 s while the other db replicas are at most 30% busy, with 30 waiting on average, and holds 93\.3% of the messages over the SLO/);
  assert.match(b.text, /in 2 of 4 runs the culprit is the replica this fault hits/);
});

test('a fault that hit several replicas: the culprit is compared with the replicas it spared', () => {
  const d = faultyDetail();
  d.victims = [Int32Array.of(3, 1), null]; // db#0 (30% busy) was hit too
  const c = attributeRun(d, model, 7).culprit!;
  assert.is(c.othersHit, 1);
  assert.is(c.siblingsBusy, 0.25, 'db#1, the one spared');
  assert.match(bottleneckOf(1, [attributeRun(d, model, 7)])!.text, /while the db replicas the fault spared are at most 25% busy/);
  d.victims = [Int32Array.of(1, 2, 3), null];
  const all = attributeRun(d, model, 7).culprit!;
  assert.is(all.siblingsBusy, null, 'every replica hit: none to compare with');
  assert.not.match(bottleneckOf(1, [attributeRun(d, model, 7)])!.text, /while the/);
});

test('a culprit whose siblings are as busy is not set against them: they are said to be as busy', () => {
  const one = attributeRun(faultyDetail(), model, 7);
  const even = { ...one, culprit: { ...one.culprit!, busy: 0.976, siblingsBusy: 1, fault: null } };
  const text = bottleneckOf(1, [even])!.text;
  assert.match(text, /is 97\.6% busy at 4–7 s, and other db replicas are as busy \(up to 100%\), with 30 waiting/);
  assert.not.match(text, /while the other db replicas are at most 100% busy/);
});

test('evenly busy replicas and no fault: the role’s capacity is the limit', () => {
  const d = new ReplicaDetail(1000, 10_000, model.n, 100);
  for (let b = 0; b < 10; b++) {
    for (const a of [1, 2, 3]) d.busyMs[a * 10 + b] = 1900 + a * 10;
    d.slowAll[b] = 9;
    for (const a of [1, 2, 3]) d.slow[a * 10 + b] = 3;
  }
  const a = attributeRun(d, model, 1);
  assert.equal(a.window, { fromMs: 1000, toMs: 10_000, slowMessages: 81 }, 'the whole measured run');
  assert.is(kindOf(a.culprit!), 'role');
  assert.is(a.culprit!.fault, null, 'the loss window ended before the measured run');
  const b = bottleneckOf(2, [a])!;
  assert.match(b.text, /^db: its 3 replicas are 95\.5%–96\.5% busy at 1–10 s; db#\d holds 33\.3% of the messages over the SLO with 0 waiting on average: the role's capacity is the limit/);
});

test('evenly but lightly busy replicas: the text does not blame the role’s capacity', () => {
  const d = new ReplicaDetail(1000, 10_000, model.n, 100);
  for (let b = 0; b < 10; b++) {
    // 30% busy: under the 70% the replica lever sizes a role for.
    for (const a of [1, 2, 3]) d.busyMs[a * 10 + b] = 600;
    d.slowAll[b] = 9;
    for (const a of [1, 2, 3]) d.slow[a * 10 + b] = 3;
  }
  const b = bottleneckOf(2, [attributeRun(d, model, 1)])!;
  assert.is(b.kind, 'role');
  assert.match(b.text, /^db: its 3 replicas are all 30% busy at 1–10 s; db#\d holds 33\.3% of the messages over the SLO with 0 waiting on average: not its capacity: the role is under the 70% busy it is sized for/);
  assert.not.match(b.text, /capacity is the limit/);
});

test('a try given up by timeout is booked where its message is held, not at a callee that handed it on', () => {
  const d = new ReplicaDetail(1000, 10_000, model.n, 100);
  // Job 0: admitted to api#0 at 1000, served by 1001, handed to db#2 and
  // admitted there at 1002; the end-to-end try to api#0 (from 1000) times
  // out at 2000 while db#2 still holds it.
  d.startJob(0);
  d.admitted(0, 0, 1000);
  d.served(0, 0, 1);
  d.admitted(0, 3, 1002);
  d.abandoned(0, 0, 1000, 2000);
  // Job 1: the try times out while the message is on a link to api#0.
  d.startJob(1);
  d.abandoned(1, 0, 1000, 1500);
  d.deliveredJob(0, 1000, 2100);
  d.deliveredJob(1, 1000, 1600);
  assert.is(d.slow[3 * 10 + 1], 1, 'db#2 held job 0 for 998 ms');
  assert.is(d.slow[0 * 10 + 1], 1, 'api#0, the callee, for job 1: no agent held it');
});

test('hand-offs with an end-to-end timeout: the slow downstream replica is the culprit, not the entry', () => {
  // api hands each message on to db; one of four db replicas is 40× slower
  // from 2 s, and the end-to-end try times out at 300 ms. The slow messages
  // wait at that replica while api has long finished its part.
  const s = scenarioOf({
    duration: '8s',
    warmup: '1s',
    seed: 3,
    roles: { api: { count: 2, workers: 8, service: '1ms' }, db: { count: 4, workers: 2, service: { dist: 'exp', mean: '10ms' } } },
    workload: [{ pattern: 'poisson', to: 'api', then: ['db'], rate: '200/s', reply: { size: '1KB' } }],
    faults: [{ kind: 'slow', target: 'db', count: 1, factor: 40, at: '2s', for: '5s' }],
    config: { routing: { balancer: 'round-robin' }, timeout: { perTry: '300ms' }, retry: { maxAttempts: 2, base: '1ms' } },
  });
  const m = compileScenario(s);
  const a = planRun(m, s.config, s.seed, 100).attribution!;
  assert.ok(a.slowMessages > 50, `slow messages: ${a.slowMessages}`);
  const c = a.culprit!;
  assert.is(c.role, 'db', `culprit ${c.replica}`);
  assert.is(c.fault?.kind, 'slow');
  assert.ok(c.slowShare > 0.5, String(c.slowShare));
});

test('no slow message: nothing to attribute', () => {
  const a = attributeRun(new ReplicaDetail(1000, 10_000, model.n, 100), model, 1);
  assert.equal([a.slowMessages, a.window, a.culprit], [0, null, null]);
  assert.is(bottleneckOf(1, [a]), null);
});

test.run();
