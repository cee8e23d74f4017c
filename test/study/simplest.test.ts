import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareOutcomes, makeObjective, searchObjective } from '../../sim/study/objective.js';
import { simplestShownEqual } from '../../sim/study/selection.js';
import type { EvaluationRecord, Outcome } from '../../sim/study/types.js';
import { measured } from './fakes.js';

// Performance mode with a p99 SLO of 100 ms: the objective is the p99.
const obj = searchObjective(makeObjective('performance', { p99: 100, deliveryRatio: 0.99 }));
const SEEDS = [7, 8, 9];

/** A top-rung record of `candidate` changing `mechanisms` mechanisms, with these per-seed p99s (and deliveries). */
function rec(candidate: number, mechanisms: number, p99s: number[], delivery: number[] = p99s.map(() => 1), seeds = SEEDS): EvaluationRecord & { mechanisms: number } {
  const m = measured(p99s.map((p99, i) => ({ p99, deliveryRatio: delivery[i]! })));
  return {
    key: `search:${candidate}`,
    phase: 'search',
    seq: candidate,
    candidate,
    level: 2,
    fraction: 1,
    seeds,
    point: null,
    config: {},
    status: 'ok',
    error: null,
    outcome: m.outcome,
    perSeed: m.perSeed as Outcome[],
    cost: seeds.length,
    wallMs: 0,
    mechanisms,
  };
}

const mechanisms = (r: EvaluationRecord): number => (r as EvaluationRecord & { mechanisms: number }).mechanisms;
const ranked = (...rs: EvaluationRecord[]): EvaluationRecord[] => [...rs].sort((a, b) => compareOutcomes(obj, a.outcome, b.outcome));

test('a candidate changing fewer mechanisms, within the tolerance of the best on every seed, stands in for it', () => {
  const best = rec(20, 11, [70, 72, 71]);
  const second = rec(4, 3, [70.5, 72.5, 71.5]);
  const single = rec(2, 1, [71, 72.8, 71.6]); // within 2% of the best on every seed
  const pick = simplestShownEqual(ranked(best, second, single), obj, mechanisms)!;
  assert.is(pick.record.candidate, 2, 'the one changing the fewest');
  assert.is(pick.over?.candidate, 20);
});

test('the best stands when the simpler one is worse beyond the tolerance', () => {
  const best = rec(20, 11, [70, 72, 71]);
  const single = rec(2, 1, [75, 77, 76]); // 7% worse everywhere
  const pick = simplestShownEqual(ranked(best, single), obj, mechanisms)!;
  assert.is(pick.record.candidate, 20);
  assert.is(pick.over, null);
});

test('three seeds and a heavy tail: equal on two seeds and far worse on the third is not shown equal', () => {
  const best = rec(20, 11, [70, 72, 71]);
  const single = rec(2, 1, [69, 71, 95]); // a slow tail on one seed: better on the mean of two, 34% worse on the third
  const pick = simplestShownEqual(ranked(best, single), obj, mechanisms)!;
  assert.is(pick.record.candidate, 20);
});

test('a simpler candidate missing an SLO the best meets on some seed is not shown equal', () => {
  // Delivery 98.9% on one seed against the 99% SLO, the p99 the same.
  const best = rec(20, 11, [70, 72, 71]);
  const single = rec(2, 1, [70, 72, 71], [1, 0.989, 1]);
  assert.is(simplestShownEqual(ranked(best, single), obj, mechanisms)!.record.candidate, 20);
});

test('only candidates measured on the same seeds are compared', () => {
  const best = rec(20, 11, [70, 72, 71]);
  const other = rec(2, 1, [70, 72, 71], undefined, [10, 11, 12]);
  assert.is(simplestShownEqual([best, other], obj, mechanisms)!.record.candidate, 20);
});

test('the current configuration (no change) is the simplest of all when it is as good', () => {
  const best = rec(20, 4, [70, 72, 71]);
  const current = rec(0, 0, [70.2, 72.1, 71.3]);
  const single = rec(2, 1, [70.1, 72, 71.1]);
  const pick = simplestShownEqual(ranked(best, single, current), obj, mechanisms)!;
  assert.is(pick.record.candidate, 0);
  assert.is(simplestShownEqual([], obj, mechanisms), null);
});

test.run();
