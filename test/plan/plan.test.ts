import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileScenario, simulateRaw } from '../../sim/model/index.js';
import { plan, type PlanResult } from '../../sim/plan/index.js';
import { loadScenario } from '../../sim/scenario/index.js';
import type { Scenario } from '../../sim/scenario/types.js';
import { MemoryRunner } from '../../sim/runner/memory-runner.js';
import type { Runner } from '../../sim/runner/runner.js';
import type { RunResult, RunTask } from '../../sim/study/types.js';
import { mmcRateForQuantile } from '../../sim/validation/analytic.js';

// Capacity plans against theory and on a fault: the suite's share of the
// proofs. The 40-plan coverage of each queue is scripts/plan-coverage.ts
// (results/plan/coverage.md); here one plan per queue, on shorter runs.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = (name: string): Scenario => loadScenario(path.join(root, 'test/fixtures/plan', name));

/** The fixture with runs cut to `durationMs` (fewer messages per seed, so wider intervals). */
const shorter = (sc: Scenario, durationMs: number): Scenario => ({ ...sc, duration: durationMs });

function holds(r: PlanResult, limit: number): void {
  const [low, high] = r.interval;
  assert.ok(low !== null && high !== null, `interval [${low}, ${high}]`);
  assert.ok(low! <= limit && limit <= high!, `[${low}, ${high}] misses the closed-form ×${limit.toFixed(4)}`);
  assert.ok((high! - low!) / (high! + low!) <= 0.05, `±${(((high! - low!) / (high! + low!)) * 100).toFixed(1)}% is wider than ±5%`);
  assert.ok(r.answer! >= low! && r.answer! <= high!, 'the point lies in the interval');
  assert.ok(r.reached);
  for (const p of r.probes) {
    assert.is(p.replications.length >= 4, true, 'every probe has at least the first look');
    if (p.x === low) assert.is(p.verdict, 'meets');
    if (p.x === high) assert.is(p.verdict, 'breaks');
  }
}

test('M/M/1: the interval holds the closed-form limit λ = μ − ln(100)/1 s', async () => {
  const sc = shorter(fixture('mm1.yaml'), 5_000_000);
  const limit = (10 - Math.log(100)) / 4;
  const r = await plan(sc, { seed: 101, levers: false });
  holds(r, limit);
  const top = r.probes.find((p) => p.x === r.interval[1])!;
  assert.ok(top.p99Ci![0] > 1000, 'the breaking end is shown above the SLO');
  assert.is(r.runs, r.probes.reduce((s, p) => s + p.replications.length, 0), 'runs spent = seeds of every probe');
});

test('M/M/4: the interval holds the Erlang C limit', async () => {
  const sc = shorter(fixture('mmc.yaml'), 1_000_000);
  const limit = mmcRateForQuantile(10, 4, 0.99, 0.6)! / 22;
  holds(await plan(sc, { seed: 202, levers: false }), limit);
});

test('one slow replica in a fault window: named with its window, and the recommended lever fixes the SLO', async () => {
  const sc = fixture('slow-replica.yaml');
  const r = await plan(sc, {});
  // Round-robin sends a third of today's load to the replica slowed ×5: today's load breaks.
  assert.is(r.leverLoad, 1);
  const b = r.bottleneck!;
  assert.is(b.kind, 'replica');
  assert.equal(b.culprit.fault, { index: 0, kind: 'slow', factor: 5, atMs: 20_000, forMs: 15_000 });
  assert.ok(b.window.fromMs >= 19_000 && b.window.fromMs <= 22_000 && b.window.toMs > 35_000 && b.window.toMs < 45_000, JSON.stringify(b.window));
  assert.ok(b.culprit.busy > 0.95 && b.culprit.slowShare > 0.9, JSON.stringify(b.culprit));
  assert.is(b.agreeing, b.runs);
  // Each seed's culprit is the replica the fault slowed on that seed.
  const c = compileScenario(sc);
  for (const { seed, replica } of b.perSeed) {
    const victim = simulateRaw(c, sc.config, seed, { slowMs: 150 }).replicas!.victims[0]![0]!;
    assert.is(replica, `db#${victim}`, `seed ${seed}`);
  }
  // Levers: each simulated at ×1 with its p99; adding replicas under round-robin does not help, a load-aware balancer does.
  assert.ok(r.levers.length >= 4);
  const replicas = r.levers.find((l) => l.kind === 'replicas')!;
  assert.is(replicas.probe.verdict, 'breaks');
  const chosen = r.levers[r.recommendation!.lever]!;
  assert.is(chosen.label, r.recommendation!.label);
  assert.is(chosen.probe.verdict, 'meets');
  assert.ok(chosen.probe.p99Ci![1] <= 150, 'the lever is shown to bring p99 under the SLO');
  assert.ok(r.levers.every((l) => l.probe.verdict !== 'meets' || l.probe.p99Ms >= chosen.probe.p99Ms), 'the lowest p99 of those that meet');
  assert.match(r.recommendationText!, /^Recommended: /);
});

/** Answers tasks in reverse order of arrival: a plan must not depend on which run finishes first. */
class ReversingRunner implements Runner {
  readonly workers = 4;
  private readonly inner: MemoryRunner;
  private pending: Array<() => void> = [];
  constructor(sc: Scenario) {
    this.inner = new MemoryRunner(sc);
  }
  run(task: RunTask): Promise<RunResult> {
    return new Promise((resolve) => {
      this.pending.push(() => void this.inner.run(task).then(resolve));
      queueMicrotask(() => this.flush());
    });
  }
  private flush(): void {
    const batch = this.pending.reverse();
    this.pending = [];
    for (const f of batch) f();
  }
  async close(): Promise<void> {}
}

test('deterministic: the same plan whatever the runner and the order its runs finish in', async () => {
  const sc = shorter(fixture('mm1.yaml'), 1_000_000);
  const a = await plan(sc, { seed: 5, levers: false, effort: { budgetRuns: 40 } });
  const b = await plan(sc, { seed: 5, levers: false, effort: { budgetRuns: 40 }, runner: new ReversingRunner(sc) });
  assert.equal(JSON.stringify(b), JSON.stringify(a));
  assert.ok(a.runs <= 40);
});

test('the budget bounds the runs; a plan that runs out says so', async () => {
  const sc = shorter(fixture('mm1.yaml'), 500_000);
  const r = await plan(sc, { seed: 5, levers: false, effort: { budgetRuns: 10 } });
  assert.ok(r.runs <= 10, `${r.runs} runs`);
  assert.ok(r.notes.some((n) => /budget of 10 runs ran out/.test(n)), r.notes.join('; '));
});

test('bad options are refused with the field named', async () => {
  const sc = shorter(fixture('mm1.yaml'), 100_000);
  for (const [effort, field] of [
    [{ initialReplications: 1 }, 'effort.initialReplications'],
    [{ precision: 0 }, 'effort.precision'],
    [{ budgetRuns: 2 }, 'effort.budgetRuns'],
  ] as const) {
    try {
      await plan(sc, { effort });
      assert.unreachable(field);
    } catch (err) {
      assert.ok(err instanceof Error && err.message.startsWith(field), String(err));
    }
  }
  await plan({ ...sc, slo: { p99: null, deliveryRatio: null } }).then(
    () => assert.unreachable('no SLO'),
    (err: Error) => assert.match(err.message, /no SLO to plan for/),
  );
});

test.run();
