import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { modelKey } from '../../sim/model/index.js';
import runTask from '../../sim/runner/worker.js';
import type { MeshConfig } from '../../sim/scenario/types.js';
import { decode, encode } from '../../sim/study/codec.js';
import { behaviourKey, configChanges } from '../../sim/study/config-paths.js';
import { mechanismGroups } from '../../sim/study/simplify.js';
import { buildSpace } from '../../sim/study/space.js';
import { describeSpace } from '../../sim/study/space-summary.js';
import { inputError, removeTemporary, scenarioOf, withoutEngine } from '../helpers.js';
import { scenarioFile } from './helpers.js';

// An autoscaled role's autoscaler in the search space: its target, min, max
// (as min plus spare replicas) and scale-down window, when the configuration
// autoscales the role.

test.after(removeTemporary);

const PATHS = ['autoscale.worker.target', 'autoscale.worker.min', 'autoscale.worker.max', 'autoscale.worker.downWindow'];

const doc = (autoscale: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  duration: '20s',
  roles: { front: { count: 2, service: '2ms' }, worker: { count: 4, workers: 2, service: { dist: 'exp', mean: '30ms' } } },
  workload: [{ pattern: 'poisson', to: 'front', then: ['worker'], rate: '100/s' }],
  config: { autoscale: { worker: autoscale } },
  search: { only: PATHS },
  ...extra,
});

/** Points spread over the unit cube, deterministic (a Weyl sequence per coordinate). */
function points(d: number, n: number): number[][] {
  const alpha = [0.7548776662, 0.5698402910, 0.4142135624, 0.3247179572, 0.2360679775];
  return Array.from({ length: n }, (_, k) => Array.from({ length: d }, (_, j) => ((k + 1) * alpha[j % alpha.length]! + j / 7) % 1));
}

test('a utilisation autoscaler: target 0.3–0.9, min and max within the plan’s search max, the window from one period to 10 min; the base encodes itself', () => {
  const space = buildSpace(scenarioOf(doc({ max: 12 })));
  assert.equal(
    space.dims.map((d) => (d.kind === 'int' || d.kind === 'float' ? [d.name, d.kind, d.min, d.max, d.log, d.headroom ?? null] : null)),
    [
      ['autoscale.worker.target', 'float', 0.3, 0.9, false, null],
      // No scale bounds: from 1 to the plan's search max, twice the configured max.
      ['autoscale.worker.min', 'int', 1, 24, true, null],
      ['autoscale.worker.max', 'int', 0, 23, false, { over: 'autoscale.worker.min', floor: 1, cap: 24 }],
      ['autoscale.worker.downWindow', 'float', 15_000, 600_000, true, null],
    ],
  );
  // The defaults are written out, so that the current configuration encodes where it is.
  assert.equal(space.base.autoscale, { worker: { max: 12, target: 0.7, min: 1, downWindow: 300_000 } });
  assert.equal(decode(space, encode(space, space.base)).config, space.base);
  assert.is(describeSpace(space)[2]!.range, 'autoscale.worker.min + 0..23, within 1..24');
});

test('every point is a valid autoscaler: min ≤ max within the bounds, and a configuration in range decodes to itself', () => {
  const sc = scenarioOf({ ...doc({ target: 0.5, min: 3, max: 10 }), roles: { ...doc({}).roles, worker: { ...doc({}).roles.worker, scale: { count: [2, 16] } } } });
  const space = buildSpace(sc);
  assert.equal(
    space.dims.slice(1, 3).map((d) => (d.kind === 'int' ? [d.min, d.max] : null)),
    [
      [2, 16],
      [0, 14],
    ],
    'within scale.count [2, 16]',
  );
  let clipped = 0;
  for (const p of points(space.dims.length, 400)) {
    const a = decode(space, p).config.autoscale!['worker']!;
    assert.ok(2 <= a.min! && a.min! <= a.max && a.max <= 16, JSON.stringify(a));
    assert.ok(a.target! >= 0.3 && a.target! <= 0.9);
    // Each point's configuration encodes back to a point that decodes to it.
    assert.equal(decode(space, encode(space, decode(space, p).config)).config, decode(space, p).config);
    if (a.max === 16 && a.max - a.min! < Math.round(p[2]! * 15 - 0.5)) clipped++;
  }
  assert.ok(clipped < 400 / 3, `only the corner min + spare > 16 is clipped (${clipped} of 400)`);
  const c: MeshConfig = { autoscale: { worker: { target: 0.45, min: 5, max: 9, downWindow: 60_000 } } };
  assert.equal(decode(space, encode(space, c)).config.autoscale, c.autoscale);
});

test('ranges hold the current values; a queue target is searched on a log scale within a factor of 8', () => {
  const low = buildSpace(scenarioOf(doc({ target: 0.2, min: 2, max: 40, downWindow: 0, period: '5s' })));
  assert.equal(
    low.dims.map((d) => (d.kind === 'float' || d.kind === 'int' ? [d.name, d.min, d.max] : null)),
    [
      ['autoscale.worker.target', 0.2, 0.9],
      ['autoscale.worker.min', 1, 80],
      ['autoscale.worker.max', 0, 79],
      // A window no longer than one period acts as 0.
      ['autoscale.worker.downWindow', 5_000, 600_000],
    ],
  );
  assert.is(decode(low, encode(low, low.base)).config.autoscale!['worker']!.target, 0.2);
  const queue = buildSpace(scenarioOf(doc({ metric: 'queue', target: 4, max: 8 })));
  const t = queue.dims[0]!;
  assert.equal(t.kind === 'float' && [t.min, t.max, t.log], [0.5, 32, true]);
});

