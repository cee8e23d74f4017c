import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { runScenario } from '../../sim/runner/index.js';
import { scenarioOf } from '../helpers.js';

/**
 * Parallel groups and errors against every mechanism that moves, copies or
 * drops messages: on random small meshes — groups anywhere in `then`, erring
 * roles, one-way or request–reply, scatter–gather, every delivery guarantee, retries, hedges,
 * timeouts, redundant copies, breakers, an autoscaled role, a crash and lossy links — every
 * measured message has exactly one fate (delivered, or lost for one cause),
 * and a run repeats exactly.
 */
const ROLES = ['a', 'b', 'c', 'd'] as const;

const roleArb = fc.record({
  count: fc.integer({ min: 1, max: 3 }),
  workers: fc.integer({ min: 1, max: 4 }),
  mean: fc.integer({ min: 1, max: 20 }),
  errors: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.3, noNaN: true })),
});

const stepArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...ROLES),
  fc
    .array(fc.oneof(fc.constantFrom(...ROLES), fc.array(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 3 })), { minLength: 2, maxLength: 4 })
    .map((parallel) => ({ parallel })),
);

const configArb = fc.record(
  {
    delivery: fc.constantFrom('at-most-once', 'at-least-once', 'exactly-once'),
    retry: fc.record({ maxAttempts: fc.integer({ min: 1, max: 4 }), base: fc.constant('2ms') }),
    timeout: fc.record({ perTry: fc.constantFrom('15ms', '60ms', '500ms') }),
    hedge: fc.record({ after: fc.constantFrom('5ms', '30ms') }),
    routing: fc.record({ redundancy: fc.integer({ min: 1, max: 2 }), balancer: fc.constantFrom('round-robin', 'least-request', 'p2c', 'peak-ewma', 'consistent-hash') }),
    breaker: fc.record({ failureRate: fc.constant(0.5), minRequests: fc.constant(5) }),
    buffer: fc.record({ capacity: fc.integer({ min: 2, max: 64 }) }),
    // Replicas of b come and go during the run.
    autoscale: fc.record({ b: fc.record({ target: fc.constantFrom(0.2, 0.6), min: fc.constant(1), max: fc.constant(4), period: fc.constant('200ms'), provisioning: fc.constantFrom('0ms', '100ms') }) }),
  },
  { requiredKeys: [] },
);

const caseArb = fc.record({
  roles: fc.tuple(roleArb, roleArb, roleArb, roleArb),
  then: fc.array(stepArb, { minLength: 0, maxLength: 3 }),
  reply: fc.boolean(),
  /** A scatter–gather over a's replicas (quorum 1 to count), when `then` has no group. */
  fanout: fc.option(fc.record({ count: fc.integer({ min: 1, max: 3 }), quorum: fc.integer({ min: 1, max: 3 }) })),
  rate: fc.integer({ min: 20, max: 300 }),
  loss: fc.oneof(fc.constant(0), fc.constant(0.02)),
  crash: fc.boolean(),
  topology: fc.constantFrom('full-mesh', 'ring', 'star'),
  config: configArb,
  seed: fc.integer({ min: 0, max: 1000 }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function fanoutOf(c: Case): { fanout?: { count: number; quorum: number } } {
  if (c.fanout === null || c.then.some((s) => typeof s !== 'string')) return {};
  const count = Math.min(c.fanout.count, c.roles[0].count);
  return { fanout: { count, quorum: Math.min(c.fanout.quorum, count) } };
}

function scenario(c: Case) {
  return scenarioOf({
    duration: '2s',
    warmup: '200ms',
    drain: '5s',
    roles: Object.fromEntries(
      c.roles.map((r, i) => [ROLES[i]!, { count: r.count, workers: r.workers, service: { dist: 'exp', mean: r.mean }, errors: r.errors }]),
    ),
    topology: { kind: c.topology },
    links: { latency: '1ms', loss: c.loss },
    workload: [{ pattern: 'poisson', to: 'a', then: c.then, rate: c.rate, reply: c.reply, ...fanoutOf(c) }],
    faults: c.crash ? [{ kind: 'crash', target: 'b', count: 1, at: '500ms', for: '500ms' }] : [],
    config: c.config,
  });
}

test('every measured message has one fate, and a run repeats exactly', () => {
  fc.assert(
    fc.property(caseArb, (c) => {
      const sc = scenario(c);
      const m = runScenario(sc, { seed: c.seed });
      const lost = Object.values(m.messages.lost).reduce((s, x) => s + x, 0);
      assert.is(m.messages.delivered + lost, m.messages.generated, JSON.stringify(m.messages));
      const again = runScenario(sc, { seed: c.seed });
      assert.equal(again.messages, m.messages);
      assert.equal(again.latencyMs, m.latencyMs);
    }),
    { numRuns: 150, seed: 20261206 },
  );
});

test('without errors, faults, loss or timeouts, every message is delivered through any groups', () => {
  fc.assert(
    fc.property(caseArb, (c) => {
      const calm: Case = {
        ...c,
        roles: c.roles.map((r) => ({ ...r, errors: 0, workers: 8 })) as unknown as Case['roles'],
        loss: 0,
        crash: false,
        config: { delivery: c.config.delivery ?? 'at-most-once' },
        rate: Math.min(c.rate, 60),
      };
      const m = runScenario(scenario(calm), { seed: c.seed });
      assert.is(m.messages.delivered, m.messages.generated, JSON.stringify(m.messages));
    }),
    { numRuns: 80, seed: 7 },
  );
});

test.run();
