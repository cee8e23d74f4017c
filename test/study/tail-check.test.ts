/**
 * The tail check (confirm.ts TAIL_REPLICATIONS): a verdict that a
 * configuration meets the SLOs, made on the confirmation's first seeds, is
 * judged again on more fresh seeds, so that a configuration that collapses on
 * a few seeds in ten is not recommended as meeting them.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadScenario } from '../../sim/scenario/index.js';
import { runStudy, type StudyResult } from '../../sim/study/study.js';
import { CONFIRM_OFFSET } from '../../sim/study/seeds.js';
import type { Runner } from '../../sim/runner/runner.js';
import type { RunResult, RunTask } from '../../sim/study/types.js';
import { removeTemporary } from '../helpers.js';
import { InlineRunner, scenarioFile } from './helpers.js';

test.after(removeTemporary);

const SEED = 3;
const FIRST = 10;

// An API that fails 3% of its services: without retries it misses the 99% delivery SLO, with them it meets it.
const doc = {
    name: 'tail-check',
    duration: '4s',
    warmup: '500ms',
    seed: SEED,
    roles: { api: { count: 2, workers: 4, service: { dist: 'exp', mean: '5ms' }, errors: 0.03 } },
    links: { latency: { dist: 'exp', mean: '0.5ms' }, bandwidth: '1GB/s' },
    workload: [{ pattern: 'poisson', to: 'api', rate: '150/s', size: '1KB', reply: { size: '1KB' } }],
    slo: { p99: '250ms', deliveryRatio: 0.99 },
    config: {},
};
const baseConfig = JSON.stringify({});

/**
 * Simulates as the worker does, but every configuration other than the
 * scenario's own collapses on one confirmation seed past the first ten (its
 * delivery ratio halved): a rare collapse the first seeds cannot show.
 */
class CollapsingRunner implements Runner {
  readonly workers = 1;
  private readonly inner = new InlineRunner();
  tailRuns = 0;
  /** `only`: the one configuration that collapses (JSON); absent, every one but the scenario's own. */
  constructor(private readonly only?: string) {}
  async run(task: RunTask): Promise<RunResult> {
    const r = await this.inner.run(task);
    const index = task.seed - SEED - CONFIRM_OFFSET;
    if (index >= FIRST) this.tailRuns += 1;
    const config = JSON.stringify(task.config);
    const collapses = this.only === undefined ? config !== baseConfig : config === this.only;
    if (r.ok && index === FIRST + 7 && collapses) r.metrics.deliveryRatio /= 2;
    return r;
  }
  async close(): Promise<void> {}
}

async function study(runner: Runner, tail: number, slo: Record<string, unknown> = {}, budget = 8): Promise<StudyResult> {
  // Written here, not on import: another test file's cleanup would remove it before these run.
  const file = scenarioFile({ ...doc, slo: { ...doc.slo, ...slo } }, 'tail-check');
  return runStudy(loadScenario(file), { scenarioPath: file, mode: 'reliability', budget, seed: SEED, strategy: 'halving', confirmReplications: FIRST, tailReplications: tail, evidence: false }, runner);
}

test('without the tail check the collapse stays unseen: the winner is adopted as meeting the SLOs on ten seeds', async () => {
  const runner = new CollapsingRunner();
  const r = await study(runner, 0);
  const c = r.confirmation!;
  assert.is(c.seeds.length, FIRST);
  assert.is(runner.tailRuns, 0);
  assert.is(r.recommendation.action, 'adopt');
  assert.ok(c.winnerFeasible, 'on the first ten seeds the winner meets the SLOs');
  assert.not.ok(c.currentFeasible, 'the current configuration, without retries, does not');
  assert.is(r.recommendation.shortfall, null);
});

test('with it, the winner that collapses on a seed past the first ten is not recommended as meeting the SLOs', async () => {
  const runner = new CollapsingRunner();
  const r = await study(runner, 20);
  const c = r.confirmation!;
  assert.is(c.seeds.length, FIRST + 20, 'judged on the thirty seeds');
  assert.equal(r.seeds.confirm, c.seeds);
  assert.ok(runner.tailRuns > 0);
  assert.not.ok(c.winnerFeasible, 'the collapse moves the mean past the bound');
  assert.ok(c.winner.worstDeliveryRatio! < 0.6, `the worst seed is the collapse: ${c.winner.worstDeliveryRatio}`);
  assert.ok(c.current.worstDeliveryRatio! > 0.9, 'the current configuration does not collapse');
  assert.ok(r.recommendation.shortfall !== null, 'the recommendation says no configuration meets the SLOs');
  assert.match(r.recommendation.reasons.join('\n'), /met the SLOs on the first 10 fresh seeds and misses them on all 30: some seeds collapse/);
});

test("when only the search's best collapses, a runner-up that holds on every seed stands in for it, and the reasons say why", async () => {
  // A budget that leaves runners-up at the top rung.
  const unseen = await study(new CollapsingRunner(), 0, {}, 30);
  const best = JSON.stringify(unseen.recommendation.config);
  const r = await study(new CollapsingRunner(best), 20, {}, 30);
  const c = r.confirmation!;
  assert.is(c.seeds.length, FIRST + 20);
  assert.ok(c.winnerFeasible, 'the runner-up meets the SLOs on all thirty seeds');
  assert.is(r.recommendation.action, 'adopt');
  assert.is.not(JSON.stringify(r.recommendation.config), best);
  assert.ok(r.winner!.rank > 1);
  assert.match(
    r.recommendation.reasons[0]!,
    /^the search's best candidate missed an SLO on the fresh seeds \(it met them on the first 10 and not on all 30: its worst seed, delivery ratio \d+(\.\d+)?%, p99 \d+ ms\); its runner-up \(rank \d+ of the search\) meets them and stands in for it$/,
  );
});

test('a verdict that holds on the added seeds says so, with every figure over all of them', async () => {
  const r = await study(new InlineRunner(), 20);
  const c = r.confirmation!;
  assert.is(c.seeds.length, FIRST + 20);
  assert.ok(c.winnerFeasible);
  assert.is(r.recommendation.action, 'adopt');
  assert.match(r.recommendation.reasons.join('\n'), /the SLO verdict holds on 20 more fresh seeds \(30 in all\)/);
  for (const imp of c.improvements) assert.ok(Number.isFinite(imp.diff), `${imp.metric}: paired over the thirty seeds`);
});

test('when no configuration meets the SLOs on the first seeds, none is added', async () => {
  const runner = new CollapsingRunner();
  const r = await study(runner, 20, { p99: '1ms' });
  const c = r.confirmation!;
  assert.not.ok(c.winnerFeasible || c.currentFeasible);
  assert.is(c.seeds.length, FIRST);
  assert.is(runner.tailRuns, 0);
});

test.run();
