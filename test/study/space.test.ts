import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildSpace } from '../../sim/study/space.js';
import { decode, encode, activeOf, dropInactive } from '../../sim/study/codec.js';
import { behaviourKey, configKey } from '../../sim/study/config-paths.js';
import { configSchema } from '../../sim/scenario/config.js';
import { InputError } from '../../sim/scenario/index.js';
import { Stream } from '../../sim/engine/rng.js';
import { scenarioOf } from '../helpers.js';

const doc = {
  duration: '5s',
  roles: { api: { count: 4, workers: 2, service: { dist: 'exp', mean: '5ms' } } },
  topology: { kind: 'ring' },
  workload: [{ pattern: 'poisson', to: 'api', rate: '100/s' }],
};

const randomPoints = (d: number, n: number, seed = 1): number[][] => {
  const rng = new Stream(seed, 1);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.next()));
};

test('the default space covers every knob, with gates and conditions', () => {
  const space = buildSpace(scenarioOf(doc));
  const names = space.dims.map((d) => d.name);
  for (const n of ['routing.balancer', 'routing.path', 'buffer', 'buffer.capacity', 'timeout.perTry', 'retry.base', 'breaker', 'breaker.failureRate', 'batching.linger', 'concurrency', 'shedding.queueFraction']) {
    assert.ok(names.includes(n), n);
  }
  const cap = space.dims.find((d) => d.name === 'buffer.capacity')!;
  assert.equal(cap.kind === 'int' && [cap.min, cap.max, cap.log], [4, 4096, true]);
  const base = space.dims.find((d) => d.name === 'retry.base')!;
  assert.equal(base.when, { dim: 'retry.maxAttempts', above: 1 });
  // Parents come before children.
  space.dims.forEach((d, i) => {
    if (d.when !== null) assert.ok(names.indexOf(d.when.dim) < i, `${d.name} after ${d.when.dim}`);
  });
});

test('decode → encode → decode gives the same configuration, and every candidate is a valid configuration', () => {
  const space = buildSpace(scenarioOf(doc));
  for (const u of randomPoints(space.dims.length, 300)) {
    const a = decode(space, u);
    const back = decode(space, encode(space, a.config));
    assert.is(configKey(back.config), configKey(a.config));
    assert.equal(back.active, a.active);
    const parsed = configSchema.safeParse(a.config);
    assert.ok(parsed.success, `${configKey(a.config)}: ${parsed.success ? '' : parsed.error.issues[0]?.message}`);
  }
});

test('conditional knobs: sub-knobs are active only when their gate is on', () => {
  const space = buildSpace(scenarioOf(doc));
  const idx = (n: string) => space.dims.findIndex((d) => d.name === n);
  const u = new Array<number>(space.dims.length).fill(0.5);
  u[idx('breaker')] = 0.1; // off
  u[idx('retry.maxAttempts')] = 0.01; // 1 attempt: no retry
  let d = decode(space, u);
  assert.not.ok(d.active[idx('breaker.failureRate')]);
  assert.not.ok(d.active[idx('retry.base')]);
  assert.is(d.config.breaker, undefined);
  assert.is(d.config.retry?.base, undefined);
  u[idx('breaker')] = 0.9; // on
  u[idx('retry.maxAttempts')] = 0.99;
  d = decode(space, u);
  assert.ok(d.active[idx('breaker.failureRate')]);
  assert.ok(d.active[idx('retry.base')]);
  assert.type(d.config.breaker?.failureRate, 'number');
  assert.is(d.config.retry?.maxAttempts, 5);
  // Inactive dimensions do not move the configuration.
  const v = [...u];
  u[idx('breaker')] = 0.1;
  v[idx('breaker')] = 0.1;
  v[idx('breaker.window')] = 0.123;
  assert.is(configKey(decode(space, u).config), configKey(decode(space, v).config));
});

test('a gate turned off removes the mechanism from the current configuration', () => {
  const space = buildSpace(scenarioOf({ ...doc, config: { breaker: { failureRate: 0.3 }, timeout: { perTry: '200ms' } } }));
  const idx = (n: string) => space.dims.findIndex((d) => d.name === n);
  const u = encode(space, space.base);
  assert.ok(decode(space, u).config.breaker !== undefined, 'the current configuration encodes with its breaker on');
  u[idx('breaker')] = 0.1;
  u[idx('timeout')] = 0.1;
  const c = decode(space, u).config;
  assert.is(c.breaker, undefined);
  assert.is(c.timeout, undefined);
});

test('values round trip on log, integer and choice dimensions', () => {
  const space = buildSpace(scenarioOf({ ...doc, config: { buffer: { capacity: 64, policy: 'drop-head' }, timeout: { perTry: 250 }, routing: { balancer: 'p2c' } } }));
  const c = decode(space, encode(space, space.base)).config;
  assert.is(c.buffer?.capacity, 64);
  assert.is(c.buffer?.policy, 'drop-head');
  assert.is(c.timeout?.perTry, 250);
  assert.is(c.routing?.balancer, 'p2c');
});

