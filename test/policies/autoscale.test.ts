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

test('crashed (unready) replicas: left out for a scale-down, counted at 0 for a scale-up, as the HPA replica calculator does', () => {
  const t = new TargetTracking(S); // target 0.5, tolerance 10%
  // 10 replicas, 2 crashed: the 8 others at the target. Counted in, the crashed two would
  // make it 0.4 and scale the role down to ceil(10 × 0.8) = 8 in the middle of the crash.
  assert.is(t.desired(10, 10, 0.4), 8, 'the same load with the crashed ones counted as ready');
  assert.is(t.desired(8, 10, 0.5, 2, 0.4), 10, 'the ready ones at the target: no change');
  assert.is(t.desired(8, 10, 0.3, 2, 0.24), 5, 'a scale-down is sized on the ready ones alone: ceil(8 × 0.6)');
  // A scale-up with unready replicas is taken again with them at 0.
  assert.is(t.desired(8, 10, 0.8, 2, 0.64), 13, 'ceil(10 × 1.28)');
  assert.is(t.desired(8, 10, 0.6, 2, 0.48), 10, 'ratio 1.2 on the ready ones, 0.96 with the crashed at 0: within the tolerance, no change');
  assert.is(t.desired(8, 10, 0.6, 2, 0.44), 10, '0.88 with the crashed at 0 turns the direction: no change');
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

test('scale-down policy: one pod per minute, counted from the count a minute ago (hand-computed)', () => {
  // Evaluations every 15 s, no stabilisation: only the rate holds the count.
  const t = new TargetTracking(
    resolveAutoscale({ target: 0.5, min: 2, max: 20, downWindow: 0, downRate: { policies: [{ type: 'pods', value: 1, period: 60_000 }] } }),
  );
  assert.equal(t.decide(0, 10, 3), { raw: 3, stabilized: 3, final: 9 }, '10 − 1');
  // Within (−45 s, 15 s] one pod went at t = 0: the minute started at 10, so 9 is the floor.
  assert.is(t.decide(15_000, 9, 3).final, 9);
  assert.is(t.decide(30_000, 9, 3).final, 9);
  assert.is(t.decide(45_000, 9, 3).final, 9);
  // At 60 s the change of t = 0 is not after the cutoff (0): the minute starts at 9.
  assert.is(t.decide(60_000, 9, 3).final, 8);
  assert.is(t.decide(75_000, 8, 3).final, 8);
  assert.is(t.decide(120_000, 8, 3).final, 7);
});

test('scale-down policies: max takes the larger step, min the smaller; percent rounds down', () => {
  const policies = [
    { type: 'pods' as const, value: 2, period: 15_000 },
    { type: 'percent' as const, value: 50, period: 15_000 },
  ];
  const pick = (select: 'max' | 'min', current: number) =>
    new TargetTracking(resolveAutoscale({ target: 0.5, min: 1, max: 40, downWindow: 0, downRate: { select, policies } })).decide(0, current, 1).final;
  assert.is(pick('max', 10), 5, 'max: floor(10 × 0.5) = 5 beats 10 − 2 = 8');
  assert.is(pick('min', 10), 8, 'min: 10 − 2');
  assert.is(pick('max', 3), 1, 'max: 3 − 2 = 1 beats floor(1.5) = 1 (a tie)');
  assert.is(pick('min', 3), 1, 'min: the larger of 1 and 1');
  assert.is(pick('min', 7), 5, 'min: 7 − 2 = 5 against floor(3.5) = 3');
});

test('scale-up policies replace the default: +2 pods per minute; disabled never rises or falls', () => {
  const t = new TargetTracking(
    resolveAutoscale({ target: 0.5, min: 1, max: 40, upRate: { policies: [{ type: 'pods', value: 2, period: 60_000 }] }, downWindow: 0 }),
  );
  assert.is(t.decide(0, 4, 30).final, 6);
  assert.is(t.decide(15_000, 6, 30).final, 6, 'the minute started at 4: at most 6');
  assert.is(t.decide(60_000, 6, 30).final, 8);
  const percent = new TargetTracking(resolveAutoscale({ target: 0.5, max: 40, upRate: { policies: [{ type: 'percent', value: 50, period: 15_000 }] } }));
  assert.is(percent.decide(0, 5, 30).final, 8, 'ceil(5 × 1.5)');
  const frozen = new TargetTracking(
    resolveAutoscale({ target: 0.5, max: 40, downWindow: 0, upRate: { select: 'disabled' }, downRate: { select: 'disabled' } }),
  );
  assert.is(frozen.decide(0, 5, 30).final, 5);
  assert.is(frozen.decide(15_000, 5, 1).final, 5);
});

test('the default rate is the HPA’s, per evaluation period: +4 or double up, no limit down', () => {
  const s = resolveAutoscale({ max: 100, period: 5_000 });
  assert.equal(s.upRate, {
    select: 'max',
    policies: [
      { type: 'pods', value: 4, periodMs: 5_000 },
      { type: 'percent', value: 100, periodMs: 5_000 },
    ],
  });
  assert.equal(s.downRate, { select: 'max', policies: [{ type: 'percent', value: 100, periodMs: 5_000 }] });
  const t = new TargetTracking({ ...s, downWindowMs: 0 });
  assert.is(t.decide(0, 3, 50).final, 7, 'max(3 + 4, 6)');
  assert.is(t.decide(5_000, 7, 50).final, 14, 'the change of t = 0 is out of (0, 5 s]');
  assert.is(t.decide(10_000, 14, 1).final, 1, 'down: no limit');
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
