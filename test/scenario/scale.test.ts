import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { loadScenario } from '../../sim/scenario/index.js';
import { scaleScenario } from '../../sim/scenario/scale.js';
import type { Scenario } from '../../sim/scenario/types.js';

const surge = loadScenario(path.join(process.cwd(), 'test', 'fixtures', 'study', 'surge-classes.yaml'));

test('what is anchored to the timeline scales with it: duration, warm-up, windows, faults and a diurnal table', () => {
  const sc: Scenario = {
    ...surge,
    workload: [...surge.workload, { ...surge.workload[0]!, start: 6_000, stop: 30_000 }],
    faults: [{ kind: 'loss', rate: 0.05, at: 30_000, for: 9_000 } as Scenario['faults'][number]],
  };
  const third = scaleScenario(sc, 1 / 3);
  assert.is(third.duration, 20_000);
  assert.ok(Math.abs(third.warmup - 5_000 / 3) < 1e-9);
  const table = third.workload[1]!;
  if (table.pattern !== 'diurnal') throw new Error('the backfill is diurnal');
  // The surge at 25–45 s of 60 s comes at 8.3–15 s of 20 s; its rates stay.
  assert.equal(table.table.map((r) => [Math.round(r.at), r.rate]), [[0, 50], [8333, 250], [15000, 50]]);
  assert.equal([third.workload[2]!.start, third.workload[2]!.stop], [2_000, 10_000]);
  assert.equal([third.faults[0]!.at, third.faults[0]!.for], [10_000, 3_000]);
  // The input is left as it was.
  assert.is((sc.workload[1] as { table: Array<{ at: number }> }).table[1]!.at, 25_000);
});

test('a diurnal sinusoid keeps its period: how fast load moves against provisioning delays is the mesh\'s', () => {
  const sine: Scenario = { ...surge, workload: [{ ...surge.workload[1]!, table: [], amplitude: 0.5, period: 20_000 } as Scenario['workload'][number]] };
  const w = scaleScenario(sine, 0.1).workload[0]!;
  assert.is(w.pattern, 'diurnal');
  assert.is((w as { period: number }).period, 20_000);
});

test.run();
