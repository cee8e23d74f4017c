import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configObjectFor, InputError, parseScenario } from '../../sim/scenario/index.js';

/** Two classes into one server. */
const BASE = {
  duration: '10s',
  roles: { server: { count: 2, service: '5ms' } },
  workload: [
    { pattern: 'poisson', to: 'server', rate: '5/s', class: 'gold' },
    { pattern: 'poisson', to: 'server', rate: '5/s' },
  ],
} as const;

const FILE = 'scenarios/classes.json';

function expectError(doc: unknown, field: string, detail: RegExp): void {
  try {
    parseScenario(JSON.stringify(doc), FILE);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    assert.is(err.path, field);
    assert.match(err.detail, detail);
    assert.is(err.message.split('\n').length, 1);
    return;
  }
  assert.unreachable('expected the scenario to be rejected');
}

test('classes, class SLOs and weights load; an entry without a class is in `default`', () => {
  const sc = parseScenario(
    JSON.stringify({ ...BASE, slo: { p99: '1s', classes: { gold: { p99: '50ms' }, default: { deliveryRatio: 0.9 } } }, config: { priority: { weights: { gold: 4, default: 1 } } } }),
    FILE,
  );
  assert.is(sc.workload[0]!.class, 'gold');
  assert.not.ok('class' in sc.workload[1]!);
  assert.equal(sc.slo.classes, { gold: { p99: 50, deliveryRatio: null }, default: { p99: null, deliveryRatio: 0.9 } });
  assert.equal(sc.config.priority, { weights: { gold: 4, default: 1 } });
  // The shape of a scenario without classes is the one it always had.
  const old = parseScenario(JSON.stringify({ ...BASE, workload: [BASE.workload[1]] }), FILE);
  assert.equal(old.slo, { p99: null, deliveryRatio: null });
});

test('a class no workload uses, a bad weight or a bad name: exit 2 with the field path', () => {
  expectError({ ...BASE, config: { priority: { weights: { silver: 2 } } } }, 'config.priority.weights.silver', /unknown priority class 'silver'.*gold, default/);
  expectError({ ...BASE, slo: { classes: { bronze: { p99: '10ms' } } } }, 'slo.classes.bronze', /unknown priority class 'bronze'/);
  expectError({ ...BASE, config: { priority: { weights: { gold: 0 } } } }, 'config.priority.weights.gold', /expected more than 0/);
  expectError({ ...BASE, workload: [{ ...BASE.workload[0], class: 'a.b' }] }, 'workload[0].class', /class names are words/);
  expectError({ ...BASE, workload: [BASE.workload[1]], config: { priority: { weights: { gold: 2 } } } }, 'config.priority.weights.gold', /no workload entry names a priority class/);
  const many = Array.from({ length: 9 }, (_, i) => ({ pattern: 'poisson', to: 'server', rate: '1/s', class: `c${i}` }));
  expectError({ ...BASE, workload: many }, 'workload[8].class', /at most 8 priority classes/);
  // A --config file or object is checked against the scenario's classes too.
  const sc = parseScenario(JSON.stringify(BASE), FILE);
  assert.throws(() => configObjectFor(sc, { priority: { weights: { platinum: 9 } } }, 'best.json'), (e: unknown) => e instanceof InputError && e.path === 'priority.weights.platinum');
});

test.run();
