/**
 * Each sub-request of a scatter–gather is its own execution: it draws its own
 * service demand (the key of a demand includes the sub-request's index), so
 * the latency is the quorum-th order statistic of `count` independent
 * services (0.783 ms for 3 of 5 at a 1 ms mean), not one service time.
 */
import { test } from 'uvu';
import { runScenario } from '../../sim/runner/index.js';
import { expectNear } from '../faults/theory.js';
import { scenarioOf } from '../helpers.js';

const SEED = 11;

/**
 * At light load (each replica busy 0.02% of the time) with exponential shard
 * service of mean S and no link latency, a scatter to `count` replicas that
 * completes at `quorum` answers takes the quorum-th smallest of `count`
 * exponentials: E = S·Σ_{i=0}^{quorum−1} 1/(count − i) (Rényi's
 * representation of exponential order statistics).
 */
function orderStatisticMean(meanMs: number, count: number, quorum: number): number {
  let s = 0;
  for (let i = 0; i < quorum; i++) s += 1 / (count - i);
  return meanMs * s;
}

/** Sd of the quorum-th order statistic: S·√(Σ 1/(count − i)²). */
function orderStatisticSd(meanMs: number, count: number, quorum: number): number {
  let s = 0;
  for (let i = 0; i < quorum; i++) s += 1 / (count - i) ** 2;
  return meanMs * Math.sqrt(s);
}

function run(count: number, quorum: number, down: number) {
  const sc = scenarioOf({
    duration: '5000s',
    warmup: '1s',
    roles: { shard: { count: down > 0 ? count : 50, workers: 1, service: { dist: 'exp', mean: '1ms' } } },
    workload: [{ pattern: 'poisson', to: 'shard', rate: '4/s', fanout: { count, quorum } }],
    faults: down > 0 ? [{ kind: 'crash', target: 'shard', count: down, at: 0, for: '2h' }] : [],
    config: { routing: { balancer: 'random' } },
  });
  return runScenario(sc, { seed: SEED });
}

test('scatter–gather latency is the quorum-th order statistic of the shards’ services', () => {
  for (const [count, quorum] of [
    [5, 3],
    [5, 1],
    [4, 4],
  ] as const) {
    const m = run(count, quorum, 0);
    const theory = orderStatisticMean(1, count, quorum);
    const sd = orderStatisticSd(1, count, quorum);
    expectNear(`scatter ${quorum} of ${count}, seed ${SEED}`, m.latencyMs.mean, theory, (4 * sd) / Math.sqrt(m.messages.delivered));
  }
});

test('with one shard of five down, 3 of the 4 others answer: the 3rd order statistic of 4', () => {
  const m = run(5, 3, 1);
  const theory = orderStatisticMean(1, 4, 3);
  const sd = orderStatisticSd(1, 4, 3);
  expectNear(`scatter 3 of 5, one down, seed ${SEED}`, m.latencyMs.mean, theory, (4 * sd) / Math.sqrt(m.messages.delivered));
});

test.run();
