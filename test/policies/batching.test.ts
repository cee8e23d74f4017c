import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../../sim/runner/index.js';
import { scenarioOf } from '../helpers.js';
import { COUNTING_COST, report } from './measure.js';

/**
 * Per-link batching: the first message on an idle link opens a batch that
 * leaves `linger` later (or when full); a batch is one transmission. On one
 * link with Poisson traffic at rate λ and a batch that never fills, a batch
 * holds 1 + λL messages on average, and the mean wait a message adds is
 * (L + λL²/2) / (1 + λL) — the opener waits L, the others what is left of it.
 */
const RATE = 1000;
const SEED = 2;
const sc = scenarioOf({
  duration: '30s',
  warmup: '1s',
  roles: { src: { count: 1, workers: 1, service: '1ms' }, dst: { count: 1, workers: 100, service: '1ms' } },
  links: { latency: '1ms' },
  workload: [{ pattern: 'poisson', from: 'src', to: 'dst', rate: `${RATE}/s`, size: 512 }],
  cost: COUNTING_COST,
});

test('batching lowers transmissions and cost per message at the price of the linger', () => {
  const plain = runScenario(sc, { seed: SEED });
  assert.is(plain.messages.transmissions, plain.messages.delivered, 'one transmission per message');
  for (const linger of [2, 5]) {
    const m = runScenario(sc, { seed: SEED, config: { batching: { linger, maxSize: 64 } } });
    const lam = RATE / 1000;
    const perBatch = 1 + lam * linger;
    const wait = (linger + (lam * linger * linger) / 2) / perBatch;
    const txPerMsg = m.messages.transmissions / m.messages.delivered;
    const addedMs = m.latencyMs.mean - plain.latencyMs.mean;
    report(`batching linger ${linger}ms`, {
      txPerMsg,
      expected: 1 / perBatch,
      costPerMsg: m.cost.messages / m.messages.delivered,
      costPerMsgPlain: plain.cost.messages / plain.messages.delivered,
      addedMs,
      expectedMs: wait,
      meanMs: m.latencyMs.mean,
    });
    assert.is(m.messages.delivered, plain.messages.delivered);
    // Batches per second = 1 / (L + 1/λ): over ~28,000 messages the relative sd is < 1%; allow 3%.
    assert.ok(Math.abs(txPerMsg * perBatch - 1) < 0.03, `linger ${linger}: ${txPerMsg} transmissions per message (seed ${SEED})`);
    assert.ok(Math.abs(addedMs / wait - 1) < 0.03, `linger ${linger}: +${addedMs} ms vs ${wait} ms`);
    // cost.messages is charged per transmission.
    assert.ok(Math.abs(m.cost.messages - m.messages.transmissions) < 1e-6 * m.messages.transmissions);
  }
});

test('a full batch leaves at once: maxSize bounds both the batch and the wait', () => {
  const m = runScenario(sc, { seed: SEED, config: { batching: { linger: 50, maxSize: 4 } } });
  const txPerMsg = m.messages.transmissions / m.messages.delivered;
  report('batching maxSize 4, linger 50ms', { txPerMsg, meanMs: m.latencyMs.mean, p99Ms: m.latencyMs.p99, maxMs: m.latencyMs.max });
  // At 1/ms a batch of 4 fills in ~3 ms, long before 50 ms: every batch is full.
  assert.ok(Math.abs(txPerMsg - 0.25) < 0.005, `${txPerMsg}`);
  // Mean wait ≈ (3 + 2 + 1 + 0) / 4 gaps of 1 ms = 1.5 ms.
  assert.ok(Math.abs(m.latencyMs.mean - 2 - 1.5) < 0.1, `mean ${m.latencyMs.mean}`);
  // Only the last batch of the run, which never fills, waits out the linger.
  assert.ok(m.latencyMs.p99 < 10, `p99 ${m.latencyMs.p99}`);
  assert.ok(m.latencyMs.max <= (50 + 2) * 1.008, `max ${m.latencyMs.max}`);
});

test.run();
