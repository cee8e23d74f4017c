import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Stream } from '../../sim/engine/rng.js';
import { latinHypercube } from '../../sim/study/strategies/random.js';
import { TpeSampler, gamma, defaultWeights, TruncatedGaussianMixture } from '../../sim/study/strategies/tpe.js';
import { bracketCost, bracketSize, promoted, SuccessiveHalving } from '../../sim/study/strategies/halving.js';
import { createStrategy, localDims } from '../../sim/study/strategies/index.js';
import { IncumbentSampler } from '../../sim/study/strategies/local.js';
import { decode } from '../../sim/study/codec.js';
import { BATCH } from '../../sim/study/strategies/single.js';
import type { Observation, StrategyContext } from '../../sim/study/strategies/types.js';
import { buildSpace } from '../../sim/study/space.js';
import { encode } from '../../sim/study/codec.js';
import { compareOutcomes, makeObjective } from '../../sim/study/objective.js';
import type { Outcome } from '../../sim/study/types.js';
import { scenarioOf } from '../helpers.js';

const outcome = (p99: number): Outcome => ({
  p99,
  p50: p99 / 2,
  meanLatency: p99 / 3,
  throughput: 100,
  deliveryRatio: 1,
  costPerDelivered: 0,
  costTotal: 0,
  costTokens: 0,
  generated: 1,
  delivered: 1,
  retries: 0,
  hedges: 0,
  breakerOpens: 0,
  utilization: {},
});

const obj = makeObjective('performance', { p99: null, deliveryRatio: null });
const rank = (a: Outcome | null, b: Outcome | null) => compareOutcomes(obj, a, b);

function context(): StrategyContext {
  const sc = scenarioOf({
    duration: '5s',
    roles: { api: { count: 2, service: 1 } },
    workload: [{ pattern: 'poisson', to: 'api', rate: 10 }],
    search: { only: ['timeout.perTry', 'routing.balancer', 'buffer.capacity'] },
  });
  const space = buildSpace(sc);
  return { space, rank, seed: 9, baseline: { point: encode(space, space.base), config: space.base } };
}

/** A made-up objective: p99 grows with the distance of the first coordinate from 0.2. */
const fake = (point: number[]): Outcome => outcome(10 + 100 * Math.abs((point[0] ?? 0) - 0.2));

