/**
 * A recurring crash (`mtbf`/`mttr`) on an autoscaled role, driven through the
 * fault driver alone: its victims are picked when its window opens — a
 * `count` among the replicas running then, a `fraction` as much of those and
 * of the others — and a victim fails only while
 * it runs, however late the autoscaler starts it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventQueue } from '../../sim/engine/event-queue.js';
import type { CompiledRole } from '../../sim/model/compile.js';
import { FaultDriver } from '../../sim/model/faults.js';
import { Ev } from '../../sim/model/kinds.js';
import { MeshState } from '../../sim/model/mesh-state.js';
import type { CrashFault } from '../../sim/scenario/types.js';

const REPLICAS = 8;

const flaky = (over: Partial<CrashFault> = {}): CrashFault => ({
  kind: 'crash',
  target: 'server',
  count: null,
  fraction: 0.5,
  zone: null,
  zones: 1,
  at: 10_000,
  for: 60_000,
  mtbf: 5_000,
  mttr: 1_000,
  ...over,
});

/** The driver over one role of eight replicas, with the running set and the crashes it saw. */
function rig(fault: CrashFault, autoscaled: boolean, seed = 5) {
  const role = { name: 'server', first: 0, count: REPLICAS, autoscaled } as unknown as CompiledRole;
  const mesh = new MeshState(REPLICAS, 1, new Int32Array(REPLICAS));
  const running = new Set([0, 1]);
  const crashes: Array<[number, number]> = [];
  const q = new EventQueue();
  const driver = new FaultDriver([fault], [role], mesh, seed, {
    crash: (a) => crashes.push([q.now, a]),
    repair: () => {},
    running: (a) => running.has(a),
  });
  driver.schedule(q);
  /** Runs the fault events up to `untilMs`. */
  const runUntil = (untilMs: number): void => {
    while (q.size > 0 && q.peekTime() <= untilMs && q.pop()) {
      assert.is(q.kind, Ev.Fault);
      driver.onFault(q.a, q.b, q.time, q);
    }
  };
  return { driver, running, crashes, runUntil };
}

test('an autoscaled role: victims are picked at the window start among the replicas running then', () => {
  for (const seed of [1, 2, 3]) {
    const { driver, running, crashes, runUntil } = rig(flaky(), true, seed);
    // Two replicas at time 0, six by the time the window opens at 10 s.
    runUntil(5_000);
    assert.is(driver.picked()[0], null, 'nothing picked before the window opens');
    for (let a = 2; a < 6; a++) running.add(a);
    runUntil(80_000);
    const victims = Array.from(driver.picked()[0]!);
    assert.is(victims.filter((a) => a < 6).length, 3, `half of the six running at 10 s: ${victims}`);
    assert.is(victims.filter((a) => a >= 6).length, 1, `half of the two not running then: ${victims}`);
    assert.ok(crashes.length > 0);
    assert.ok(crashes.every(([t]) => t >= 10_000 && t < 70_000));
    assert.ok(crashes.every(([, a]) => a < 6), 'the replicas that never ran never fail');
  }
});

test('a count picks among the replicas running when the window opens, and only them', () => {
  for (const seed of [1, 2, 3]) {
    const { driver, running, runUntil } = rig(flaky({ fraction: null, count: 2 }), true, seed);
    for (let a = 2; a < 4; a++) running.add(a);
    runUntil(10_000);
    for (let a = 4; a < REPLICAS; a++) running.add(a);
    runUntil(80_000);
    const victims = Array.from(driver.picked()[0]!);
    assert.is(victims.length, 2);
    assert.ok(victims.every((a) => a < 4), `${victims}`);
  }
});

test('the whole role (fraction 1): a replica the autoscaler starts after the window opens fails too, from when it runs', () => {
  const { driver, running, crashes, runUntil } = rig(flaky({ fraction: 1 }), true);
  runUntil(10_000);
  assert.equal(Array.from(driver.picked()[0]!), [0, 1, 2, 3, 4, 5, 6, 7], 'every replica of the layout');
  runUntil(30_000);
  running.add(5); // started at 30 s
  runUntil(70_000);
  const of5 = crashes.filter(([, a]) => a === 5);
  assert.ok(of5.length > 0, 'the late replica fails');
  assert.ok(of5.every(([t]) => t > 30_000), `${of5.map(([t]) => t)}`);
  assert.ok(crashes.every(([, a]) => a === 0 || a === 1 || a === 5), 'the replicas that never ran never fail');
  // Up Exp(5 s), down Exp(1 s): over 40 s of running, about six failures; fewer than two would mean its clock started late.
  assert.ok(of5.length >= 2, `${of5.length} failures of the late replica`);
});

test('a role that does not autoscale keeps its victims from time 0, with the same first failures', () => {
  const { driver, running, crashes, runUntil } = rig(flaky(), false);
  assert.ok(driver.picked()[0] !== null, 'picked when the run starts');
  running.clear(); // read only for autoscaled roles
  runUntil(80_000);
  assert.is(driver.picked()[0]!.length, REPLICAS / 2);
  assert.ok(crashes.length > 0, 'a fixed role fails whatever the running set says');
});

test('a victim the autoscaler stopped does not fail; it fails again once it runs', () => {
  const { driver, running, crashes, runUntil } = rig(flaky({ fraction: 1, at: 0, for: 600_000 }), true);
  runUntil(0);
  assert.equal(Array.from(driver.picked()[0]!), [0, 1, 2, 3, 4, 5, 6, 7], 'a fraction of 1: all of them');
  // Replica 1 stops at 20 s and runs again from 300 s.
  runUntil(20_000);
  running.delete(1);
  runUntil(300_000);
  assert.ok(crashes.every(([t, a]) => a !== 1 || t < 20_000), 'no failure of the stopped replica');
  assert.ok(crashes.some(([t, a]) => a === 0 && t > 20_000), 'the running one goes on failing');
  running.add(1);
  runUntil(600_000);
  assert.ok(crashes.some(([t, a]) => a === 1 && t > 300_000), 'the replica fails again once it runs');
  assert.ok(crashes.every(([, a]) => a < 2), 'the replicas that never ran never fail');
});

test.run();
