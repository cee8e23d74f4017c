import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  erlangB,
  erlangC,
  hypoexponentialCdf,
  hypoexponentialQuantile,
  md1,
  mg1,
  mm1,
  mm1k,
  mm1SojournQuantile,
  mm1WaitQuantile,
  mmc,
  mmcWaitQuantile,
  tandemMM1,
} from '../../sim/validation/analytic.js';

function close(got: number, want: number, rel = 1e-9, what = ''): void {
  assert.ok(Math.abs(got - want) <= rel * Math.max(1, Math.abs(want)), `${what} ${got} vs ${want}`);
}

test('M/M/1: λ = 0.9, μ = 1', () => {
  const r = mm1(0.9, 1);
  close(r.rho, 0.9);
  close(r.W, 10);
  close(r.Wq, 9);
  close(r.L, 9);
  close(r.Lq, 8.1);
  close(r.p99, Math.log(100) / 0.1); // 46.0517
  close(mm1SojournQuantile(0.9, 1, 0.5), Math.LN2 / 0.1);
  // P(Wq > t) = 0.9 e^{−0.1 t}: zero below the 10% who do not wait.
  assert.is(mm1WaitQuantile(0.9, 1, 0.05), 0);
  close(mm1WaitQuantile(0.9, 1, 0.99), Math.log(90) / 0.1);
  close(mm1(0, 2).W, 0.5);
});

test('M/M/c: Erlang C with c = 2, λ = 1.5, μ = 1', () => {
  // B(1) = 1.5/2.5 = 0.6, B(2) = 0.9/2.9; C = 2B/(2 − 1.5(1 − B)) = 9/14.
  close(erlangB(2, 1.5), 0.9 / 2.9);
  close(erlangC(2, 1.5), 9 / 14);
  const r = mmc(1.5, 1, 2);
  close(r.erlangC, 0.6428571428571429);
  close(r.Wq, 1.2857142857142858);
  close(r.W, 2.2857142857142858);
  close(r.L, 1.5 * 2.2857142857142858);
  close(r.rho, 0.75);
  // c = 1 reduces to M/M/1.
  const one = mmc(0.9, 1, 1);
  close(one.erlangC, 0.9);
  close(one.W, 10);
  // Erlang C is P(wait): P(Wq > 0) = C; quantiles of the wait.
  assert.is(mmcWaitQuantile(1.5, 1, 2, 0.3), 0);
  close(mmcWaitQuantile(1.5, 1, 2, 0.99), Math.log((9 / 14) / 0.01) / 0.5);
  // Large c: the recursion neither overflows nor loses the answer.
  const big = mmc(950, 1, 1000);
  assert.ok(big.erlangC > 0 && big.erlangC < 1);
  // Erlang B = Poisson pmf(c; a) / Poisson cdf(c; a) (scipy.stats.poisson).
  close(erlangB(1000, 950) / 0.0036492936889393965, 1, 1e-9);
});

test('M/M/1/K: ρ = 0.8, K = 5, and ρ = 1', () => {
  const r = mm1k(0.8, 1, 5);
  // P_5 = (1 − ρ)ρ^5 / (1 − ρ^6) = 0.065536 / 0.737856.
  close(r.blocking, 0.065536 / 0.737856);
  close(r.blocking, 0.08881949865556424);
  // L = ρ/(1 − ρ) − (K + 1)ρ^{K+1}/(1 − ρ^{K+1}).
  close(r.L, 4 - (6 * 0.262144) / 0.737856);
  close(r.throughput, 0.8 * (1 - r.blocking));
  close(r.W, 2.563065207044265);
  close(r.Wq, r.W - 1);
  close(r.Lq, 1.1393876311909104);
  const flat = mm1k(1, 1, 4);
  close(flat.blocking, 1 / 5);
  close(flat.L, 2);
  // Overload is fine with finite capacity: ρ = 2, K = 3 → P_3 = 8/15.
  const over = mm1k(2, 1, 3);
  close(over.blocking, 8 / 15);
  // Continuity through ρ = 1.
  close(mm1k(1 + 1e-9, 1, 10).L, mm1k(1, 1, 10).L, 1e-7);
});