test('a Latin hypercube puts one point in each stratum of every dimension', () => {
  const pts = latinHypercube(new Stream(1, 1), 10, 3);
  for (let j = 0; j < 3; j++) {
    const strata = pts.map((p) => Math.floor(p[j]! * 10)).sort((a, b) => a - b);
    assert.equal(strata, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  }
});

test("TPE's building blocks follow Optuna's defaults", () => {
  assert.equal([gamma(1), gamma(10), gamma(11), gamma(1000)], [1, 1, 2, 25]);
  assert.equal(defaultWeights(3), [1, 1, 1]);
  const w = defaultWeights(30);
  assert.is(w.length, 30);
  assert.ok(Math.abs(w[0]! - 1 / 30) < 1e-12 && w[3]! < 1 && w[4] === 1 && w[29] === 1);
  const m = TruncatedGaussianMixture.fit([0.2, 0.25], [1, 1], 1);
  // A density on [0, 1]: integrates to 1.
  let area = 0;
  for (let i = 0; i < 10000; i++) area += Math.exp(m.logPdf((i + 0.5) / 10000)) / 10000;
  assert.ok(Math.abs(area - 1) < 1e-3, `area ${area}`);
});

test('TPE is deterministic and concentrates where the good observations are', () => {
  const dims = [{ categorical: false as const }, { categorical: false as const }, { categorical: true as const, k: 4 }];
  const run = () => {
    const s = new TpeSampler(dims, rank, new Stream(3, 1));
    let cand = 0;
    for (let round = 0; round < 6; round++) {
      for (const p of s.sample(8)) s.observe({ candidate: cand++, point: p, active: [true, true, true], level: 0, outcome: fake(p) });
    }
    return s.sample(20);
  };
  const a = run();
  assert.equal(a, run());
  const meanDist = a.reduce((s, p) => s + Math.abs(p[0]! - 0.2), 0) / a.length;
  assert.ok(meanDist < 0.15, `TPE samples should sit near 0.2 (mean distance ${meanDist.toFixed(3)}; uniform gives ~0.34)`);
});

test('successive halving: brackets fit the budget, promote the best third, climb the ladder', () => {
  assert.is(promoted(27), 9);
  assert.is(promoted(2), 1);
  assert.is(bracketCost(27), 9 + 9 + 3 * 2);
  assert.is(bracketSize(24), 27);
  assert.is(bracketSize(3), 0);
  const ctx = context();
  const rng = new Stream(5, 5);
  const sh = new SuccessiveHalving('halving', ctx, { sample: (n) => latinHypercube(rng, n, ctx.space.dims.length), observe: () => {} });
  let remaining = 24;
  const rungs: Array<{ level: number; size: number; fraction: number; seeds: number }> = [];
  let prev: Observation[] = [];
  for (let i = 0; i < 3; i++) {
    const batch = sh.ask(remaining);
    rungs.push({ level: batch[0]!.fidelity.level, size: batch.length, fraction: batch[0]!.fidelity.fraction, seeds: batch[0]!.fidelity.seeds });
    if (i > 0) {
      const best = [...prev].sort((a, b) => rank(a.outcome, b.outcome)).slice(0, batch.length).map((o) => o.proposal.candidate);
      assert.equal(batch.map((p) => p.candidate).sort((a, b) => a - b), best.sort((a, b) => a - b), `rung ${i} promotes the best`);
    }
    prev = batch.map((p) => ({ proposal: p, outcome: fake(p.point) }));
    sh.tell(prev);
    remaining -= batch.length * batch[0]!.fidelity.fraction * (i === 2 ? 2 : batch[0]!.fidelity.seeds);
  }
  assert.equal(rungs, [
    { level: 0, size: 27, fraction: 1 / 3, seeds: 1 },
    { level: 1, size: 9, fraction: 1, seeds: 1 },
    { level: 2, size: 3, fraction: 1, seeds: 3 },
  ]);
  assert.equal(sh.ask(remaining), [], 'the budget is spent');
});

test('successive halving with intensification runs a first bracket even where the intensification\'s share leaves too little for one', () => {
  const ctx = context();
  const rng = new Stream(5, 5);
  // 4 units: a bracket of 3 costs 4, the quarter kept for the intensification would leave 3.
  const sh = new SuccessiveHalving('halving', ctx, { sample: (n) => latinHypercube(rng, n, ctx.space.dims.length), observe: () => {} }, true);
  const first = sh.ask(4);
  assert.is(first.length, bracketSize(4));
  assert.is(first[0]!.candidate, 0, 'the current configuration first');
});

test('successive halving with intensification: when the intensification has nothing to try, brackets spend what is left', () => {
  // Only choices to search (balancer, paths, codec, delivery guarantee: 6 × 3 × 4 × 3
  // configurations): no numeric knob, so the intensification has no move to make.
  const sc = scenarioOf({
    duration: '5s',
    roles: { api: { count: 2, service: 1 } },
    workload: [{ pattern: 'poisson', to: 'api', rate: 10 }],
    search: { only: ['routing.balancer', 'routing.path', 'compression.codec', 'delivery'] },
  });
  const space = buildSpace(sc);
  const ctx: StrategyContext = { space, rank, seed: 9, baseline: { point: encode(space, space.base), config: space.base } };
  const rng = new Stream(5, 6);
  const sh = new SuccessiveHalving('halving', ctx, { sample: (n) => latinHypercube(rng, n, space.dims.length), observe: () => {} }, true);
  const budget = 40;
  let remaining = budget;
  const levels: number[] = [];
  for (let guard = 0; guard < 50; guard++) {
    const batch = sh.ask(remaining);
    if (batch.length === 0) break;
    levels.push(...batch.map((p) => p.fidelity.level));
    // The top rung reuses the seed its candidate ran at full duration: two new runs.
    for (const p of batch) remaining -= p.fidelity.level === 2 ? 2 : p.fidelity.fraction * p.fidelity.seeds;
    sh.tell(batch.map((p) => ({ proposal: p, outcome: fake(p.point) })));
  }
  // Brackets of 27 (24 units) and 6 (6 units), the quarter kept for the intensification
  // (10 units): with nothing to intensify, a third bracket takes it rather than leaving it unspent.
  assert.ok(remaining < bracketCost(1), `${remaining} of ${budget} left unspent`);
  assert.is(levels.filter((l) => l === 0).length, 27 + 6 + bracketSize(10));
});

test('single-fidelity strategies propose fixed-size batches, the current configuration first', () => {
  const ctx = context();
  const s = createStrategy('tpe', ctx);
  const first = s.ask(100);
  assert.is(first.length, BATCH);
  assert.is(first[0]!.candidate, 0);
  assert.equal(first[0]!.config, ctx.space.base);
  s.tell(first.map((p) => ({ proposal: p, outcome: fake(p.point) })));
  assert.is(s.ask(7).length, 2, 'only what the budget pays for (3 runs each)');
});

/** Local search over a balancer and a hedge, from a configuration with neither set. */
function balancerAndHedge() {
  const sc = scenarioOf({
    duration: '5s',
    roles: { api: { count: 2, service: 1 } },
    workload: [{ pattern: 'poisson', to: 'api', rate: 10 }],
    search: { only: ['routing.balancer', 'hedge.after'] },
  });
  const space = buildSpace(sc);
  return { space, sampler: new IncumbentSampler(localDims(space), encode(space, space.base), rank, new Stream(1, 7)) };
}

test('local search screens every other choice, and a gate turned on at middle, eager and patient settings, one change of each before a second of any', () => {
  const { space, sampler } = balancerAndHedge();
  const configs = sampler.sample(8).map((p) => decode(space, p).config);
  // Breadth first: a first other balancer, the hedge switched on after 100 ms
  // (the middle of 1 ms–10 s on a log scale); a second balancer, the hedge
  // after 6.31 ms (its 20% point); a third balancer, the hedge after 1,585 ms
  // (its 80% point); then the last two balancers. The load-aware balancers
  // come first, the oblivious ones last.
  assert.equal(
    configs.map((c) => [c.routing?.balancer ?? 'round-robin', c.hedge?.after ?? null]),
    [
      ['least-request', null],
      ['round-robin', 100],
      ['peak-ewma', null],
      ['round-robin', 6.31],
      ['p2c', null],
      ['round-robin', 1585],
      ['consistent-hash', null],
      ['random', null],
    ],
  );
});

test("next to a measured incumbent in a new basin, local search screens its one-choice changes, a hedge at the incumbent's own p50, ~p90 and p99", () => {
  const { space, sampler } = balancerAndHedge();
  sampler.sample(8); // the screening of the current configuration
  const inc = encode(space, { routing: { balancer: 'least-request' } });
  sampler.observe({ candidate: 3, point: inc, active: decode(space, inc).active, level: 1, outcome: { ...outcome(900), p50: 100 } });
  const next = sampler.sample(8).map((p) => decode(space, p).config);
  // One change of each first (a balancer, the hedge at the incumbent's ~p90), then the rest in turn: the hedge at its p50, then at its p99.
  assert.equal(
    next.map((c) => [c.routing?.balancer, c.hedge?.after ?? null]),
    [
      ['peak-ewma', null],
      ['least-request', 300],
      ['p2c', null],
      ['least-request', 100],
      ['consistent-hash', null],
      ['least-request', 900],
      ['round-robin', null],
      ['random', null],
    ],
  );
});

test('a timeout is screened with retries too when nothing retries: alone, neither rescues a silently lost message', () => {
  const space = (config: Record<string, unknown>) =>
    buildSpace(
      scenarioOf({
        duration: '5s',
        roles: { api: { count: 2, service: 1 } },
        workload: [{ pattern: 'poisson', to: 'api', rate: 10 }],
        config,
        search: { only: ['timeout.perTry', 'retry.maxAttempts'] },
      }),
    );
  // The screening's first proposals: the only gate, switched on.
  const screen = (config: Record<string, unknown>, n: number) => {
    const sp = space(config);
    const sampler = new IncumbentSampler(localDims(sp), encode(sp, sp.base), rank, new Stream(1, 7));
    return sampler.sample(n).map((p) => decode(sp, p).config);
  };
  // Nothing retries: each timeout setting with three attempts first, then alone; the middle setting first.
  const single = screen({ retry: { maxAttempts: 1 } }, 6);
  assert.ok(single.every((c) => c.timeout?.perTry !== undefined));
  assert.equal(single.map((c) => c.retry?.maxAttempts ?? 1), [3, 1, 3, 1, 3, 1]);
  assert.equal(single.map((c) => c.timeout!.perTry), [547.7, 547.7, 49.59, 49.59, 6049, 6049]);
  // Retries already on: the timeout alone at its three settings, then the screening is over.
  const retrying = screen({ retry: { maxAttempts: 4 } }, 4);
  assert.equal(retrying.slice(0, 3).map((c) => [c.timeout?.perTry, c.retry?.maxAttempts]), [[547.7, 4], [49.59, 4], [6049, 4]]);
  assert.not.equal(retrying[3], { retry: { maxAttempts: 4 }, timeout: { perTry: 49.59 } }, 'no companion when retries are on');
});

test('local search screens a role\'s size at half and twice its count, in turn with the other changes', () => {
  const sc = scenarioOf({
    duration: '5s',
    roles: { api: { count: 8, workers: 4, service: 1, scale: { count: [1, 32] } } },
    workload: [{ pattern: 'poisson', to: 'api', rate: 10 }],
    search: { only: ['routing.balancer', 'resources.api.count'] },
  });
  const space = buildSpace(sc);
  const sampler = new IncumbentSampler(localDims(space), encode(space, space.base), rank, new Stream(1, 7));
  const configs = sampler.sample(4).map((p) => decode(space, p).config);
  // Breadth first: a balancer, half the replicas; a second balancer, twice them.
  assert.equal(
    configs.map((c) => [c.routing?.balancer ?? 'round-robin', c.resources?.api?.count ?? 8]),
    [
      ['least-request', 8],
      ['round-robin', 4],
      ['peak-ewma', 8],
      ['round-robin', 16],
    ],
  );
  // Half the replicas beat the incumbent: half again comes first.
  const eight = encode(space, space.base);
  const four = encode(space, { resources: { api: { count: 4 } } });
  sampler.observe({ candidate: 0, point: eight, active: decode(space, eight).active, level: 0, outcome: outcome(900) });
  sampler.observe({ candidate: 2, point: four, active: decode(space, four).active, level: 0, outcome: outcome(800) });
  assert.is(decode(space, sampler.sample(1)[0]!).config.resources?.api?.count, 2);
});

test('class weights switched on are screened one class ahead at a time, 100 : 1, not all at one weight', () => {
  const sc = scenarioOf({
    duration: '5s',
    roles: { api: { count: 2, service: 1 } },
    workload: [
      { pattern: 'poisson', to: 'api', rate: 10, class: 'gold' },
      { pattern: 'poisson', to: 'api', rate: 10, class: 'bulk' },
    ],
    search: { only: ['priority.weights'] },
  });
  const space = buildSpace(sc);
  const sampler = new IncumbentSampler(localDims(space), encode(space, space.base), rank, new Stream(1, 7));
  const weights = sampler.sample(2).map((p) => decode(space, p).config.priority?.weights);
  assert.equal(weights, [
    { gold: 100, bulk: 1 },
    { gold: 1, bulk: 100 },
  ]);
});

test('compass search: a step up and down each live knob, then half the step; a knob whose moves measure the same is dropped', () => {
  const sc = scenarioOf({
    duration: '5s',
    roles: { api: { count: 2, service: 1 } },
    workload: [{ pattern: 'poisson', to: 'api', rate: 10 }],
    config: { hedge: { after: 100 }, timeout: { perTry: 1000 } },
    search: { only: ['hedge.after', 'timeout.perTry'] },
  });
  const space = buildSpace(sc);
  const start = encode(space, space.base);
  const hedge = space.dims.findIndex((d) => d.name === 'hedge.after');
  const timeout = space.dims.findIndex((d) => d.name === 'timeout.perTry');
  const sampler = new IncumbentSampler(localDims(space), start, rank, new Stream(1, 7));
  const observe = (candidate: number, point: number[], p99: number) =>
    sampler.observe({ candidate, point, active: decode(space, point).active, level: 0, outcome: outcome(p99) });

  // Screening first: each mechanism switched off.
  const screened = sampler.sample(2).map((p) => decode(space, p).config);
  assert.ok(screened.some((c) => c.hedge === undefined) && screened.some((c) => c.timeout?.perTry === undefined));
  observe(0, start, 100);

  // Round 1: ±0.1 on both live knobs (in a seeded order), nothing else changed.
  const moved = (p: number[]) => p.map((u, j) => u - start[j]!).map((d, j) => [j, Math.round(d * 1000) / 1000] as const).filter(([, d]) => d !== 0);
  const round1 = sampler.sample(4);
  assert.equal(
    round1.map(moved).map((m) => JSON.stringify(m)).sort(),
    [[[hedge, 0.1]], [[hedge, -0.1]], [[timeout, 0.1]], [[timeout, -0.1]]].map((m) => JSON.stringify(m)).sort(),
  );
  // The timeout's two moves measure exactly the same; the hedge's differ and do not win.
  round1.forEach((p, i) => observe(1 + i, p, moved(p)[0]![0] === timeout ? 120 : 130 + i));
  sampler.sample(1); // the round is spent: one random change goes through
  const round2 = sampler.sample(2).map(moved);
  assert.equal(
    round2.map((m) => JSON.stringify(m)).sort(),
    [[[hedge, 0.05]], [[hedge, -0.05]]].map((m) => JSON.stringify(m)).sort(),
    'half the step, and the timeout left out',
  );
});

test.run();
