import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadScenario } from '../../sim/scenario/index.js';
import { runStudy } from '../../sim/study/study.js';
import { makeObjective, violation } from '../../sim/study/objective.js';
import { shortfallText } from '../../sim/report/format.js';
import { removeTemporary } from '../helpers.js';
import { fewestSlots } from './erlang.js';
import { outcome } from './fakes.js';
import { InlineRunner, scenarioFile } from './helpers.js';

test.after(removeTemporary);

test('a class SLO counts like a global one: relative excess on the worst seed, a missing class misses it', () => {
  const obj = makeObjective('cost', { p99: null, deliveryRatio: null, classes: { gold: { p99: 100, deliveryRatio: 0.99 } } });
  const meets = outcome({ classes: { gold: { p99: 90, deliveryRatio: 1 } } });
  const slow = outcome({ classes: { gold: { p99: 90, deliveryRatio: 1, worstP99: 150, worstDeliveryRatio: 0.98 } } });
  assert.is(violation(obj, meets), 0);
  // p99 50% over on the worst seed, twice the allowed loss: 0.5 + 1.
  assert.ok(Math.abs(violation(obj, slow) - 1.5) < 1e-9, String(violation(obj, slow)));
  assert.is(violation(obj, outcome({})), Infinity);
  // When no configuration meets a class bound, the report's verdict names it.
  const text = shortfallText({ unmet: [], unmetClasses: ['gold p99'], closest: 'winner', saturated: [{ role: 'server', utilization: 0.99 }], faults: [] }, { p99: null, deliveryRatio: null, classes: { gold: { p99: 600, deliveryRatio: null } } });
  assert.match(text, /gold p99 \(600 ms\)/);
});

test('a cost study holds a class p99 SLO: the fewest slots whose M/M/c p99 meets it, not the fewest that deliver', async () => {
  // Two classes served first come, first served by one replica whose slots
  // share its queue: gold's time in system is the M/M/c one at the total
  // load. Only gold has a p99 bound; fewer slots (still stable, delivering
  // everything) would be cheaper if the study let the class SLO go.
  const lambda = 45;
  const mu = 10;
  const expected = fewestSlots(lambda, mu, 0.6);
  assert.ok(expected - 1 > lambda / mu, `c − 1 = ${expected - 1} is stable: the delivery SLO alone would allow it`);
  const file = scenarioFile(
    {
      duration: '300s',
      warmup: '10s',
      roles: { server: { count: 1, workers: 16, service: { dist: 'exp', mean: `${1000 / mu}ms` }, scale: { workers: [1, 16] } } },
      workload: [
        { pattern: 'poisson', to: 'server', rate: `${lambda / 3}/s`, class: 'gold' },
        { pattern: 'poisson', to: 'server', rate: `${(2 * lambda) / 3}/s`, class: 'bronze' },
      ],
      slo: { classes: { gold: { p99: '600ms' } } },
      cost: { perSlotHour: 1 },
      search: { only: ['resources.server.workers'] },
    },
    'class-slo',
  );
  const result = await runStudy(
    loadScenario(file),
    { scenarioPath: file, mode: 'cost', budget: 20, seed: 1, strategy: 'halving', confirmReplications: 5 },
    new InlineRunner(),
  );
  assert.is(result.winner?.config.resources?.['server']?.workers, expected);
  assert.is(result.recommendation.action, 'adopt');
  assert.is(result.recommendation.shortfall, null);
  const gold = result.confirmation?.winner.classes?.['gold'];
  assert.ok(gold !== undefined && gold.p99 <= 600, `gold p99 on the fresh seeds ${gold?.p99}`);
});

test.run();
