import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadScenario } from '../../sim/scenario/index.js';
import { runStudy } from '../../sim/study/study.js';
import { removeTemporary } from '../helpers.js';
import { sojournTail as erlangTail } from './erlang.js';
import { InlineRunner, scenarioFile } from './helpers.js';

/**
 * Right-sizing against Erlang C (see erlang.ts): with slots priced and
 * nothing else, a cost study under a p99 SLO must pick the smallest c with
 * P(T > SLO) ≤ 1%.
 */
const LAMBDA = 45; // per second
const MU = 10; // per second: 100 ms mean service
const SLO_S = 0.6;

const sojournTail = (c: number, t: number): number => erlangTail(c, LAMBDA, MU, t);

test.after(removeTemporary);

test('a cost study picks the smallest slot count whose M/M/c p99 meets the SLO', async () => {
  let expected = 1;
  while (sojournTail(expected, SLO_S) > 0.01) expected++;
  // The case is chosen so that the answer is clear of the noise: one slot fewer misses by far.
  assert.ok(sojournTail(expected - 1, SLO_S) > 0.02, `c−1: ${sojournTail(expected - 1, SLO_S)}`);

  const file = scenarioFile(
    {
      duration: '300s',
      warmup: '10s',
      roles: { server: { count: 1, workers: 16, service: { dist: 'exp', mean: `${1000 / MU}ms` }, scale: { workers: [1, 16] } } },
      workload: [{ pattern: 'poisson', to: 'server', rate: `${LAMBDA}/s` }],
      slo: { p99: `${SLO_S * 1000}ms` },
      cost: { perSlotHour: 1 },
      search: { only: ['resources.server.workers'] },
    },
    'mmc-right-sizing',
  );
  const result = await runStudy(
    loadScenario(file),
    { scenarioPath: file, mode: 'cost', budget: 20, seed: 1, strategy: 'halving', confirmReplications: 5 },
    new InlineRunner(),
  );
  assert.is(result.current.config.resources?.['server']?.workers, 16, 'the current configuration is written out at its declared slots');
  assert.is(result.winner?.config.resources?.['server']?.workers, expected);
  assert.is(result.recommendation.action, 'adopt');
});

test.run();