test('M/D/1 and M/G/1 (Pollaczek–Khinchine)', () => {
  const d = md1(0.5, 1);
  close(d.Wq, 0.5);
  close(d.W, 1.5);
  close(d.Lq, 0.25);
  // M/D/1 waits half as long as M/M/1.
  close(md1(0.9, 1).Wq, mm1(0.9, 1).Wq / 2);
  // M/G/1 with exponential service (E[S²] = 2/μ², cv = 1) is M/M/1.
  const viaCv = mg1(0.9, { mean: 1, cv: 1 });
  const viaMoment = mg1(0.9, { mean: 1, secondMoment: 2 });
  close(viaCv.W, 10);
  close(viaMoment.W, 10);
  close(viaCv.Wq, 9);
  // Deterministic service (cv = 0) is M/D/1.
  close(mg1(0.5, { mean: 1, cv: 0 }).Wq, 0.5);
  // Hand-computed: λ = 0.5, E[S] = 1, cv = 2 → E[S²] = 5, Wq = 0.5·5/(2·0.5) = 2.5.
  close(mg1(0.5, { mean: 1, cv: 2 }).Wq, 2.5);
  assert.throws(() => mg1(0.5, { mean: 1, secondMoment: 0.5 }), RangeError);
});

test('tandem of M/M/1 queues (Jackson/Burke)', () => {
  const r = tandemMM1(1, 2, 3);
  close(r.W, 1 / (2 - 1) + 1 / (3 - 1));
  assert.equal(r.stages, [1, 0.5]);
  close(r.L, 1.5);
  // Sojourn = Exp(1) + Exp(2): P(T > t) = 2e^{−t} − e^{−2t} = 0.01 at t = 5.2958079.
  close(r.p99, 5.295807939120427, 1e-8);
  // Equal rates: Erlang-2, P(T > t) = e^{−t}(1 + t) = 0.01 at t = 6.6383521.
  close(tandemMM1(1, 2, 2).p99, 6.638352067993811, 1e-8);
  close(hypoexponentialQuantile([1, 1 + 1e-12], 0.99), 6.638352067993811, 1e-8);
  // One stage is M/M/1; the CDF matches the closed form.
  close(tandemMM1(0.9, 1).p99, mm1(0.9, 1).p99);
  for (const t of [0.1, 1, 3, 10]) close(hypoexponentialCdf([1, 2], t), 1 - 2 * Math.exp(-t) + Math.exp(-2 * t), 1e-12);
  close(hypoexponentialCdf([0.5, 1, 4], 2), 1 - (
    (1 * 4) / ((1 - 0.5) * (4 - 0.5)) * Math.exp(-0.5 * 2) +
    (0.5 * 4) / ((0.5 - 1) * (4 - 1)) * Math.exp(-1 * 2) +
    (0.5 * 1) / ((0.5 - 4) * (1 - 4)) * Math.exp(-4 * 2)
  ), 1e-12);
});

test('unstable or invalid input throws a RangeError with a clear message', () => {
  assert.throws(() => mm1(1, 1), (e: unknown) => e instanceof RangeError && /M\/M\/1 is unstable: ρ = λ\/μ = 1 must be < 1/.test(e.message));
  assert.throws(() => mm1(1.2, 1), RangeError);
  assert.throws(() => mmc(2, 1, 2), (e: unknown) => e instanceof RangeError && /M\/M\/2 is unstable/.test(e.message));
  assert.throws(() => erlangC(3, 3.5), RangeError);
  assert.throws(() => md1(1, 1), RangeError);
  assert.throws(() => mg1(2, { mean: 0.5, cv: 1 }), RangeError);
  assert.throws(() => tandemMM1(1, 2, 0.9), (e: unknown) => e instanceof RangeError && /stage 2/.test(e.message));
  assert.throws(() => mm1(-1, 1), RangeError);
  assert.throws(() => mm1(0.5, 0), RangeError);
  assert.throws(() => mmc(0.5, 1, 1.5), RangeError);
  assert.throws(() => mm1k(0.5, 1, 0), RangeError);
});

test.run();
