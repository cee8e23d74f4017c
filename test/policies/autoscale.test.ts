import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HoltWinters, TargetTracking, resolveAutoscale, type AutoscaleSettings } from '../../sim/policies/autoscale/index.js';

/** HPA defaults, utilisation target 50%, 2..20 replicas. */
const S: AutoscaleSettings = resolveAutoscale({ target: 0.5, min: 2, max: 20 });

test('defaults are the HPA controller’s: 15 s period, 10% tolerance, no up window, a 5-minute down window', () => {
  assert.is(S.periodMs, 15_000);
  assert.is(S.tolerance, 0.1);
  assert.is(S.upWindowMs, 0);
  assert.is(S.downWindowMs, 300_000);
  assert.is(resolveAutoscale({ max: 4 }).target, 0.7);
});

test('desired = ceil(ready × metric / target), and no change within the tolerance', () => {
  const t = new TargetTracking(S);
  assert.is(t.desired(4, 4, 1.0), 8, '4 × 1.0 / 0.5');
  assert.is(t.desired(4, 4, 0.76), 7, 'ceil(6.08)');
  assert.is(t.desired(4, 6, 0.54), 6, 'ratio 1.08 is within 10%: the current count (6, with 2 starting) stays');
  assert.is(t.desired(4, 4, 0.449), 4, 'ratio 0.898: outside the tolerance → ceil(3.592) = 4');
  assert.is(t.desired(10, 10, 0.2), 4, 'ceil(10 × 0.4)');
});

test('scale-down waits for the highest recommendation of the down window to fall', () => {
  const t = new TargetTracking({ ...S, downWindowMs: 60_000 });
  assert.equal(t.decide(0, 10, 10), { raw: 10, stabilized: 10, final: 10 });
  assert.equal(t.decide(15_000, 10, 6), { raw: 6, stabilized: 10, final: 10 }, 'the 10 of t=0 is in the window');
  assert.equal(t.decide(30_000, 10, 5), { raw: 5, stabilized: 10, final: 10 });
  assert.equal(t.decide(45_000, 10, 5), { raw: 5, stabilized: 10, final: 10 });
  // At 60 s the window is (0, 60 s]: the recommendation of t = 0 is out; the highest left is 6.
  assert.equal(t.decide(60_000, 10, 4), { raw: 4, stabilized: 6, final: 6 });
  assert.equal(t.decide(75_000, 6, 4), { raw: 4, stabilized: 5, final: 5 });
});

test('scale-up waits for the lowest recommendation of the up window to rise; the rate and max bound it', () => {
  const t = new TargetTracking({ ...S, upWindowMs: 30_000, downWindowMs: 0 });
  assert.is(t.decide(0, 4, 4).final, 4);
  assert.equal(t.decide(15_000, 4, 16), { raw: 16, stabilized: 4, final: 4 }, 'the 4 of t=0 holds it');
  // Window (0, 30 s]: 16 and 17; the lowest is 16, and from 4 the step is at most max(2 × 4, 4 + 4) = 8.
  assert.equal(t.decide(30_000, 4, 17), { raw: 17, stabilized: 16, final: 8 });
  // Window (15 s, 45 s]: 17 and 30; from 8, at most 16.
  assert.equal(t.decide(45_000, 8, 30), { raw: 30, stabilized: 17, final: 16 });
  assert.equal(t.decide(60_000, 16, 30), { raw: 30, stabilized: 30, final: 20 }, 'max 20');
  assert.equal(t.decide(75_000, 20, 1), { raw: 1, stabilized: 1, final: 2 }, 'min 2 (no down window)');
});

test('Holt: a straight line is forecast exactly once the trend has settled', () => {
  const hw = new HoltWinters(0);
  for (let k = 0; k < 200; k++) hw.observe(10 + 3 * k);
  // Last observation 10 + 3·199 = 607; 4.5 steps ahead: 607 + 13.5.
  assert.ok(Math.abs(hw.forecast(4.5) - 620.5) < 1e-6, String(hw.forecast(4.5)));
});

test('Holt–Winters: a repeating cycle is forecast from its seasonal terms after the first cycle', () => {
  const m = 8;
  const cycle = [10, 14, 20, 24, 20, 14, 10, 6];
  const hw = new HoltWinters(m);
  for (let k = 0; k < 5 * m; k++) hw.observe(cycle[k % m]!);
  // After 5 whole cycles, h steps ahead is slot (40 − 1 + h) mod 8 of the cycle.
  for (let h = 1; h <= m; h++) assert.ok(Math.abs(hw.forecast(h) - cycle[(5 * m - 1 + h) % m]!) < 1e-9, `h=${h}: ${hw.forecast(h)}`);
  // Without the season, the same series is forecast with a lag (the turn of the curve is missed).
  const holt = new HoltWinters(0);
  for (let k = 0; k < 5 * m; k++) holt.observe(cycle[k % m]!);
  assert.ok(Math.abs(holt.forecast(2) - cycle[(5 * m - 1 + 2) % m]!) > 1);
});

test.run();
