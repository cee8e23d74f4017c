import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { runScenario } from '../../sim/runner/index.js';
import { loadScenario } from '../../sim/scenario/index.js';
import { collectEvidence, forecastOf, FORECAST_EFFORT, FORECAST_FACTORS, type ForecastPoint } from '../../sim/study/evidence.js';
import { removeTemporary } from '../helpers.js';
import { runStudy } from '../../sim/study/study.js';
import type { EvaluationRecord } from '../../sim/study/types.js';
import { InlineRunner, scenarioFile } from '../study/helpers.js';
import { root } from './helpers.js';

// The report's evidence: collected by the study on the first confirmation
// seed, through its runner, and consistent with the confirmation itself.

const mesh = path.join(root, 'test/fixtures/report/mesh.yaml');

test('the per-interval breaker series adds up to the run’s breaker opens', () => {
  const m = runScenario(loadScenario(mesh), { seed: 1_000_005, timeline: true });
  const sum = m.timeline!.breakerOpens.reduce((s, x) => s + x, 0);
  assert.ok(m.breakerOpens > 0, 'the fixture trips its breakers');
  assert.is(sum, m.breakerOpens);
});

test('a study records its evidence: same runs as the confirmation, a forecast plan, deterministic', async () => {
  const sc = loadScenario(mesh);
  const settings = { scenarioPath: mesh, mode: 'reliability' as const, budget: 6, seed: 5, strategy: 'halving' as const, confirmReplications: 3 };
  const confirms: EvaluationRecord[] = [];
  const a = await runStudy(sc, settings, new InlineRunner(), { onEvaluation: (rec) => rec.phase === 'confirm' && confirms.push(rec) });
  const ev = a.evidence!;
  assert.is(ev.seed, a.seeds.confirm[0]);
  assert.equal(ev.failures, []);
  assert.equal(ev.scenario.roles.map((r) => r.name), ['router', 'worker', 'store']);
  assert.equal(ev.scenario.faults.map((f) => f.kind), ['crash', 'slow']);
  // The evidence run of the current configuration is the confirmation's run on that seed.
  const cur = confirms.find((r) => r.candidate === 0)!;
  assert.is(ev.current!.p99, cur.perSeed[0]!.p99);
  assert.is(ev.current!.deliveryRatio, cur.perSeed[0]!.deliveryRatio);
  assert.ok(ev.current!.latencyCdf.length > 10);
  const cdf = ev.current!.latencyCdf;
  assert.ok(cdf.every(([, q], i) => i === 0 || q >= cdf[i - 1]![1]), 'a CDF never goes down');
  assert.is(cdf[cdf.length - 1]![1], 1);
  const tl = ev.current!.timeline;
  assert.equal(Object.keys(tl.utilization), ['router', 'worker', 'store']);
  assert.is(tl.breakerOpens.reduce((s, x) => s + x, 0), ev.current!.breakerOpens);
  assert.ok(tl.delivered.length * tl.bucketMs >= sc.duration, 'the timeline covers the run');
  // The forecast: a capacity plan of the forecast configuration from the evidence seed on, within its budget.
  const f = ev.forecast!;
  const lim = f.limit!;
  assert.ok(lim.runs > 0 && lim.runs <= FORECAST_EFFORT.budgetRuns!, `${lim.runs} runs`);
  assert.is(lim.runs, f.points.reduce((s, p) => s + p.seeds!, 0), 'every run belongs to a probed load');
  assert.ok(f.points.some((p) => p.factor === 1), 'today’s load is probed');
  assert.ok(f.points.every((p) => p.seeds! >= FORECAST_EFFORT.initialReplications! && p.verdict !== undefined));
  assert.equal([f.holdsUpTo, f.breaksAt], lim.interval);
  if (lim.interval[0] !== null) assert.is(f.points.find((p) => p.factor === lim.interval[0])!.verdict, 'meets');
  if (lim.interval[1] !== null) assert.is(f.points.find((p) => p.factor === lim.interval[1])!.verdict, 'breaks');
  const first = f.points[0]!;
  const last = f.points[f.points.length - 1]!;
  assert.ok(last.utilization.worker! > first.utilization.worker!, 'more load keeps the workers busier');
  // Same study, same evidence.
  const b = await runStudy(sc, settings, new InlineRunner());
  assert.equal(JSON.stringify(b.evidence), JSON.stringify(a.evidence));
});

test('without an SLO the forecast is the fixed loads, one seed each (nothing can break)', async () => {
  const file = scenarioFile({
    duration: '4s',
    roles: { server: { count: 2, service: { dist: 'exp', mean: '2ms' } } },
    workload: [{ pattern: 'poisson', to: 'server', rate: '200/s' }],
  });
  const ev = await collectEvidence(loadScenario(file), { scenarioPath: file, seed: 3, current: {}, winner: null, sameConfig: false }, new InlineRunner());
  const f = ev.forecast!;
  assert.equal(f.points.map((p) => p.factor), [...FORECAST_FACTORS]);
  assert.is(f.limit, undefined);
  assert.is(f.breaksAt, null);
  assert.is(f.points[0]!.p99, ev.current!.p99, '×1 is the evidence run');
});

test.after(removeTemporary);

const pt = (factor: number, p99: number, delivery: number, worker: number, breaks: ForecastPoint['breaks'] = []): ForecastPoint => ({
  factor,
  offeredPerSec: 100 * factor,
  p99,
  deliveryRatio: delivery,
  utilization: { api: 0.1 * factor, worker },
  breaks,
  error: null,
});

test('the forecast reads where the SLO breaks and which role saturates first', () => {
  const slo = { p99: 500, deliveryRatio: 0.99 };
  const f = forecastOf('winner', 7, slo, [pt(1, 100, 1, 0.5), pt(1.25, 150, 1, 0.62), pt(1.5, 300, 1, 0.75), pt(2, 900, 0.95, 0.95, ['p99', 'deliveryRatio']), pt(3, Infinity, 0, 1, ['p99', 'deliveryRatio'])]);
  assert.is(f.breaksAt, 2);
  assert.is(f.holdsUpTo, 1.5);
  assert.equal(f.bottleneck, { role: 'worker', factor: 2, utilization: 0.95, atOne: 0.5 });
  const none = forecastOf('winner', 7, slo, [pt(1, 100, 1, 0.2), pt(3, 200, 1, 0.6)]);
  assert.is(none.breaksAt, null);
  assert.is(none.holdsUpTo, 3);
  assert.equal(none.bottleneck, { role: 'worker', factor: null, utilization: 0.6, atOne: 0.2 });
  const already = forecastOf('current', 7, slo, [pt(1, 800, 1, 0.2, ['p99']), pt(3, 900, 1, 0.6, ['p99'])]);
  assert.is(already.breaksAt, 1);
  assert.is(already.holdsUpTo, null);
});

test.run();
