import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mean, pairedDifferenceCI } from '../../sim/metrics/stats.js';
import { runScenario } from '../../sim/runner/index.js';
import { loadScenario, mergeConfig } from '../../sim/scenario/index.js';
import type { AutoscaleConfig } from '../../sim/scenario/types.js';

/**
 * Predictive against reactive scaling on the diurnal library scenario, at
 * equal replica-hours. scripts/prove-scaling.ts bisects the predictive
 * target onto the reactive's replica-hours and measures 10 fresh seeds
 * (results/scaling/proofs.json); this re-checks its predictive setting on 4
 * seeds neither has used.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const proofs = JSON.parse(readFileSync(path.join(root, 'results/scaling/proofs.json'), 'utf8')) as {
  predictiveVsReactive: { predictive: { autoscale: AutoscaleConfig } };
};
const SEEDS = [2001, 2002, 2003, 2004];

test('predictive scaling: the same replica-hours (±5%), a significantly lower p99', () => {
  const sc = loadScenario('diurnal-autoscale');
  const predictive = mergeConfig(sc.config, { autoscale: { llm: proofs.predictiveVsReactive.predictive.autoscale } });
  assert.is(predictive.autoscale?.['llm']?.policy, 'predictive');
  const r = SEEDS.map((seed) => runScenario(sc, { seed }));
  const p = SEEDS.map((seed) => runScenario(sc, { config: predictive, seed }));
  const hours = (ms: typeof r) => mean(ms.map((m) => m.scaling!['llm']!.replicaHours));
  const ratio = hours(p) / hours(r);
  assert.ok(Math.abs(ratio - 1) <= 0.05, `replica-hours predictive / reactive = ${ratio}`);
  const d = pairedDifferenceCI(
    p.map((m) => m.latencyMs.p99),
    r.map((m) => m.latencyMs.p99),
  );
  assert.ok(d.hi < 0, `p99 difference ${d.meanDiff} ms, 95% CI [${d.lo}, ${d.hi}]`);
});

test.run();
