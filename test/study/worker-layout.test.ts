import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileScenario, simulateRaw } from '../../sim/model/index.js';
import runTask from '../../sim/runner/worker.js';
import type { MeshConfig } from '../../sim/scenario/types.js';
import { removeTemporary, scenarioOf, withoutEngine } from '../helpers.js';
import { scenarioFile } from './helpers.js';

// A study's worker compiles once per layout (replicas and slots per role):
// each configuration runs on the model of its own layout, whatever ran before.

test.after(removeTemporary);

const doc = {
  duration: '20s',
  roles: { front: { count: 2, service: '2ms' }, worker: { count: 4, workers: 2, service: { dist: 'exp', mean: '30ms' }, scale: { count: [1, 32] } } },
  workload: [{ pattern: 'poisson', to: 'front', then: ['worker'], rate: '100/s' }],
};

test('results depend on the configuration, not on the layouts compiled before it', () => {
  const file = scenarioFile(doc, 'layouts');
  const run = (count: number) => withoutEngine(runTask({ scenarioPath: file, fraction: 1, config: { resources: { worker: { count } } }, seed: 3 }));
  const three = run(3);
  const eight = run(8);
  assert.is(three.messages.generated, eight.messages.generated, 'the same arrivals');
  assert.ok(three.latencyMs.p99 > eight.latencyMs.p99, 'fewer workers, a longer tail');
  // More layouts than the worker keeps, then the first again.
  for (let n = 10; n < 30; n++) run(n);
  assert.equal(run(3), three);
  assert.equal(run(8), eight);
});

test('a model compiled for one layout refuses a configuration of another', () => {
  const sc = scenarioOf(doc);
  const compiled = compileScenario(sc);
  const other: MeshConfig = { resources: { worker: { count: 5 } } };
  assert.throws(() => simulateRaw(compiled, other, 1), /compiled for the layout/);
  assert.ok(simulateRaw(compileScenario(sc, other), other, 1).counters.delivered > 0);
  // A configuration that names the declared count has the declared layout.
  assert.ok(simulateRaw(compiled, { resources: { worker: { count: 4 } } }, 1).counters.delivered > 0);
});

test.run();