test('only and exclude: max alone is searched as a number from the current min; min alone stays at most the current max', () => {
  const onlyMax = buildSpace(scenarioOf(doc({ min: 3, max: 12 }, { search: { only: ['autoscale.worker.max'] } })));
  assert.equal(onlyMax.dims.map((d) => (d.kind === 'int' ? [d.name, d.min, d.max, d.headroom ?? null] : null)), [['autoscale.worker.max', 3, 24, null]]);
  const onlyMin = buildSpace(scenarioOf(doc({ min: 3, max: 12 }, { search: { only: ['autoscale.worker.min'] } })));
  assert.equal(onlyMin.dims.map((d) => (d.kind === 'int' ? [d.name, d.min, d.max] : null)), [['autoscale.worker.min', 1, 12]]);
  assert.equal(decode(onlyMin, [1]).config.autoscale, { worker: { min: 12, max: 12 } });
  const without = buildSpace(scenarioOf(doc({ max: 12 }, { search: { exclude: ['autoscale.worker.downWindow'] } })));
  assert.not.ok(without.dims.some((d) => d.name === 'autoscale.worker.downWindow'));
  assert.ok(without.dims.some((d) => d.name === 'autoscale.worker.target') && without.dims.some((d) => d.name === 'retry.maxAttempts'));
  // Without an autoscaler there is nothing of it to search.
  const plain = buildSpace(scenarioOf({ ...doc({ max: 12 }), config: {}, search: {} }));
  assert.not.ok(plain.dims.some((d) => d.name.startsWith('autoscale.')));
  assert.equal(plain.base, {});
});

test('a fault on the role keeps max at or above the replicas it hits', () => {
  const faults = [{ kind: 'crash', target: 'worker', count: 3, at: '5s', for: '5s' }];
  const space = buildSpace(scenarioOf(doc({ min: 1, max: 6 }, { faults })));
  for (const p of points(space.dims.length, 200)) assert.ok(decode(space, p).config.autoscale!['worker']!.max >= 3);
});

test('bad names in only and exclude: one line naming search.<list>[i]', () => {
  let e = inputError(() => buildSpace(scenarioOf(doc({ max: 12 }, { search: { only: ['autoscale.front.target'] } }))));
  assert.is(e.path, 'search.only[0]');
  assert.match(e.detail, /does not autoscale that role/);
  e = inputError(() => scenarioOf(doc({ max: 12 }, { search: { exclude: ['autoscale.worker.upWindow'] } })));
  assert.is(e.path, 'search.exclude[0]');
  assert.match(e.detail, /autoscale\.<role>\.downWindow/);
  // The count of an autoscaled role is its autoscaler's: the message says what is searched instead.
  const scaled = { ...doc({ max: 12 }), roles: { ...doc({}).roles, worker: { ...doc({}).roles.worker, scale: { count: [1, 16] } } } };
  e = inputError(() => buildSpace(scenarioOf({ ...scaled, search: { only: ['resources.worker.count'] } })));
  assert.match(e.detail, /autoscale\.worker\.min and \.max are searched/);
});

test('simplification puts a role’s autoscaler back as one mechanism', () => {
  const base: MeshConfig = { autoscale: { worker: { target: 0.3, min: 2, max: 12 }, front: { max: 4 } }, retry: { maxAttempts: 2 } };
  const cand: MeshConfig = { autoscale: { worker: { target: 0.6, min: 1, max: 8 }, front: { max: 6 } }, retry: { maxAttempts: 3 } };
  assert.equal(
    mechanismGroups(configChanges(base, cand)).map((g) => g.map((c) => c.path)),
    [['autoscale.front.max'], ['autoscale.worker.max', 'autoscale.worker.min', 'autoscale.worker.target'], ['retry.maxAttempts']],
  );
});

test('a study worker runs each autoscaler on the layout of its own max, whatever ran before', () => {
  const sc = scenarioOf(doc({ max: 12 }));
  const at = (max: number, min = 1): MeshConfig => ({ autoscale: { worker: { target: 0.5, min, max } } });
  // The layout (and so the compiled model and the run's key) follows max and min.
  assert.is.not(modelKey(sc, at(8)), modelKey(sc, at(16)));
  assert.is.not(modelKey(sc, at(8)), modelKey(sc, at(8, 6)));
  assert.is.not(behaviourKey(at(8)), behaviourKey(at(16)));
  const file = scenarioFile(doc({ max: 12 }), 'autoscale-layouts');
  const run = (config: MeshConfig) => withoutEngine(runTask({ scenarioPath: file, fraction: 1, config, seed: 3 }));
  const small = run(at(2, 2));
  const large = run(at(12, 6));
  assert.ok(small.latencyMs.p99 > large.latencyMs.p99, 'two replicas at most: a longer tail');
  for (let m = 3; m < 22; m++) run(at(m));
  assert.equal(run(at(2, 2)), small);
  assert.equal(run(at(12, 6)), large);
});

test.run();
