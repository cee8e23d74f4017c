import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareOutcomes, feasible, makeObjective, violation } from '../../sim/study/objective.js';
import { paretoFront } from '../../sim/study/pareto.js';
import { confirm } from '../../sim/study/confirm.js';
import { runStudy } from '../../sim/study/study.js';
import { loadScenario } from '../../sim/scenario/index.js';
import type { Outcome } from '../../sim/study/types.js';
import { removeTemporary } from '../helpers.js';
import { InlineRunner, scenarioFile } from './helpers.js';
import { outcome } from './fakes.js';

const o = outcome;

const slo = { p99: 200, deliveryRatio: 0.99 };

test('an SLO-violating outcome never beats a feasible one', () => {
  for (const mode of ['performance', 'reliability', 'cost'] as const) {
    const obj = makeObjective(mode, slo);
    const feasibleSlow = o({ p99: 190, deliveryRatio: 0.995, costPerDelivered: 10 });
    const fastButLossy = o({ p99: 1, deliveryRatio: 0.5, costPerDelivered: 0.0001 });
    const cheapButSlow = o({ p99: 5000, deliveryRatio: 1, costPerDelivered: 0.0001 });
    assert.ok(feasible(obj, feasibleSlow), mode);
    if (mode !== 'reliability') assert.ok(compareOutcomes(obj, feasibleSlow, fastButLossy) < 0, `${mode}: lossy`);
    if (mode !== 'performance') assert.ok(compareOutcomes(obj, feasibleSlow, cheapButSlow) < 0, `${mode}: slow`);
  }
});

test('infeasible outcomes rank by total relative violation; failures come last', () => {
  const obj = makeObjective('cost', slo);
  const a = o({ p99: 300, deliveryRatio: 1 }); // p99 50% over
  const b = o({ p99: 1000, deliveryRatio: 1 }); // 400% over
  const c = o({ p99: 100, deliveryRatio: 0.98 }); // twice the allowed loss over
  assert.ok(Math.abs(violation(obj, a) - 0.5) < 1e-12);
  assert.ok(Math.abs(violation(obj, c) - 1) < 1e-9);
  const sorted = [b, null, c, a].sort((x, y) => compareOutcomes(obj, x, y));
  assert.equal(sorted, [a, c, b, null]);
});

test('modes: objective then tie-breaks', () => {
  const perf = makeObjective('performance', slo);
  assert.ok(compareOutcomes(perf, o({ p99: 90 }), o({ p99: 100 })) < 0);
  assert.ok(compareOutcomes(perf, o({ meanLatency: 15 }), o({ meanLatency: 20 })) < 0, 'mean latency breaks a p99 tie');
  assert.ok(compareOutcomes(perf, o({ throughput: 120 }), o({ throughput: 100 })) < 0, 'then throughput');
  const rel = makeObjective('reliability', slo);
  assert.ok(compareOutcomes(rel, o({ deliveryRatio: 0.999, p99: 150 }), o({ deliveryRatio: 0.998, p99: 20 })) < 0);
  assert.ok(compareOutcomes(rel, o({ p99: 20 }), o({ p99: 150 })) < 0, 'p99 breaks a delivery tie');
  const cost = makeObjective('cost', slo);
  assert.ok(compareOutcomes(cost, o({ costPerDelivered: 0.001 }), o({ costPerDelivered: 0.002 })) < 0);
  assert.is(compareOutcomes(cost, o({}), o({})), 0);
});

test('without a delivery SLO, performance mode still refuses to win by dropping messages', () => {
  const obj = makeObjective('performance', { p99: null, deliveryRatio: null });
  assert.is(obj.slo.deliveryRatio, 0.99);
  assert.ok(obj.notes.length > 0);
  assert.ok(compareOutcomes(obj, o({ p99: 500 }), o({ p99: 5, deliveryRatio: 0.6 })) < 0);
});

test('the Pareto front keeps the non-dominated points', () => {
  const front = paretoFront([
    { candidate: 0, p99: 100, loss: 0.01, costPerDelivered: 1 },
    { candidate: 1, p99: 50, loss: 0.02, costPerDelivered: 1 },
    { candidate: 2, p99: 120, loss: 0.02, costPerDelivered: 2 }, // dominated by 0
    { candidate: 3, p99: 200, loss: 0, costPerDelivered: 0.5 },
    { candidate: 4, p99: 100, loss: 0.01, costPerDelivered: 1 }, // duplicate of 0
  ]);
  assert.equal(front.map((p) => p.candidate), [1, 0, 3]);
});

test('confirmation: significant improvements are claimed, the rest is called not significant', () => {
  const obj = makeObjective('performance', slo);
  const cur = [150, 160, 155, 170, 158, 149, 163, 151, 157, 166].map((p99) => o({ p99 }));
  const better = cur.map((x, i) => o({ p99: x.p99 - 40 - (i % 3) }));
  const c = confirm(obj, [], cur, better, false);
  assert.is(c.recommendation, 'adopt');
  const p99 = c.improvements.find((i) => i.metric === 'p99')!;
  assert.is(p99.verdict, 'better');
  assert.ok(p99.ci95[1] < 0 && p99.relative < 0);
  const noisy = cur.map((x, i) => o({ p99: x.p99 + (i % 2 === 0 ? -12 : 11) }));
  const n = confirm(obj, [], cur, noisy, false);
  assert.is(n.recommendation, 'keep-current');
  assert.is(n.improvements.find((i) => i.metric === 'p99')!.verdict, 'unclear');
  assert.match(n.reasons.join(' '), /not significantly better/);
});

// A mesh where small buffers cut p99 by dropping messages: the fastest
// candidates all miss the delivery SLO, and must not win.
const lossyDoc = {
  duration: '6s',
  warmup: '1s',
  seed: 3,
  roles: { api: { count: 2, workers: 1, service: { dist: 'exp', mean: '9ms' } } },
  workload: [{ pattern: 'bursty', to: 'api', rate: '150/s', burstRate: '400/s', meanBurst: '300ms', meanGap: '1s' }],
  slo: { deliveryRatio: 0.99 },
  search: { only: ['buffer.capacity', 'buffer.policy'], knobs: { 'buffer.capacity': { min: 1, max: 200, log: true } } },
};

test('a study never picks an SLO-violating candidate when a feasible one was found', async () => {
  const file = scenarioFile(lossyDoc, 'lossy');
  const sc = loadScenario(file);
  const evaluated: Outcome[] = [];
  const { mode, objective, winner } = await runStudy(
    sc,
    { scenarioPath: file, mode: 'performance', budget: 24, seed: 1, strategy: 'tpe', confirmReplications: 3 },
    new InlineRunner(),
    { onEvaluation: (rec) => rec.phase === 'search' && rec.outcome && evaluated.push(rec.outcome) },
  );
  assert.is(mode, 'performance');
  assert.ok(winner !== null);
  assert.ok(feasible(objective, winner!.outcome), 'the winner meets the delivery SLO');
  const faster = evaluated.filter((x) => !feasible(objective, x) && x.p99 < winner!.outcome.p99);
  assert.ok(faster.length > 0, 'some infeasible candidates were faster (otherwise the test shows nothing)');
});

test.after(removeTemporary);

test.run();
