import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../../sim/runner/index.js';
import type { DeliveryKind } from '../../sim/scenario/types.js';
import { scenarioOf } from '../helpers.js';
import { COUNTING_COST, binomialSd, report } from './measure.js';

/**
 * One-way messages over one lossy hop (loss p = 0.2 per transmission, acks
 * included). At-least-once re-sends a hop until it is acknowledged (here the
 * implied retry policy: 3 attempts, 1 s ack timeout): a message is lost only
 * if all 3 copies are, p³; a copy that arrived but whose ack was lost is sent
 * again and served again — a duplicate. Exactly-once is at-least-once with
 * the receiver remembering what it took: the repeat is acked, counted as a
 * duplicate, and not served. Service at the receiver is a constant 2 ms, so
 * worker time / 2 ms counts the services.
 */
const P = 0.2;
const ATTEMPTS = 3;
const SERVICE = 2;
const SEED = 5;
const sc = scenarioOf({
  duration: '30s',
  warmup: '1s',
  roles: { src: { count: 2, workers: 1, service: '1ms' }, dst: { count: 2, workers: 100, service: `${SERVICE}ms` } },
  links: { latency: '1ms', loss: P },
  workload: [{ pattern: 'poisson', from: 'src', to: 'dst', rate: '500/s' }],
  cost: COUNTING_COST,
});

/**
 * Expected arrivals per message at the receiver: attempt k + 1 is made when
 * attempt k's copy or its ack was lost, probability 1 − (1 − p)² each time.
 */
function expectedArrivals(p: number, attempts: number): number {
  const a = 1 - p;
  let made = 1;
  let arrivals = 0;
  for (let k = 0; k < attempts; k++) {
    arrivals += made * a;
    made *= 1 - a * a;
  }
  return arrivals;
}

const run = (delivery: DeliveryKind) => runScenario(sc, { seed: SEED, config: { delivery } });

test('at-most-once loses the loss rate; at-least-once delivers all but p³', () => {
  const amo = run('at-most-once');
  const alo = run('at-least-once');
  const n = amo.messages.generated;
  report('delivery at-most-once', { generated: n, lost: amo.messages.lost.link, lossRate: amo.messages.lost.link / n, p: P });
  report('delivery at-least-once', {
    delivered: alo.messages.delivered,
    lost: n - alo.messages.delivered,
    expectedLost: n * P ** ATTEMPTS,
    deliveryRatio: alo.deliveryRatio,
    retries: alo.retries,
  });
  assert.is(alo.messages.generated, n, 'same arrivals whatever the delivery');
  assert.ok(Math.abs(amo.messages.lost.link - n * P) < 4 * binomialSd(n, P), `at-most-once lost ${amo.messages.lost.link} of ${n} (seed ${SEED})`);
  const lost = n - alo.messages.delivered;
  const pl = P ** ATTEMPTS;
  assert.ok(Math.abs(lost - n * pl) < 4 * binomialSd(n, pl), `at-least-once lost ${lost} vs ${n * pl} (seed ${SEED})`);
  assert.ok(alo.deliveryRatio > 0.98);
});

test('at-least-once serves duplicates; exactly-once counts them and serves each message once', () => {
  const alo = run('at-least-once');
  const eo = run('exactly-once');
  const n = alo.messages.generated;
  const servedAlo = Math.round(alo.cost.cpu / SERVICE);
  const servedEo = Math.round(eo.cost.cpu / SERVICE);
  // Expected duplicates = arrivals − messages with at least one arrival.
  const expDup = n * (expectedArrivals(P, ATTEMPTS) - (1 - P ** ATTEMPTS));
  report('delivery duplicates', {
    expected: expDup,
    atLeastOnce: alo.messages.duplicates,
    exactlyOnce: eo.messages.duplicates,
    servedAtLeastOnce: servedAlo,
    servedExactlyOnce: servedEo,
    delivered: eo.messages.delivered,
  });
  // Duplicates as expected (a sum of per-message counts; Poisson sd as a bound).
  for (const [k, m] of [['at-least-once', alo], ['exactly-once', eo]] as const) {
    assert.ok(Math.abs(m.messages.duplicates - expDup) < 4 * Math.sqrt(expDup), `${k}: ${m.messages.duplicates} vs ${expDup} (seed ${SEED})`);
  }
  // At-least-once: every duplicate was served again.
  assert.is(servedAlo, alo.messages.delivered + alo.messages.duplicates);
  // Exactly-once: completions = delivered, never a double delivery.
  assert.is(servedEo, eo.messages.delivered);
  assert.is(eo.messages.delivered, alo.messages.delivered, 'the same messages get through');
});


test('a scatter–gather under exactly-once or with redundant copies: each part is a message of its own, not a repeat of the others', () => {
  // Three parts to three replicas, all needed; nothing is lost on the way.
  const doc = (config: Record<string, unknown>) =>
    scenarioOf({
      duration: '10s',
      roles: { src: { count: 1, service: '1ms' }, shard: { count: 3, workers: 4, service: '2ms' } },
      links: { latency: '1ms' },
      workload: [{ pattern: 'poisson', from: 'src', to: 'shard', rate: '20/s', priority: 7, fanout: { count: 3, quorum: 3 } }],
      config,
    });
  for (const config of [{ delivery: 'exactly-once' }, { delivery: 'at-least-once' }, { routing: { redundancy: 2, redundantPriority: 7 } }]) {
    const m = runScenario(doc(config), { seed: 2 });
    assert.is(m.messages.delivered, m.messages.generated, JSON.stringify(config));
    assert.is(m.messages.duplicates, 0, JSON.stringify(config));
  }
  // Each part's twin is the one discarded: three per message.
  const twins = runScenario(doc({ routing: { redundancy: 2, redundantPriority: 7 } }), { seed: 2 });
  assert.is(twins.messages.sent - 2 * 3 * twins.messages.generated, 0);
});

test.run();
