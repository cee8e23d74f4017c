import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../../sim/runner/index.js';
import type { MeshConfig } from '../../sim/scenario/types.js';
import { scenarioOf } from '../helpers.js';
import { report } from '../policies/measure.js';
import { sojournTail } from '../study/erlang.js';

/**
 * One replica with one worker and a constant 10 ms service (100/s), two
 * priority classes each offered `gold`/`bronze` per second. No warm-up and
 * no drain: what a class delivered is what it was served in the 2 s.
 */
function twoClasses(gold: number, bronze: number, extra: Record<string, unknown> = {}) {
  return scenarioOf({
    duration: '2s',
    drain: 0,
    roles: { server: { count: 1, service: '10ms' } },
    workload: [
      { pattern: 'poisson', to: 'server', rate: `${gold}/s`, class: 'gold' },
      { pattern: 'poisson', to: 'server', rate: `${bronze}/s`, class: 'bronze' },
    ],
    ...extra,
  });
}

const WEIGHTS: MeshConfig = { priority: { weights: { gold: 3, bronze: 1 } } };

test('weights 3:1, both classes always waiting: service in the ratio 3:1 (150 and 50 of 200 services)', () => {
  // Start-time fair queueing with equal 10 ms services: gold's tag advances
  // by 10/3 per service, bronze's by 10, so of every four services three
  // are gold's. 2 s of a busy 10 ms server is 200 services (less the first
  // arrival's gap, under one service).
  const m = runScenario(twoClasses(200, 200), { seed: 3, config: WEIGHTS });
  const gold = m.classes!['gold']!.delivered;
  const bronze = m.classes!['bronze']!.delivered;
  report('wfq 3:1 saturated', { gold, bronze });
  assert.ok(Math.abs(gold - 150) <= 2, `gold served ${gold}, expected 150 ± 2 (seed 3)`);
  assert.ok(Math.abs(bronze - 50) <= 2, `bronze served ${bronze}, expected 50 ± 2 (seed 3)`);
  // Without weights the same load is served first come, first served: half each.
  const fifo = runScenario(twoClasses(200, 200), { seed: 3 });
  const ratio = fifo.classes!['gold']!.delivered / fifo.classes!['bronze']!.delivered;
  assert.ok(Math.abs(ratio - 1) < 0.15, `FIFO gold/bronze ${ratio}, expected ≈ 1 (seed 3)`);
});

test('a class asking less than its share gets all it asks, at once; the other takes the rest', () => {
  // Gold offers 30/s, under its 75/s share: it never builds a backlog, and
  // waits a few services (the one in progress, other gold, a bronze one in
  // four), not behind bronze's backlog — which, served first come first
  // served, grows by 130 messages a second and holds gold for seconds.
  const m = runScenario(twoClasses(30, 200), { seed: 5, config: WEIGHTS });
  const gold = m.classes!['gold']!;
  const bronze = m.classes!['bronze']!;
  const fifoGold = runScenario(twoClasses(30, 200), { seed: 5 }).classes!['gold']!;
  report('wfq light gold', { goldDelivery: gold.deliveryRatio, goldP99: gold.latencyMs.p99, fifoGoldP99: fifoGold.latencyMs.p99, bronzeDelivered: bronze.delivered });
  assert.ok(gold.deliveryRatio > 0.97, `gold delivery ${gold.deliveryRatio} (seed 5)`);
  assert.ok(gold.latencyMs.p99 < 60, `gold p99 ${gold.latencyMs.p99} ms, expected a few 10 ms services (seed 5)`);
  assert.ok(fifoGold.latencyMs.p99 > 10 * gold.latencyMs.p99, `FIFO gold p99 ${fifoGold.latencyMs.p99} ms`);
  // Work-conserving: the server stays busy, bronze gets what gold leaves.
  assert.ok(Math.abs(gold.delivered + bronze.delivered - 200) <= 3, `served ${gold.delivered + bronze.delivered} of 200`);
});

test('per-class figures add up to the totals; a workload without classes reports none', () => {
  const m = runScenario(twoClasses(60, 120, { warmup: '200ms' }), { seed: 2, config: { ...WEIGHTS, buffer: { capacity: 20 } } });
  const cls = Object.values(m.classes!);
  const sum = (f: (c: (typeof cls)[number]) => number) => cls.reduce((s, c) => s + f(c), 0);
  const lost = Object.values(m.messages.lost).reduce((s, x) => s + x, 0);
  assert.is(sum((c) => c.generated), m.messages.generated);
  assert.is(sum((c) => c.delivered), m.messages.delivered);
  assert.is(sum((c) => c.lost), lost);
  assert.ok(lost > 0, 'the overload loses messages');
  for (const c of cls) assert.is(c.generated, c.delivered + c.lost);
  const maxP99 = Math.max(...cls.map((c) => c.latencyMs.p99));
  assert.ok(m.latencyMs.p99 <= maxP99 + 1e-9, `total p99 ${m.latencyMs.p99} above every class's`);
  const plain = runScenario(scenarioOf({ duration: '1s', roles: { s: { count: 1, service: '1ms' } }, workload: [{ pattern: 'poisson', to: 's', rate: '50/s' }] }));
  assert.not.ok('classes' in plain);
});

