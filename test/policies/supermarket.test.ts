import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../../sim/runner/index.js';
import { scenarioOf } from '../helpers.js';

/**
 * The supermarket model (Mitzenmacher 1996): n single-server FIFO queues with
 * exponential service, Poisson arrivals at λn. Joining the shorter of two
 * random queues gives, as n → ∞, a mean time in system of
 * Σ_{i≥1} λ^{(2^i − 2)} ≈ 2.61 service times at λ = 0.9; a uniformly random
 * queue is an M/M/1: 1/(1 − λ) = 10.
 */
function supermarketLimit(lambda: number): number {
  let sum = 0;
  for (let i = 1; i < 30; i++) sum += Math.pow(lambda, 2 ** i - 2);
  return sum;
}

function meanTimeInSystem(balancer: string): number {
  const sc = scenarioOf({
    duration: '30s',
    warmup: '3s',
    roles: { server: { count: 100, workers: 1, service: { dist: 'exp', mean: '1ms' } } },
    workload: [{ pattern: 'poisson', to: 'server', rate: '90000/s' }],
    config: { routing: { balancer } },
  });
  return runScenario(sc, { seed: 1 }).latencyMs.mean;
}

test('p2c at load 0.9 is near the supermarket-model value, random near M/M/1', () => {
  const limit = supermarketLimit(0.9);
  assert.ok(Math.abs(limit - 2.61) < 0.01);
  const p2c = meanTimeInSystem('p2c');
  const random = meanTimeInSystem('random');
  // n = 100 sits slightly above the n → ∞ limit; 5% covers it and the noise.
  assert.ok(Math.abs(p2c - limit) / limit < 0.05, `p2c: ${p2c} service times, limit ${limit}`);
  assert.ok(Math.abs(random - 10) / 10 < 0.05, `random: ${random} service times`);
});

test.run();
