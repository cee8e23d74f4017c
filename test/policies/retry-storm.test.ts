import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../../sim/runner/index.js';
import { loadScenario } from '../../sim/scenario/index.js';
import type { Metrics } from '../../sim/metrics/types.js';
import type { MeshConfig } from '../../sim/scenario/types.js';
import { report, windowSum } from './measure.js';

/**
 * A retry storm and its metastable aftermath (Bronson et al., "Metastable
 * Failures in Distributed Systems", HotOS 2021). The fixture is
 * scenarios/retry-storm.yaml at a quarter of its size: service utilisation
 * 0.70, then 1.41 during a surge from 30 s to 40 s; a 400 ms per-try timeout
 * and 3 retries. Without a budget the retries of timed-out calls keep the
 * service overloaded after the surge — goodput stays at zero to the end of
 * the run. A retry budget of 10% caps the extra load and the service recovers.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(here, '..', 'fixtures', 'policies', 'retry-storm-small.yaml');
const SEED = 1;

interface Phase {
  generated: number;
  delivered: number;
  retries: number;
  sent: number;
}

function phase(m: Metrics, fromMs: number, toMs: number): Phase {
  const t = m.timeline!;
  return {
    generated: windowSum(t.generated, t.bucketMs, fromMs, toMs),
    delivered: windowSum(t.delivered, t.bucketMs, fromMs, toMs),
    retries: windowSum(t.retries, t.bucketMs, fromMs, toMs),
    sent: windowSum(t.sent, t.bucketMs, fromMs, toMs),
  };
}

/** Requests per generated message (first tries + retries), goodput as delivered / generated. */
function figures(p: Phase): { amplification: number; sentPerMsg: number; goodput: number } {
  return {
    amplification: (p.generated + p.retries) / p.generated,
    sentPerMsg: p.sent / p.generated,
    goodput: p.delivered / p.generated,
  };
}

const sc = loadScenario(FIXTURE);
const stormConfig: MeshConfig = sc.config;
const budgetConfig: MeshConfig = { ...sc.config, retry: { ...sc.config.retry, budget: 0.1 } };

const memo = new Map<MeshConfig, Metrics>();
/** Each configuration is run once and shared by the tests. */
function run(config: MeshConfig): Metrics {
  let m = memo.get(config);
  if (m === undefined) {
    m = runScenario(sc, { seed: SEED, config, timeline: true });
    memo.set(config, m);
  }
  return m;
}

// Phases: before the surge (after warm-up), the surge, and its aftermath to
// the end of the run. The aftermath starts once a budgeted service must have
// drained its backlog: capacity μ = 2 × 4 / 5 ms = 1600/s, normal load
// λ = 1125/s, surge 2250/s, and at most 10% extra from retries. The surge
// leaves a backlog of at most (1.1 · 2250 − 1600) · 10 s = 8750 requests,
// cleared at ≥ 1600 − 1.1 · 1125 = 362.5/s, i.e. by 40 + 24.1 ≈ 64 s.
const PHASES = { before: [10_000, 30_000], surge: [30_000, 40_000], after: [70_000, 90_000] } as const;

function show(label: string, m: Metrics): Record<string, ReturnType<typeof figures>> {
  const out: Record<string, ReturnType<typeof figures>> = {};
  for (const [name, [a, b]] of Object.entries(PHASES)) {
    out[name] = figures(phase(m, a, b));
    const f = out[name]!;
    report(`${label} ${name} ${a / 1000}-${b / 1000}s`, {
      amplification: f.amplification,
      sentPerMsg: f.sentPerMsg,
      goodput: f.goodput,
      goodputPerSec: (phase(m, a, b).delivered * 1000) / (b - a),
    });
  }
  report(`${label} totals`, {
    generated: m.messages.generated,
    sent: m.messages.sent,
    sentPerGenerated: m.messages.sent / m.messages.generated,
    retries: m.retries,
    deliveryRatio: m.deliveryRatio,
  });
  return out;
}

test('no budget: the surge amplifies load, and goodput stays collapsed after it (metastable)', () => {
  const f = show(`storm seed ${SEED}`, run(stormConfig));
  // Before the surge: every message delivered on its first try.
  assert.ok(f.before!.goodput > 0.99, `goodput before ${f.before!.goodput}`);
  assert.ok(f.before!.amplification < 1.01, `amplification before ${f.before!.amplification}`);
  // During the surge, timed-out calls are retried: over 2 requests per message.
  assert.ok(f.surge!.amplification > 2, `amplification in the surge ${f.surge!.amplification}`);
  // After it, offered load stays about (1 + 3) × normal = 2.8 × capacity: nothing completes in time.
  assert.ok(f.after!.amplification > 3, `amplification after ${f.after!.amplification}`);
  assert.ok(f.after!.goodput < 0.05, `goodput after the surge ${f.after!.goodput} (seed ${SEED})`);
});

test('retry budget 10%: the same surge, then recovery', () => {
  const budgeted = run(budgetConfig);
  const f = show(`budget seed ${SEED}`, budgeted);
  assert.ok(f.before!.goodput > 0.99);
  // The budget caps the extra load at 10% of first tries (plus a burst of 10 per caller).
  assert.ok(f.surge!.amplification < 1.1 + 0.01, `amplification in the surge ${f.surge!.amplification}`);
  assert.ok(f.after!.amplification < 1.1 + 0.01, `amplification after ${f.after!.amplification}`);
  // Over the whole run (warm-up included: the timeline counts every message;
  // one first try per message), per caller: retries ≤ 0.1 · first tries + 10.
  const t = budgeted.timeline!;
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  assert.ok(sum(t.retries) <= 0.1 * sum(t.generated) + 10 * 2, `retries ${sum(t.retries)} of ${sum(t.generated)} messages`);
  // Recovered: goodput back to (nearly) all messages over 70–90 s.
  assert.ok(f.after!.goodput > 0.95, `goodput after the surge ${f.after!.goodput} (seed ${SEED})`);
  // And over the whole run the budget delivers far more.
  assert.ok(budgeted.messages.delivered > 1.5 * run(stormConfig).messages.delivered);
});

test.run();
