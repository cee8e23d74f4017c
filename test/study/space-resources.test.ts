import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../sim/scenario/index.js';
import { decode, encode } from '../../sim/study/codec.js';
import { buildSpace } from '../../sim/study/space.js';
import { scenarioOf } from '../helpers.js';

// Resources in the search space: a role's scale bounds become integer
// dimensions on a log scale; without bounds the space is as before.

const base = {
  duration: '10s',
  roles: { front: { count: 2, service: '2ms' }, worker: { count: 6, workers: 2, service: '30ms', scale: { count: [2, 32], workers: [1, 8] } } },
  workload: [{ pattern: 'poisson', to: 'front', then: ['worker'], rate: '50/s' }],
};

test('bounds add replicas and slots on a log scale; the current configuration encodes where it is', () => {
  const space = buildSpace(scenarioOf(base));
  const dims = space.dims.filter((d) => d.name.startsWith('resources.'));
  assert.equal(
    dims.map((d) => (d.kind === 'int' ? [d.name, d.min, d.max, d.log] : null)),
    [
      ['resources.worker.count', 2, 32, true],
      ['resources.worker.workers', 1, 8, true],
    ],
  );
  assert.equal(space.base.resources, { worker: { count: 6, workers: 2 } });
  const point = encode(space, space.base);
  assert.equal(decode(space, point).config.resources, { worker: { count: 6, workers: 2 } });
  // Log scale: the middle of [2, 32] (each whole number's cell widened by ½) is √(1.5 × 32.5) ≈ 7, not 17.
  const i = space.dims.findIndex((d) => d.name === 'resources.worker.count');
  const mid = point.map((u, k) => (k === i ? 0.5 : u));
  assert.is(decode(space, mid).config.resources?.['worker']?.count, 7);
});

test('without bounds the space has no resource dimension and the base is the scenario’s configuration', () => {
  const { worker, ...roles } = base.roles;
  const { scale: _s, ...plain } = worker;
  const space = buildSpace(scenarioOf({ ...base, roles: { ...roles, worker: plain } }));
  assert.not.ok(space.dims.some((d) => d.name.startsWith('resources.')));
  assert.is(space.base.resources, undefined);
});

test('only and exclude name resource paths; an unbounded or autoscaled one is an error', () => {
  const only = buildSpace(scenarioOf({ ...base, search: { only: ['resources.worker.workers'] } }));
  assert.equal(only.dims.map((d) => d.name), ['resources.worker.workers']);
  const without = buildSpace(scenarioOf({ ...base, search: { exclude: ['resources.worker.count'] } }));
  assert.ok(without.dims.some((d) => d.name === 'resources.worker.workers'));
  assert.not.ok(without.dims.some((d) => d.name === 'resources.worker.count'));
  try {
    buildSpace(scenarioOf({ ...base, search: { only: ['resources.front.count'] } }));
    assert.unreachable('front has no bounds');
  } catch (err) {
    assert.instance(err, InputError);
    assert.is((err as InputError).path, 'search.only[0]');
    assert.match((err as InputError).detail, /no scale bounds/);
  }
  // An autoscaled role's count is its autoscaler's; its slots are still searched.
  const auto = buildSpace(scenarioOf({ ...base, config: { autoscale: { worker: { max: 32 } } } }));
  assert.equal(auto.dims.filter((d) => d.name.startsWith('resources.')).map((d) => d.name), ['resources.worker.workers']);
});

test.run();
