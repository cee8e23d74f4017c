import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeObjective, nonInferior, searchObjective } from '../../sim/study/objective.js';
import { measured } from './fakes.js';

const slo = { p99: 2000, deliveryRatio: 0.999 };

test('a reversion 270 times worse on two seeds of three is not shown harmless (a two-sided CI containing 0 would accept it)', () => {
  const obj = searchObjective(makeObjective('performance', { p99: null, deliveryRatio: 0.999 }));
  const winner = measured([{ p99: 148 }, { p99: 150 }, { p99: 146 }]);
  const reverted = measured([{ p99: 40_000 }, { p99: 38_000 }, { p99: 140 }]);
  assert.not.ok(nonInferior(obj, reverted, winner));
});

test('identical results (common random numbers, a knob that does nothing) and results within 2% on every seed are harmless', () => {
  const obj = searchObjective(makeObjective('performance', slo));
  const winner = measured([{ p99: 148 }, { p99: 150 }, { p99: 146 }]);
  assert.ok(nonInferior(obj, winner, winner));
  assert.ok(nonInferior(obj, measured([{ p99: 150 }, { p99: 152 }, { p99: 140 }]), winner));
  assert.not.ok(nonInferior(obj, measured([{ p99: 150 }, { p99: 160 }, { p99: 140 }]), winner), 'one seed 6.7% worse');
});

test('a small, consistent loss passes the one-sided non-inferiority test; a noisy one does not', () => {
  const obj = searchObjective(makeObjective('performance', slo));
  const winner = measured([{ p99: 100 }, { p99: 100 }, { p99: 100 }, { p99: 100 }, { p99: 100 }]);
  // 2.1–2.3% worse on each seed: mean difference within the tolerance? No: every seed is above 2%.
  assert.not.ok(nonInferior(obj, measured([{ p99: 102.1 }, { p99: 102.2 }, { p99: 102.3 }, { p99: 102.1 }, { p99: 102.2 }]), winner));
  // One seed 2.5% worse, the others better: the upper bound of the mean stays within 2%.
  assert.ok(nonInferior(obj, measured([{ p99: 102.5 }, { p99: 98 }, { p99: 97.5 }, { p99: 98.5 }, { p99: 98 }]), winner));
  // One seed 30% worse, the others much better: the mean is better but the bound is not within 2%.
  assert.not.ok(nonInferior(obj, measured([{ p99: 130 }, { p99: 80 }, { p99: 80 }, { p99: 80 }, { p99: 80 }]), winner));
});

test('never when the reversion misses an SLO the winner meets, even if the objective is better', () => {
  const cost = searchObjective(makeObjective('cost', slo));
  const winner = measured([{ costPerDelivered: 0.01, p99: 1900 }, { costPerDelivered: 0.01, p99: 1800 }, { costPerDelivered: 0.01, p99: 1700 }]);
  const cheaperButSlow = measured([{ costPerDelivered: 0.008, p99: 1900 }, { costPerDelivered: 0.008, p99: 2100 }, { costPerDelivered: 0.008, p99: 1700 }]);
  assert.not.ok(nonInferior(cost, cheaperButSlow, winner));
  // Performance mode holds the p99 SLO too, and the delivery SLO with the search's margin.
  const perf = searchObjective(makeObjective('performance', slo));
  const lossy = measured([{ p99: 100, deliveryRatio: 0.9995 }, { p99: 100, deliveryRatio: 0.9989 }, { p99: 100, deliveryRatio: 1 }]);
  const full = measured([{ p99: 110 }, { p99: 110 }, { p99: 110 }]);
  assert.not.ok(nonInferior(perf, lossy, full), 'delivery 99.89% on one seed misses the 99.9% SLO the winner meets');
});

test('reliability: delivery is judged on its complement, the loss', () => {
  const obj = searchObjective(makeObjective('reliability', slo));
  const winner = measured([{ deliveryRatio: 0.9999 }, { deliveryRatio: 0.9998 }, { deliveryRatio: 0.9999 }]);
  // 0.9990 is ten times the winner's loss, though only 0.09% less delivery.
  assert.not.ok(nonInferior(obj, measured([{ deliveryRatio: 0.999 }, { deliveryRatio: 0.9998 }, { deliveryRatio: 0.9999 }]), winner));
  assert.ok(nonInferior(obj, winner, winner));
});

test('compared on the seeds the reversion ran on: a screening on the first seed', () => {
  const obj = searchObjective(makeObjective('performance', slo));
  const winner = measured([{ p99: 148 }, { p99: 150 }, { p99: 146 }]);
  assert.ok(nonInferior(obj, measured([{ p99: 149 }]), winner));
  assert.not.ok(nonInferior(obj, measured([{ p99: 400 }]), winner));
});

test.run();
