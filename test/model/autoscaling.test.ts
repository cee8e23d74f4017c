import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileScenario, simulateRaw, type ScaleEvent } from '../../sim/model/index.js';
import { runScenario } from '../../sim/runner/index.js';
import { withoutEngine, scenarioOf } from '../helpers.js';

/**
 * A load step through an HPA-scaled role, checked evaluation by evaluation.
 * Four replicas of one slot serve in 50 ms (capacity 80/s). The load is 40/s
 * (50% of that capacity) for a minute, 120/s (150%) until 200 s, then 40/s
 * again. The autoscaler tracks 50% utilisation on 2..12 replicas every
 * 15 s, with a 30 s scale-up window, a 60 s scale-down window and replicas
 * that take 20 s to start.
 */
const STEP_UP_MS = 60_000;
const STEP_DOWN_MS = 200_000;
const S = { target: 0.5, min: 2, max: 12, periodMs: 15_000, upWindowMs: 30_000, downWindowMs: 60_000, provisioningMs: 20_000, tolerance: 0.1 };
const doc = {
  duration: '300s',
  roles: { server: { count: 4, workers: 1, service: '50ms' } },
  workload: [
    { pattern: 'poisson', to: 'server', rate: '40/s', stop: STEP_UP_MS },
    { pattern: 'poisson', to: 'server', rate: '120/s', start: STEP_UP_MS, stop: STEP_DOWN_MS },
    { pattern: 'poisson', to: 'server', rate: '40/s', start: STEP_DOWN_MS },
  ],
  config: {
    autoscale: {
      server: { target: S.target, min: S.min, max: S.max, period: S.periodMs, upWindow: S.upWindowMs, downWindow: S.downWindowMs, provisioning: S.provisioningMs },
    },
  },
};

type Evaluate = Extract<ScaleEvent, { kind: 'evaluate' }>;
type ReplicaEvent = Extract<ScaleEvent, { kind: 'replica' }>;

const sc = scenarioOf(doc);
const log: ScaleEvent[] = [];
const raw = simulateRaw(compileScenario(sc), sc.config, 1, null, undefined, log);
const evals = log.filter((e): e is Evaluate => e.kind === 'evaluate');
const changes = log.filter((e): e is ReplicaEvent => e.kind === 'replica');

test('every evaluation follows the HPA formula, windows, rate limit and bounds', () => {
  assert.is(evals.length, 300_000 / S.periodMs);
  evals.forEach((e, i) => {
    assert.is(e.atMs, (i + 1) * S.periodMs);
    // The metric is the busy share of the serving replicas' time over the period (one slot each).
    assert.ok(Math.abs(e.metric - e.busyMs / e.servingMs) < 1e-12, `${e.atMs}: metric`);
    const ratio = e.metric / S.target;
    const raw = Math.abs(ratio - 1) <= S.tolerance ? e.current : Math.ceil(e.ready * ratio);
    assert.is(e.raw, raw, `${e.atMs}: raw recommendation`);
    const recent = (w: number) => evals.slice(0, i + 1).filter((x) => x.atMs > e.atMs - w).map((x) => x.raw);
    const up = Math.min(...recent(S.upWindowMs));
    const down = Math.max(...recent(S.downWindowMs));
    const stabilized = Math.min(Math.max(e.current, up), down);
    assert.is(e.stabilized, stabilized, `${e.atMs}: stabilised`);
    const limited = stabilized > e.current ? Math.min(stabilized, Math.max(2 * e.current, e.current + 4)) : stabilized;
    assert.is(e.final, Math.min(S.max, Math.max(S.min, limited)), `${e.atMs}: final`);
    // The next evaluation sees what this one decided: its current count is the final one, less drained replicas.
    const next = evals[i + 1];
    if (next !== undefined) assert.is(next.current, e.final, `${next.atMs}: current = previous final`);
  });
});

