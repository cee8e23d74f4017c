import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FULL_VALIDATION, runValidation } from '../../sim/validation/index.js';

// SPEC §8 at full size: 10⁶ messages per case, 10 replications; every metric
// inside the simulation's 95% CI, and every mean within 2% of its closed form.
const rows = runValidation(FULL_VALIDATION);

for (const r of rows) {
  test(`${r.case}: ${r.metric} agrees with theory`, () => {
    const what = `${r.title}, ${r.metric}: analytic ${r.analytic}, simulated ${r.simulated}, 95% CI [${r.ci95[0]}, ${r.ci95[1]}] (seed ${FULL_VALIDATION.seed})`;
    assert.ok(r.inCi, `outside the 95% CI — ${what}`);
    if (!r.ciOnly) assert.ok(Math.abs(r.relError) <= 0.02, `error ${(r.relError * 100).toFixed(2)}% > 2% — ${what}`);
  });
}

test('every case of SPEC §8 is covered', () => {
  assert.equal([...new Set(rows.map((r) => r.case))], ['mm1', 'mmc', 'mm1k', 'md1', 'mg1', 'tandem', 'forkjoin']);
});

test.run();
