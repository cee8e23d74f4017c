import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeObjective, nonInferior, compareOutcomes, searchObjective } from '../../sim/study/objective.js';
import { mechanismGroups, simplifyWinner, type SimplifyContext } from '../../sim/study/simplify.js';
import { configChanges } from '../../sim/study/config-paths.js';
import type { MeshConfig } from '../../sim/scenario/types.js';
import type { EvaluationRecord, Fidelity, Outcome } from '../../sim/study/types.js';
import { measured } from './fakes.js';

const FULL: Fidelity = { level: 2, fraction: 1, seeds: 3 };
const SCREEN: Fidelity = { level: 0, fraction: 1 / 3, seeds: 1 };

/**
 * The cost-mode case: an LLM pool whose current configuration retries hard
 * on a per-try timeout as long as the mean call. Dropping the timeout is
 * what matters (a seventh of the cost, every message delivered); the search
 * also changed the retry backoff (nothing retries without a timeout), the
 * compression (a hair cheaper on one seed only) and the balancer (no effect).
 */
const base: MeshConfig = { routing: { balancer: 'round-robin' }, timeout: { perTry: 2500 }, retry: { maxAttempts: 5, base: 100, cap: 2000, jitter: 'none' } };
const found: MeshConfig = {
  routing: { balancer: 'p2c' },
  retry: { maxAttempts: 5, base: 250, cap: 9000, jitter: 'full' },
  compression: { codec: 'gzip', minBytes: 512 },
};

function world(config: MeshConfig, seeds: number): Array<Partial<Outcome>> {
  const timeout = config.timeout?.perTry !== undefined;
  return Array.from({ length: seeds }, (_, s) => ({
    costPerDelivered: (timeout ? 0.055 : 0.0074) * (1 + 0.01 * s),
    deliveryRatio: timeout ? 0.4 + 0.02 * s : 1,
    p99: timeout ? 13_700 : 10_000 + 300 * s,
  }));
}

function harness(budget: number, evaluate: (c: MeshConfig, seeds: number) => Array<Partial<Outcome>> = world) {
  const obj = searchObjective(makeObjective('cost', { p99: 30_000, deliveryRatio: 0.99 }));
  const runs: Array<{ config: MeshConfig; fidelity: Fidelity }> = [];
  const record = (config: MeshConfig, f: Fidelity): EvaluationRecord => {
    const m = measured(evaluate(config, f.seeds));
    return { key: '', phase: 'simplify', seq: 0, candidate: 1, level: f.level, fraction: f.fraction, seeds: [1, 2, 3].slice(0, f.seeds), point: null, config, status: 'ok', error: null, outcome: m.outcome, perSeed: m.perSeed, cost: f.fraction * f.seeds, wallMs: 0 };
  };
  const ctx: SimplifyContext = {
    base,
    full: FULL,
    screen: SCREEN,
    budget,
    evaluate: (config, f) => {
      runs.push({ config, fidelity: f });
      return { cost: f.fraction * f.seeds, record: Promise.resolve(record(config, f)) };
    },
    rank: (a, b) => compareOutcomes(obj, a, b),
    acceptable: (a, b) => nonInferior(obj, a, b),
  };
  return { ctx, runs, best: record(found, FULL) };
}

test('changes are grouped by mechanism; routing and timeout knobs stand alone', () => {
  const groups = mechanismGroups(configChanges(base, found)).map((g) => g.map((c) => c.path));
  assert.equal(groups, [['compression'], ['retry.base', 'retry.cap', 'retry.jitter'], ['routing.balancer'], ['timeout']]);
});

test('the cost case: what matters (dropping the timeout) stays, what does not is put back', async () => {
  const { ctx, best, runs } = harness(20);
  const s = await simplifyWinner(best, ctx);
  assert.equal(configChanges(base, s.config).map((c) => c.path), ['timeout']);
  assert.is(s.config.timeout, undefined, 'the timeout stays off');
  assert.equal(s.untested, []);
  assert.ok(s.outcome.deliveryRatio === 1);
  // Screening at a third of a run each (the winner's own cheap run included), all reversions at
  // once there, then one full check of them.
  assert.is(runs.filter((r) => r.fidelity === SCREEN).length, 6);
  assert.is(runs.filter((r) => r.fidelity === FULL).length, 1);
  assert.ok(Math.abs(s.spent - (6 / 3 + 3)) < 1e-9);
});

