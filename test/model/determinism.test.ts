import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../../sim/runner/index.js';
import { scenarioOf, withoutEngine } from '../helpers.js';

// A scenario that touches most of the model: three roles, a tree with relays,
// replies, hand-offs, link latency and loss, a crash, retries and a breaker.
const doc = {
  duration: '20s',
  warmup: '2s',
  seed: 5,
  roles: {
    gateway: { count: 2, workers: 4, service: { dist: 'exp', mean: '2ms' } },
    worker: { count: 20, workers: 1, service: { dist: 'lognormal', mean: '20ms', cv: 1 }, relay: '0.2ms' },
    store: { count: 4, workers: 2, service: { dist: 'exp', mean: '3ms' } },
  },
  topology: { kind: 'hierarchical', fanout: 4 },
  links: { latency: { dist: 'exp', mean: '1ms' }, loss: 0.001 },
  workload: [{ pattern: 'poisson', to: 'gateway', then: ['worker', 'store'], rate: '300/s', reply: { size: '1KB' } }],
  faults: [{ kind: 'crash', target: 'worker', fraction: 0.2, at: '8s', for: '4s' }],
  config: {
    routing: { balancer: 'p2c' },
    timeout: { perTry: '200ms' },
    retry: { maxAttempts: 3 },
    breaker: {},
  },
};

test('same scenario, configuration and seed give identical metrics', () => {
  const sc = scenarioOf(doc);
  const a = runScenario(sc, { seed: 7 });
  const b = runScenario(sc, { seed: 7 });
  assert.equal(JSON.stringify(withoutEngine(a)), JSON.stringify(withoutEngine(b)));
  assert.ok(a.messages.generated > 4000);
  assert.ok(a.retries > 0, 'the crash should cause retries');
});

test('another seed gives different metrics', () => {
  const sc = scenarioOf(doc);
  const a = runScenario(sc, { seed: 7 });
  const b = runScenario(sc, { seed: 8 });
  assert.is.not(a.latencyMs.p99, b.latencyMs.p99);
  assert.is.not(a.messages.generated, b.messages.generated);
});

test('every measured message is delivered or lost exactly once', () => {
  const sc = scenarioOf(doc);
  for (const seed of [1, 2, 3]) {
    const m = runScenario(sc, { seed });
    const lost = Object.values(m.messages.lost).reduce((s, x) => s + x, 0);
    assert.is(m.messages.delivered + lost, m.messages.generated, `seed ${seed}`);
  }
});

test.run();