test('a full buffer makes room for the class under its weighted share; shedding goes lightest first', () => {
  // Buffer of 8 under overload, weights 3:1, `priority` policy: an arrival
  // pushes out the oldest copy of the class furthest over its weighted share
  // of the buffer, so gold holds about 6 places and bronze 2; with drop-tail
  // whoever comes first holds them. Gold loses less under `priority`.
  const sc = twoClasses(150, 150);
  const policy = (p: 'drop-tail' | 'priority') => runScenario(sc, { seed: 4, config: { ...WEIGHTS, buffer: { capacity: 8, policy: p } } }).classes!;
  const tail = policy('drop-tail');
  const prio = policy('priority');
  report('wfq buffer', { tailGold: tail['gold']!.deliveryRatio, prioGold: prio['gold']!.deliveryRatio, prioBronze: prio['bronze']!.deliveryRatio });
  assert.ok(prio['gold']!.deliveryRatio > tail['gold']!.deliveryRatio, 'priority eviction protects the heavier class');
  // Shedding above half the buffer of 8: bronze (lighter) is shed from 4
  // waiting, gold only from 6 (4 + (8 − 4) · 1/2). Gold at 40/s, under its
  // share, meets a queue that bronze keeps at about 4: it is shed only when
  // two more gold wait too (rarely). With equal weights both are shed from
  // 4, and gold loses a share of its messages like bronze.
  const light = twoClasses(40, 150, { duration: '4s', drain: '5s' });
  const shedding = (weights: Record<string, number>) =>
    runScenario(light, { seed: 4, config: { priority: { weights }, buffer: { capacity: 8 }, shedding: { queueFraction: 0.5 } } }).classes!;
  const ranked = shedding({ gold: 3, bronze: 1 });
  const equal = shedding({ gold: 1, bronze: 1 });
  report('wfq shedding', { goldLost: ranked['gold']!.lost, bronzeLost: ranked['bronze']!.lost, goldLostEqualWeights: equal['gold']!.lost });
  assert.ok(ranked['bronze']!.lost > 0, 'bronze is shed');
  assert.ok(ranked['gold']!.lost <= 0.03 * ranked['gold']!.generated, `gold lost ${ranked['gold']!.lost} of ${ranked['gold']!.generated}`);
  assert.ok(equal['gold']!.lost > 5 * Math.max(1, ranked['gold']!.lost), `equal weights: gold lost ${equal['gold']!.lost}`);
});

test('two classes at 1.2× capacity: the heavy class keeps its M/M/c p99, the light one absorbs the loss', () => {
  // One replica with c = 8 slots of exponential 80 ms service (μ = 12.5/s
  // each, 100/s in all) takes 48/s of `high` and 72/s of `low`, weights 100 : 1,
  // a buffer of 100 that makes room for `high`. Low always waits, so every
  // slot is always busy and a high arrival waits for the next slot to free:
  // the high messages queue as an M/M/1 served at cμ = 100/s, a wait W ~
  // Exp(cμ − λ_high = 52/s), then their own service S ~ Exp(μ), and
  //   P(W + S > t) = (θ e^{−μt} − μ e^{−θt}) / (θ − μ),  θ = 52/s.
  // Its p99 is within 10% of M/M/8's at high's own load, as if low were not
  // there; low gets the rest of the capacity, 52/s of its 72/s.
  const c = 8;
  const mu = 12.5;
  const high = 48;
  const low = 72;
  const theta = c * mu - high;
  const p99 = (tail: (t: number) => number): number => {
    let lo = 0;
    let hi = 10;
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (tail(mid) > 0.01) lo = mid;
      else hi = mid;
    }
    return hi * 1000;
  };
  const expected = p99((t) => (theta * Math.exp(-mu * t) - mu * Math.exp(-theta * t)) / (theta - mu));
  const alone = p99((t) => sojournTail(c, high, mu, t));
  const sc = scenarioOf({
    duration: '120s',
    warmup: '10s',
    roles: { llm: { count: 1, workers: c, service: { dist: 'exp', mean: `${1000 / mu}ms` } } },
    workload: [
      { pattern: 'poisson', to: 'llm', rate: `${high}/s`, class: 'high' },
      { pattern: 'poisson', to: 'llm', rate: `${low}/s`, class: 'low' },
    ],
  });
  const m = runScenario(sc, { seed: 1, config: { priority: { weights: { high: 100, low: 1 } }, buffer: { capacity: 100, policy: 'priority' } } });
  const h = m.classes!['high']!;
  const l = m.classes!['low']!;
  report('wfq 1.2x capacity', { highP99: h.latencyMs.p99, theory: expected, mmcAlone: alone, highDelivery: h.deliveryRatio, lowDelivery: l.deliveryRatio });
  assert.ok(Math.abs(h.latencyMs.p99 / expected - 1) < 0.05, `high p99 ${h.latencyMs.p99} ms vs ${expected} ms (seed 1)`);
  assert.ok(Math.abs(h.latencyMs.p99 / alone - 1) < 0.1, `high p99 ${h.latencyMs.p99} ms vs M/M/8 alone ${alone} ms (seed 1)`);
  assert.is(h.deliveryRatio, 1);
  assert.ok(Math.abs(l.deliveryRatio - (c * mu - high) / low) < 0.03, `low delivery ${l.deliveryRatio}, expected ${(c * mu - high) / low}`);
});

test.run();