test('the step up: saturation doubles the recommendation, the up window delays it, replicas serve after 20 s', () => {
  const before = evals.filter((e) => e.atMs <= STEP_UP_MS);
  assert.ok(before.every((e) => e.final === 4), 'at 50% of capacity the count stays at 4');
  // The first period wholly after the step is saturated: ceil(4 × 1 / 0.5) = 8 — held back by the
  // up window until no lower recommendation is left in it, 30 s later.
  const first = evals.find((e) => e.atMs > STEP_UP_MS)!;
  assert.is(first.atMs, 75_000);
  assert.ok(Math.abs(first.metric - 1) < 1e-9, 'saturated');
  assert.is(first.raw, 8);
  assert.is(first.final, 4);
  const up = evals.find((e) => e.final > 4)!;
  assert.is(up.atMs, 90_000);
  assert.is(up.final, 8);
  // Four replicas start at 90 s and serve from 110 s, not before.
  const started = changes.filter((c) => c.state === 'starting' && c.atMs === 90_000).map((c) => c.agent);
  assert.equal(started, [4, 5, 6, 7]);
  for (const a of started) {
    const ready = changes.find((c) => c.agent === a && c.state === 'ready')!;
    assert.is(ready.atMs, 90_000 + S.provisioningMs);
  }
  // Before 110 s the role's worker time never exceeds its four old replicas' (60 s per 15 s period);
  // the period ending at 120 s holds more, which only the new replicas can have served.
  for (const e of evals.filter((x) => x.atMs <= 105_000)) assert.ok(e.busyMs <= 4 * S.periodMs + 1e-6, `${e.atMs}: ${e.busyMs}`);
  const after = evals.find((e) => e.atMs === 120_000)!;
  assert.ok(after.busyMs > 4 * S.periodMs + 1000, `${after.busyMs}`);
  assert.is(after.servingMs, 4 * S.periodMs + 4 * 10_000, 'four replicas for 15 s and four for the 10 s since they became ready');
  // At 150% of the old capacity the role settles at 120/s × 50 ms / 0.5 = 12 replicas.
  assert.is(evals.find((e) => e.atMs === 195_000)!.final, 12);
});

test('the step down: removed replicas wait out the down window, drain, and lose nothing', () => {
  const down = evals.find((e) => e.atMs > STEP_DOWN_MS && e.final < e.current)!;
  // The last recommendation of 12 or more was made before the load fell; the count falls once it leaves the 60 s window.
  const lastHigh = evals.filter((e) => e.atMs < down.atMs && e.raw >= 12).at(-1)!;
  assert.ok(lastHigh.atMs <= STEP_DOWN_MS);
  assert.is(down.atMs, lastHigh.atMs + S.downWindowMs);
  // The highest replicas drain first, and each stops only after draining.
  const drained = changes.filter((c) => c.state === 'draining' && c.atMs === down.atMs).map((c) => c.agent);
  assert.equal(drained, [11, 10, 9, 8, 7].slice(0, down.current - down.final));
  for (const a of drained) {
    const off = changes.find((c) => c.agent === a && c.state === 'off' && c.atMs >= down.atMs);
    assert.ok(off !== undefined, `agent ${a} stopped`);
  }
  const c = raw.counters;
  assert.is(c.delivered, c.generated, 'every message delivered: none reached a replica that was not up');
  assert.is(c.lost.reduce((s, x) => s + x, 0), 0);
});

