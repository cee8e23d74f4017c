import { test } from 'uvu';
import { resolvePolicies } from '../../sim/model/policies.js';
import { toEnvoy } from '../../sim/report/export/index.js';
import * as assert from 'uvu/assert';
import { Stream } from '../../sim/engine/index.js';
import { RetryBudget, backoffMs } from '../../sim/policies/retry.js';
import { report } from './measure.js';

const BASE = 10;
const CAP = 1000;
const SEED = 11;
const DRAWS = 20_000;

/** Expected exponential delay before retry n (1-based): min(cap, base · 2^(n−1)). */
const expo = (n: number): number => Math.min(CAP, BASE * 2 ** (n - 1));

function draws(jitter: 'full' | 'equal', n: number): number[] {
  const rng = new Stream(SEED, n);
  return Array.from({ length: DRAWS }, () => backoffMs(jitter, n, BASE, CAP, 0, rng));
}

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

test('none: min(cap, base · 2^(n−1)), no randomness', () => {
  const rng = new Stream(SEED, 0);
  const got = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => backoffMs('none', n, BASE, CAP, 0, rng));
  assert.equal(got, [10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
});

test('full jitter: U(0, exp) — within bounds, mean exp/2', () => {
  for (const n of [1, 4, 8]) {
    const xs = draws('full', n);
    const e = expo(n);
    assert.ok(Math.min(...xs) >= 0 && Math.max(...xs) < e, `retry ${n}: bounds [0, ${e})`);
    // Uniform: sd of the mean = e / √(12 · DRAWS); 4 sd.
    const tol = (4 * e) / Math.sqrt(12 * DRAWS);
    assert.ok(Math.abs(mean(xs) - e / 2) < tol, `retry ${n}: mean ${mean(xs)} vs ${e / 2} ± ${tol} (seed ${SEED})`);
    // The whole range is used: some draws below a tenth, some above nine tenths.
    assert.ok(xs.some((x) => x < e / 10) && xs.some((x) => x > (9 * e) / 10));
  }
});

test('equal jitter: exp/2 + U(0, exp/2) — within bounds, mean 3·exp/4', () => {
  for (const n of [1, 4, 8]) {
    const xs = draws('equal', n);
    const e = expo(n);
    assert.ok(Math.min(...xs) >= e / 2 && Math.max(...xs) < e, `retry ${n}: bounds [${e / 2}, ${e})`);
    const tol = (4 * (e / 2)) / Math.sqrt(12 * DRAWS);
    assert.ok(Math.abs(mean(xs) - (3 * e) / 4) < tol, `retry ${n}: mean ${mean(xs)} vs ${(3 * e) / 4} (seed ${SEED})`);
  }
});

test('decorrelated jitter: min(cap, U(base, 3 · previous sleep))', () => {
  const rng = new Stream(SEED, 99);
  // From a previous sleep of 40 ms: U(10, 120).
  const xs = Array.from({ length: DRAWS }, () => backoffMs('decorrelated', 3, BASE, CAP, 40, rng));
  assert.ok(Math.min(...xs) >= BASE && Math.max(...xs) < 120, 'bounds [base, 3 · 40)');
  const tol = (4 * 110) / Math.sqrt(12 * DRAWS);
  assert.ok(Math.abs(mean(xs) - 65) < tol, `mean ${mean(xs)} vs 65 (seed ${SEED})`);
  // The first retry (no previous sleep) draws from U(base, 3 · base).
  const first = Array.from({ length: 1000 }, () => backoffMs('decorrelated', 1, BASE, CAP, 0, rng));
  assert.ok(Math.min(...first) >= BASE && Math.max(...first) < 3 * BASE);
  // Near the cap the draw is clamped: from 900 ms, U(10, 2700) capped at 1000.
  const capped = Array.from({ length: DRAWS }, () => backoffMs('decorrelated', 9, BASE, CAP, 900, rng));
  assert.ok(Math.max(...capped) === CAP, 'clamped at the cap');
  const atCap = capped.filter((x) => x === CAP).length / DRAWS;
  // P(U(10, 2700) ≥ 1000) = 1700 / 2690.
  assert.ok(Math.abs(atCap - 1700 / 2690) < 0.015, `share at the cap ${atCap}`);
  // A chain of sleeps stays within [base, cap] and does not collapse to base.
  let prev = 0;
  const chain: number[] = [];
  for (let n = 1; n <= 2000; n++) {
    prev = backoffMs('decorrelated', n, BASE, CAP, prev, rng);
    chain.push(prev);
  }
  assert.ok(chain.every((x) => x >= BASE && x <= CAP));
  report('decorrelated chain', { meanMs: mean(chain.slice(100)) });
  assert.ok(mean(chain.slice(100)) > 5 * BASE);
});

test('retry budget: retries ≤ ratio · first tries + burst, per caller', () => {
  const ratio = 0.1;
  const b = new RetryBudget(3, ratio);
  // Caller 1: 1000 first tries, each followed by as many retries as the budget allows.
  let retries = 0;
  for (let i = 0; i < 1000; i++) {
    b.deposit(1);
    while (b.withdraw(1)) retries++;
  }
  report('retry budget', { firstTries: 1000, retries, bound: ratio * 1000 + 10 });
  assert.ok(retries <= ratio * 1000 + 10, `${retries} retries`);
  // Tokens accrue as a float: 1000 · 0.1 = 100 whole tokens, plus the 10 of the burst.
  assert.ok(retries >= ratio * 1000 + 10 - 1, `${retries} retries: the budget is usable`);
  // Another caller has its own bucket: its 10 burst tokens are untouched.
  let other = 0;
  while (b.withdraw(2)) other++;
  assert.is(other, 10);
  // The burst is a ceiling: a long quiet period banks no more than 10 tokens.
  for (let i = 0; i < 10_000; i++) b.deposit(0);
  let banked = 0;
  while (b.withdraw(0)) banked++;
  assert.is(banked, 10);
});

test('retry budget 0: only the burst, then no retries at all', () => {
  const b = new RetryBudget(1, 0);
  let retries = 0;
  for (let i = 0; i < 500; i++) {
    b.deposit(0);
    if (b.withdraw(0)) retries++;
  }
  assert.is(retries, 10);
});

test('an unset cap never undercuts the base: a 2 s base waits 2 s, where the 1 s default cap would have cut it', () => {
  assert.is(resolvePolicies({ retry: {} }).backoffCapMs, 1000);
  assert.is(resolvePolicies({ retry: { base: 2000 } }).backoffCapMs, 2000);
  assert.is(resolvePolicies({ retry: { base: 2000, cap: 3000 } }).backoffCapMs, 3000);
  // The export writes the same.
  const route = (toEnvoy({ retry: { base: 2000 } }, { service: 'w', namespace: 'n' }).documents[1] as { route: Record<string, any> }).route;
  assert.equal(route.retry_policy.retry_back_off, { base_interval: '2s', max_interval: '2s' });
});

test.run();