test('the search block: knobs override ranges, exclude removes, only restricts', () => {
  const sc = scenarioOf({
    ...doc,
    search: { knobs: { 'timeout.perTry': { min: '50ms', max: '2s', log: true }, 'routing.balancer': { values: ['p2c', 'least-request'] } }, exclude: ['routing.path'] },
  });
  const space = buildSpace(sc);
  const perTry = space.dims.find((d) => d.name === 'timeout.perTry')!;
  assert.equal(perTry.kind === 'float' && [perTry.min, perTry.max], [50, 2000]);
  const bal = space.dims.find((d) => d.name === 'routing.balancer')!;
  assert.equal(bal.kind === 'choice' && bal.values, ['p2c', 'least-request']);
  assert.not.ok(space.dims.some((d) => d.name === 'routing.path'));

  const only = buildSpace(scenarioOf({ ...doc, search: { only: ['breaker.failureRate', 'retry.base'] } }));
  // The gate comes with its knob; retry.base needs retries, which the current configuration does not have.
  assert.equal(only.dims.map((d) => d.name), ['breaker', 'breaker.failureRate']);
  const withRetry = buildSpace(scenarioOf({ ...doc, config: { retry: { maxAttempts: 3 } }, search: { only: ['retry.base'] } }));
  assert.equal(withRetry.dims.map((d) => [d.name, d.when]), [['retry.base', null]]);
});

test('excluding every knob of a mechanism leaves its gate out too', () => {
  const space = buildSpace(scenarioOf({ ...doc, search: { exclude: ['breaker.failureRate', 'breaker.minRequests', 'breaker.window', 'breaker.openFor', 'breaker.halfOpenProbes'] } }));
  assert.not.ok(space.dims.some((d) => d.name.startsWith('breaker')));
});

test('a full mesh does not search path policies', () => {
  const space = buildSpace(scenarioOf({ ...doc, topology: { kind: 'full-mesh' } }));
  assert.not.ok(space.dims.some((d) => d.name === 'routing.path'));
  assert.equal(space.pruned.map((p) => p.knob), ['routing.path']);
});

test('an empty space is bad input naming the file and search.only', () => {
  try {
    buildSpace(scenarioOf({ ...doc, search: { only: ['hedge.after'], exclude: ['hedge.after'] } }, 'empty'));
    assert.unreachable('should throw');
  } catch (err) {
    assert.instance(err, InputError);
    const e = err as InstanceType<typeof InputError>;
    assert.is(e.path, 'search.only');
    assert.match(e.message, /empty\.json/);
    assert.match(e.message, /no knob left/);
  }
});

test('a range the knob cannot take is bad input naming search.knobs[<path>]', () => {
  // Through the loader…
  try {
    scenarioOf({ ...doc, search: { knobs: { 'breaker.failureRate': { min: 0, max: 2 } } } }, 'bad');
    assert.unreachable('should throw');
  } catch (err) {
    assert.instance(err, InputError);
    assert.match((err as Error).message, /search\.knobs\["breaker\.failureRate"\]\.min/);
  }
  // …and for a scenario built in code, by the space itself.
  const sc = scenarioOf(doc, 'code');
  sc.search = { knobs: { 'retry.maxAttempts': { kind: 'int', min: 0, max: 4, log: false } }, exclude: [], only: [] };
  try {
    buildSpace(sc);
    assert.unreachable('should throw');
  } catch (err) {
    assert.instance(err, InputError);
    assert.is((err as InstanceType<typeof InputError>).path, 'search.knobs["retry.maxAttempts"].min');
  }
  sc.search = { knobs: { 'routing.balancer': { kind: 'float', min: 0, max: 4, log: false } }, exclude: [], only: [] };
  assert.throws(() => buildSpace(sc), (e: unknown) => e instanceof InputError && /is a choice/.test(e.message));
});

test('knobs left inactive are put back as the current configuration has them', () => {
  const space = buildSpace(scenarioOf({ ...doc, config: { retry: { maxAttempts: 2, base: 40 } } }));
  const c = dropInactive(space, { retry: { maxAttempts: 1, base: 300, cap: 900 }, routing: { redundancy: 1, redundantPriority: 5 } });
  assert.equal(c, { retry: { maxAttempts: 1, base: 40 }, routing: { redundancy: 1 } });
});

test('a mechanism the candidate switched off stays off: its knobs are not put back from the current configuration', () => {
  // The current configuration times out every try after 2.5 s; the candidate has no timeout.
  const space = buildSpace(scenarioOf({ ...doc, config: { timeout: { perTry: 2500 }, hedge: { after: 300 }, retry: { maxAttempts: 5, base: 100 } } }));
  const candidate = { retry: { maxAttempts: 5, base: 100 } };
  const c = dropInactive(space, candidate);
  assert.equal(c, candidate);
  assert.is(behaviourKey(c), behaviourKey(candidate));
});

test('the active mask follows the values', () => {
  const space = buildSpace(scenarioOf({ ...doc, search: { only: ['retry.maxAttempts', 'retry.base'] } }));
  assert.equal(activeOf(space, [1, 25]), [true, false]);
  assert.equal(activeOf(space, [3, 25]), [true, true]);
});

test.run();
