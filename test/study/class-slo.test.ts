import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadScenario } from '../../sim/scenario/index.js';
import { runStudy } from '../../sim/study/study.js';
import { makeObjective, violation } from '../../sim/study/objective.js';
import { shortfallText } from '../../sim/report/format.js';
import { InputError } from '../../sim/scenario/index.js';
import { decode, encode } from '../../sim/study/codec.js';
import { buildSpace } from '../../sim/study/space.js';
import { removeTemporary, scenarioOf } from '../helpers.js';
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
  // A bound the mode sets where the scenario states none (an imported one) is named, not NaN.
  const fromMode = shortfallText({ unmet: ['deliveryRatio'], closest: 'current', saturated: [], faults: [] }, { p99: null, deliveryRatio: 0.99 }, { p99: null, deliveryRatio: null });
  assert.match(fromMode, /meets the delivery-ratio \(99(\.0+)?%, the mode's default: the scenario states none\) SLO/);
});

test('two or more classes add the weights to the space: a switch (off = first come, first served), then a log-scale weight per class', () => {
  const doc = {
    duration: '10s',
    roles: { server: { count: 1, workers: 2, service: '10ms' } },
    workload: [
      { pattern: 'poisson', to: 'server', rate: '50/s', class: 'gold' },
      { pattern: 'poisson', to: 'server', rate: '50/s' },
    ],
  };
  const space = buildSpace(scenarioOf(doc));
  const dims = space.dims.filter((d) => d.name.startsWith('priority.'));
  assert.equal(
    dims.map((d) => [d.name, d.kind, d.kind === 'float' ? [d.min, d.max, d.log] : null, d.when]),
    [
      ['priority.weights', 'gate', null, null],
      ['priority.weights.gold', 'float', [1, 100, true], { dim: 'priority.weights', values: ['on'] }],
      ['priority.weights.default', 'float', [1, 100, true], { dim: 'priority.weights', values: ['on'] }],
    ],
  );
  // The scenario's configuration has no weights: it encodes as off and decodes back to none.
  assert.is(decode(space, encode(space, space.base)).config.priority, undefined);
  const on = encode(space, { priority: { weights: { gold: 10, default: 1 } } });
  assert.equal(decode(space, on).config.priority, { weights: { gold: 10, default: 1 } });
  // One class, or none: nothing to weigh.
  assert.not.ok(buildSpace(scenarioOf({ ...doc, workload: [doc.workload[0]] })).dims.some((d) => d.name.startsWith('priority.')));
  const excluded = buildSpace(scenarioOf({ ...doc, search: { exclude: ['priority.weights'] } }));
  assert.not.ok(excluded.dims.some((d) => d.name.startsWith('priority.')));
  assert.throws(() => buildSpace(scenarioOf({ ...doc, search: { only: ['priority.weights.silver'] } })), (e: unknown) => e instanceof InputError && e.path === 'search.only[0]');
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

test('a class SLO missed only in a later surge: the cheap rung sees the surge, and the study adopts class weights that meet it', async () => {
  // surge-classes: the backfill surges from 25 s to 45 s of 60 s. The cheap
  // rung runs a third of the timeline; before it scaled the diurnal table,
  // it ran the calm 0–20 s, where every candidate met the search p99, and the
  // study (budgets 30 and 100) said no configuration meets the SLOs.
  const file = path.join(process.cwd(), 'test', 'fixtures', 'study', 'surge-classes.yaml');
  const result = await runStudy(loadScenario(file), { scenarioPath: file, mode: 'performance', budget: 30, seed: 100, strategy: 'halving', confirmReplications: 10 }, new InlineRunner());
  assert.is(result.recommendation.action, 'adopt');
  assert.is(result.recommendation.shortfall, null);
  const weights = result.recommendation.config.priority?.weights;
  assert.ok(weights !== undefined && (weights['search'] ?? 1) > (weights['backfill'] ?? 1), JSON.stringify(result.recommendation.config));
  const search = result.confirmation?.winner.classes?.['search'];
  assert.ok(search !== undefined && search.p99 <= 150, `search p99 on the fresh seeds ${search?.p99}`);
});

test.run();
