import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pairedRatio } from '../../bench/lib/paired.js';

test('pairedRatio: a core effect cancels within each pair of rounds', () => {
  // The candidate is 0.8× the baseline; core 1 runs everything 1.3× slower.
  const rounds = [];
  for (let i = 0; i < 8; i++) {
    const core = i % 2;
    const slowCand = core === 1 ? 1.3 : 1;
    const slowBase = core === 1 ? 1 : 1.3;
    rounds.push({ baseMs: 1000 * slowBase, candidateMs: 800 * slowCand, candidateCore: core });
  }
  const s = pairedRatio(rounds);
  assert.ok(Math.abs(s.ratio - 0.8) < 1e-12, `ratio ${s.ratio}`);
  assert.is(s.units, 4);
  // Every unit is exactly 0.8: no spread, a zero-width interval.
  assert.ok(Math.abs(s.ci[0] - 0.8) < 1e-12 && Math.abs(s.ci[1] - 0.8) < 1e-12, `ci ${s.ci.join(', ')}`);
});

test('pairedRatio: the CI is the exponentiated t interval of the units’ mean log ratio', () => {
  // Units (mean log ratio of each pair): ln 0.9 and ln 1.1, then ln 0.9 and ln 1.1 again.
  const r = (ratio: number, core: number) => ({ baseMs: 100, candidateMs: 100 * ratio, candidateCore: core });
  const s = pairedRatio([r(0.9, 0), r(0.9, 1), r(1.1, 0), r(1.1, 1), r(0.9, 0), r(0.9, 1), r(1.1, 0), r(1.1, 1)]);
  const logs = [Math.log(0.9), Math.log(1.1), Math.log(0.9), Math.log(1.1)];
  const m = logs.reduce((a, b) => a + b) / 4;
  const sd = Math.sqrt(logs.reduce((a, x) => a + (x - m) ** 2, 0) / 3);
  const half = 3.182446305284263 * (sd / 2); // t(0.975, 3)
  assert.ok(Math.abs(s.ratio - Math.exp(m)) < 1e-12);
  assert.ok(Math.abs(s.ci[0] - Math.exp(m - half)) < 1e-9, `lo ${s.ci[0]}`);
  assert.ok(Math.abs(s.ci[1] - Math.exp(m + half)) < 1e-9, `hi ${s.ci[1]}`);
});

test('pairedRatio: refuses unbalanced or too few rounds', () => {
  const r = (core: number) => ({ baseMs: 1, candidateMs: 1, candidateCore: core });
  assert.throws(() => pairedRatio([r(0), r(1)]), /at least 4 rounds/);
  assert.throws(() => pairedRatio([r(0), r(0), r(1), r(0)]), /same core/);
});

test.run();