test('a change that helps on one seed only is kept when its removal is not shown harmless', async () => {
  // Compression makes one seed 5% cheaper: putting it back is worse there.
  const { ctx, best } = harness(20, (c, seeds) =>
    world(c, seeds).map((o, s) => ({ ...o, costPerDelivered: o.costPerDelivered! * (s === 2 && c.compression === undefined ? 1.05 : 1) })),
  );
  const s = await simplifyWinner(best, ctx);
  assert.equal(configChanges(base, s.config).map((c) => c.path), ['compression', 'timeout']);
});

/** Each reversion alone is harmless; the balancer and the retry policy put back together lose 10% on the seeds `harmed` picks. */
const coverEachOther = (harmed: (seed: number) => boolean) => (c: MeshConfig, seeds: number) =>
  world(c, seeds).map((o, s) => ({ ...o, costPerDelivered: o.costPerDelivered! * (harmed(s) && c.routing?.balancer === 'round-robin' && c.retry?.base === 100 ? 1.1 : 1) }));

test('greedy elimination on the cheap fidelity when the harmless reversions are not harmless together there', async () => {
  const { ctx, best, runs } = harness(20, coverEachOther(() => true));
  const s = await simplifyWinner(best, ctx);
  const kept = configChanges(base, s.config).map((c) => c.path);
  assert.ok(kept.includes('timeout'));
  assert.ok(kept.includes('routing.balancer') !== kept.some((p) => p.startsWith('retry.')), 'exactly one of the two stays');
  assert.not.ok(kept.includes('compression'), 'the inert change goes back');
  assert.equal(s.untested, []);
  // The pairs are sorted out at a third of a run each; the winner's fidelity checks the result once.
  assert.is(runs.filter((r) => r.fidelity === FULL).length, 1);
  assert.is(runs.filter((r) => r.fidelity === SCREEN).length, 5 + 1 + 2);
});

test('greedy elimination at the full fidelity when only seeds the cheap one does not run show the harm', async () => {
  const { ctx, best, runs } = harness(20, coverEachOther((seed) => seed > 0));
  const s = await simplifyWinner(best, ctx);
  const kept = configChanges(base, s.config).map((c) => c.path);
  assert.ok(kept.includes('timeout'));
  assert.ok(kept.includes('routing.balancer') !== kept.some((p) => p.startsWith('retry.')), 'exactly one of the two stays');
  assert.ok(runs.filter((r) => r.fidelity === FULL).length >= 2);
});

test('a budget that runs out on the cheap greedy pass keeps the groups it did not reach, listed as unconfirmed', async () => {
  // Screening (5 runs), all together (1) and one greedy step (1) on the cheap fidelity, and the full check: 7/3 + 3.
  const { ctx, best } = harness(7 / 3 + 3, coverEachOther(() => true));
  const s = await simplifyWinner(best, ctx);
  assert.ok(s.spent <= 7 / 3 + 3 + 1e-9);
  assert.ok(s.untested.length > 0);
  assert.equal(s.unconfirmed, s.untested);
  const kept = configChanges(base, s.config).map((c) => c.path);
  for (const ch of s.untested) assert.ok(kept.includes(ch.path), `${ch.path} stays while untested`);
});

test('the budget bounds the simplification; what it could not test is kept and listed', async () => {
  // Room for the winner's cheap run and two screenings only.
  const { ctx, best } = harness(1.05);
  const s = await simplifyWinner(best, ctx);
  assert.ok(s.spent <= 1.05 + 1e-9);
  assert.equal(s.config, found, 'nothing shown harmless at the full fidelity: the winner stands');
  assert.equal(s.untested.map((c) => c.path).sort(), configChanges(base, found).map((c) => c.path).sort());
  const none = await simplifyWinner(best, harness(0).ctx);
  assert.is(none.spent, 0);
  assert.equal(none.config, found);
});

test('a retry budget the winner retries under stays, untested: a few seeds cannot show a retry storm away', async () => {
  // Every configuration measures the same here: without the rule, the budget would be put back as harmless.
  const flat = (_c: MeshConfig, seeds: number): Array<Partial<Outcome>> => Array.from({ length: seeds }, () => ({ costPerDelivered: 0.01, deliveryRatio: 1, p99: 1000 }));
  const h = harness(30, flat);
  const insured: MeshConfig = { ...found, retry: { ...found.retry, budget: 0.1 } };
  const s = await simplifyWinner({ ...h.best, config: insured }, h.ctx);
  assert.is(s.config.retry?.budget, 0.1, 'the budget stays');
  assert.ok(h.runs.every((r) => r.config.retry?.budget === 0.1), 'no run without it');
  assert.not.ok(s.untested.some((c) => c.path.startsWith('retry')), 'not listed as untested for want of budget either');
  // The other harmless changes still go back.
  assert.is(s.config.routing?.balancer, 'round-robin');
});

test.run();