test('a drained replica finishes the messages queued at it before it stops', () => {
  // Queue-length tracking with a target of 100 per replica asks for the minimum at the first
  // evaluation, while each replica holds a long queue (8/s offered to 4 one-slot replicas of 1 s).
  const drainDoc = {
    duration: '30s',
    roles: { server: { count: 4, workers: 1, service: '1s' } },
    workload: [{ pattern: 'poisson', to: 'server', rate: '8/s', stop: '20s' }],
    config: { autoscale: { server: { metric: 'queue', target: 100, min: 2, max: 4, downWindow: 0 } } },
  };
  const s2 = scenarioOf(drainDoc);
  const events: ScaleEvent[] = [];
  const r = simulateRaw(compileScenario(s2), s2.config, 3, null, undefined, events);
  const first = events.find((e): e is Evaluate => e.kind === 'evaluate')!;
  assert.is(first.atMs, 15_000);
  assert.ok(first.metric > 5, `queue per replica ${first.metric}`);
  assert.is(first.final, 2);
  const replicaEvents = events.filter((e): e is ReplicaEvent => e.kind === 'replica');
  for (const a of [3, 2]) {
    const drain = replicaEvents.find((e) => e.agent === a && e.state === 'draining')!;
    const off = replicaEvents.find((e) => e.agent === a && e.state === 'off')!;
    assert.is(drain.atMs, 15_000);
    // Its queue took at least 5 more services of 1 s.
    assert.ok(off.atMs - drain.atMs >= 5_000, `agent ${a} stopped ${off.atMs - drain.atMs} ms after it began to drain`);
  }
  assert.is(r.counters.delivered, r.counters.generated);
});

test('a scale-down policy of one replica a minute: after the step down the count falls one at a time', () => {
  // Four more minutes after the usual 300 s, for the slower fall to show.
  const limited = scenarioOf({
    ...doc,
    duration: '540s',
    config: {
      autoscale: { server: { ...doc.config.autoscale.server, downRate: { policies: [{ type: 'pods', value: 1, period: '60s' }] } } },
    },
  });
  const events: ScaleEvent[] = [];
  simulateRaw(compileScenario(limited), limited.config, 1, null, undefined, events);
  const ev = events.filter((e): e is Evaluate => e.kind === 'evaluate');
  const drops = ev.filter((e) => e.final < e.current);
  assert.ok(drops.length >= 3, `${drops.length} scale-downs`);
  for (const d of drops) {
    assert.is(d.current - d.final, 1, `${d.atMs}: one replica at a time`);
    // No other drop in the minute before it (changes exactly 60 s before are out of the period).
    assert.ok(!drops.some((x) => x.atMs < d.atMs && x.atMs > d.atMs - 60_000), `${d.atMs}: two drops within a minute`);
  }
  // Without the policy the same run drops several replicas at once (the test above): the policy made the difference.
  assert.ok(evals.some((e) => e.current - e.final > 1));
  // The rise is the default's, untouched: the same evaluations up to the step down.
  const upTo = (list: Evaluate[]) => list.filter((e) => e.atMs <= STEP_DOWN_MS).map((e) => e.final);
  assert.equal(upTo(ev), upTo(evals));
});

test('replica time is what the cost model charges, and runs are deterministic', () => {
  const priced = { ...doc, cost: { perAgentHour: 2, perSlotHour: 1 } };
  const m = runScenario(scenarioOf(priced), { seed: 1 });
  const scaling = m.scaling!['server']!;
  assert.is(scaling.minReplicas, 4);
  assert.is(scaling.maxReplicas, 12);
  // The replica integral, by hand from the log: starting, ready and draining replicas are charged.
  let running = 4;
  let t = 0;
  let replicaMs = 0;
  for (const e of changes) {
    replicaMs += running * (e.atMs - t);
    t = e.atMs;
    if (e.state === 'starting') running++;
    if (e.state === 'off' || e.state === 'cancelled') running--;
  }
  replicaMs += running * (300_000 - t);
  assert.ok(Math.abs(scaling.replicaHours - replicaMs / 3_600_000) < 1e-12);
  // perAgentHour × replica-hours + perSlotHour × slot-hours (one slot per replica).
  assert.ok(Math.abs(m.cost.agents - 3 * scaling.replicaHours) < 1e-12, `${m.cost.agents}`);
  assert.equal(withoutEngine(runScenario(scenarioOf(priced), { seed: 1 })), withoutEngine(m));
});

/**
 * Eight one-slot replicas at 50% (80/s, 50 ms), target 50%, no stabilisation
 * windows; two crash from 60 s to 120 s and round-robin keeps feeding them
 * (their share is lost).
 */
