import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, loadConfigFile, loadScenario, mergeConfig } from '../../sim/scenario/index.js';
import type { MeshConfig } from '../../sim/scenario/index.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/scenarios');

test('a --config file is read and checked like a scenario config block', () => {
  assert.equal(loadConfigFile(path.join(fixtures, 'fast-retry.yaml')), {
    retry: { maxAttempts: 4, cap: 2000 },
    timeout: { perTry: 300 },
  });
});

test('a bad --config file names the file, line and knob', () => {
  const file = path.join(fixtures, 'bad-config.json');
  try {
    loadConfigFile(file);
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, InputError);
    assert.is((err as InputError).message, `${file}:3: retry.maxAttempts: expected at least 1, got 0`);
  }
  try {
    loadConfigFile(path.join(fixtures, 'no-such-config.yaml'));
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, InputError);
    assert.match((err as InputError).message, /no-such-config\.yaml: cannot read: no such file$/);
  }
});

test('mergeConfig changes only what the override names, deeply', () => {
  const base: MeshConfig = {
    routing: { balancer: 'p2c', path: 'adaptive' },
    retry: { maxAttempts: 3, base: 10, cap: 1000, jitter: 'full' },
    delivery: 'at-least-once',
  };
  const over: MeshConfig = {
    retry: { maxAttempts: 5, cap: 2000 },
    timeout: { perTry: 300 },
    concurrency: { limit: 'aimd' },
  };
  const merged = mergeConfig(base, over);
  assert.equal(merged, {
    routing: { balancer: 'p2c', path: 'adaptive' },
    retry: { maxAttempts: 5, base: 10, cap: 2000, jitter: 'full' },
    delivery: 'at-least-once',
    timeout: { perTry: 300 },
    concurrency: { limit: 'aimd' },
  });
});

test('mergeConfig returns new objects and never mutates its inputs', () => {
  const base: MeshConfig = { routing: { balancer: 'random' }, buffer: { capacity: 10 } };
  const over: MeshConfig = { buffer: { policy: 'drop-head' } };
  const baseCopy = structuredClone(base);
  const overCopy = structuredClone(over);
  const merged = mergeConfig(base, over);
  assert.equal(base, baseCopy);
  assert.equal(over, overCopy);
  assert.is.not(merged.routing, base.routing);
  assert.is.not(merged.buffer, over.buffer);
  merged.routing!.balancer = 'p2c';
  assert.is(base.routing?.balancer, 'random');
  assert.equal(mergeConfig({}, {}), {});
  assert.equal(mergeConfig(base, {}), base);
  assert.equal(mergeConfig({}, over), over);
});

test('a config file merges over a scenario config', () => {
  const scenario = loadScenario(path.join(fixtures, 'patterns.yaml'));
  const merged = mergeConfig(scenario.config, loadConfigFile(path.join(fixtures, 'fast-retry.yaml')));
  assert.equal(merged.retry, { maxAttempts: 4, base: 10, cap: 2000, jitter: 'full', budget: 0.2 });
  assert.equal(merged.timeout, { perTry: 300, overall: 2000 });
  assert.equal(merged.routing, scenario.config.routing);
  assert.equal(scenario.config.retry, { maxAttempts: 3, base: 10, cap: 1000, jitter: 'full', budget: 0.2 });
});

test.run();