const crashDoc = {
  duration: '180s',
  roles: { server: { count: 8, workers: 1, service: '50ms' } },
  workload: [{ pattern: 'poisson', to: 'server', rate: '80/s' }],
  faults: [{ kind: 'crash', target: 'server', count: 2, at: '60s', for: '60s' }],
  config: { autoscale: { server: { target: 0.5, min: 2, max: 12, period: 15_000, upWindow: 0, downWindow: 0, provisioning: 10_000 } } },
};

test('crashed replicas are not ready: left out of the metric, they neither drive a scale-down nor inflate a scale-up', () => {
  // Counted as serving, the crashed two would bring the metric to about 6/8
  // of the target and the role down by a replica or two mid-crash.
  const crashSc = scenarioOf(crashDoc);
  const crashLog: ScaleEvent[] = [];
  simulateRaw(compileScenario(crashSc), crashSc.config, 3, null, undefined, crashLog);
  const ev = crashLog.filter((e): e is Evaluate => e.kind === 'evaluate');
  const during = ev.filter((e) => e.atMs > 60_000 && e.atMs < 120_000);
  assert.ok(during.length >= 3);
  for (const e of during) {
    assert.is(e.unready, 2, `${e.atMs}: two crashed`);
    assert.ok(e.crashedMs > 0);
    // The metric is over the time the others served.
    assert.ok(Math.abs(e.metric - e.busyMs / (e.servingMs - e.crashedMs)) < 1e-12, `${e.atMs}: metric`);
    assert.ok(Math.abs(e.metric - 0.5) < 0.1, `${e.atMs}: the six at the target, ${e.metric}`);
    // Read with the crashed replicas counted at 0, the metric would have asked for fewer.
    assert.ok(e.busyMs / e.servingMs / 0.5 < 0.9, `${e.atMs}: ${e.busyMs / e.servingMs}`);
    assert.ok(Math.ceil(8 * (e.busyMs / e.servingMs / 0.5)) < 8, `${e.atMs}: ${e.busyMs / e.servingMs}`);
    assert.is(e.final, 8, `${e.atMs}: the count holds`);
  }
  assert.ok(ev.every((e) => e.final === 8), 'eight replicas throughout');
  // Before the crash and a period after the repair (at 120 s, before that evaluation), nothing is left out.
  assert.ok(ev.filter((e) => e.atMs < 60_000 || e.atMs > 120_000).every((e) => e.unready === 0 && e.crashedMs === 0));
});

test('the replicas timeline shows the replicas that serve: two of eight crashed leave six', () => {
  const t = runScenario(scenarioOf(crashDoc), { seed: 3, timeline: true }).timeline!;
  const replicas = t.replicas!['server']!;
  const utilization = t.utilization['server']!;
  let inside = 0;
  let outside = 0;
  replicas.forEach((n, b) => {
    const lo = b * t.bucketMs;
    const hi = lo + t.bucketMs;
    if (lo >= 60_000 && hi <= 120_000) {
      inside++;
      assert.ok(Math.abs(n - 6) < 1e-9, `bucket at ${lo} ms: ${n} replicas serving, six expected`);
      // The utilisation stays over the eight replicas' time, as a fixed role's counts its crashed replicas.
      assert.ok(utilization[b]! < 0.5, `bucket at ${lo} ms: utilisation ${utilization[b]}`);
    } else if (hi <= 60_000 || (lo >= 120_000 && hi <= 180_000)) {
      outside++;
      assert.ok(Math.abs(n - 8) < 1e-9, `bucket at ${lo} ms: ${n} replicas serving, eight expected`);
    }
  });
  assert.ok(inside >= 3 && outside >= 3, `${inside} buckets inside the crash, ${outside} outside`);
  // A bucket the crash starts in averages over it: 8 before, 6 after.
  const straddle = replicas.findIndex((_, b) => b * t.bucketMs < 60_000 && (b + 1) * t.bucketMs > 60_000);
  if (straddle >= 0) assert.ok(replicas[straddle]! > 6 && replicas[straddle]! < 8);
});

test.run();
