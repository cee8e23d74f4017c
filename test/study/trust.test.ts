/**
 * Studies whose advice can be followed: on meshes shaped like the cases that
 * once produced broken recommendations (a simplification that threw away
 * what the search found, a verdict that adopted a configuration worse on the
 * objective), in every mode, the verdict is consistent with what the fresh
 * seeds show.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { loadScenario } from '../../sim/scenario/index.js';
import { PiscinaRunner } from '../../sim/runner/piscina-runner.js';
import { runStudy, type StudyResult } from '../../sim/study/study.js';
import { DEFAULT_STRATEGY } from '../../sim/study/strategies/index.js';
import type { Mode } from '../../sim/study/types.js';
import { root } from './helpers.js';

const trust = (name: string): string => path.join(root, 'test/fixtures/trust', name);
const edge = trust('edge-api-db-small.yaml');
const llm = trust('llm-retry-pool-small.yaml');

const runner = new PiscinaRunner(2);
const results = new Map<string, StudyResult>();
async function study(file: string, mode: Mode, budget = 30): Promise<StudyResult> {
  const key = `${file}|${mode}|${budget}`;
  let r = results.get(key);
  if (r === undefined) {
    r = await runStudy(loadScenario(file), { scenarioPath: file, mode, budget, seed: 1, strategy: DEFAULT_STRATEGY, confirmReplications: 10, evidence: false }, runner);
    results.set(key, r);
  }
  return r;
}

/** What every verdict must respect, whatever the mesh and the mode. */
function assertConsistent(r: StudyResult): void {
  const c = r.confirmation;
  assert.ok(c !== null, 'the confirmation ran');
  if (c === null) return;
  const main = c.improvements.find((i) => i.metric === r.objective.primary)!;
  if (r.recommendation.action === 'adopt') {
    assert.ok(main.verdict !== 'worse' || (!c.currentFeasible && c.winnerFeasible), 'never adopt next to "significantly worse", unless it meets SLOs the current one misses');
    assert.ok(c.winnerFeasible || !c.currentFeasible, 'never adopt a winner that misses an SLO the current configuration meets');
  }
  const recommendedMeets = r.recommendation.action === 'adopt' ? c.winnerFeasible : c.currentFeasible;
  assert.is(r.recommendation.shortfall === null, recommendedMeets, 'a recommendation that misses an SLO always says so');
  // ... and that the search saw a sample: a larger budget may find one that meets them.
  const hint = r.recommendation.reasons.some((x) => /may be among those it did not try; a larger --budget looks for it/.test(x));
  assert.is(hint, r.recommendation.shortfall !== null, 'a shortfall names the budget as a limit of the search');
  // The simplification spends what the search left: its reserve (a fifth at most), more only when the search ended early.
  assert.ok(r.phases.simplify <= Math.max(r.budget / 5, r.budget - r.phases.search) + 1e-9, `simplification spent ${r.phases.simplify} of ${r.budget}`);
  assert.ok(r.phases.search + r.phases.simplify <= r.budget + 1e-9);
}

test('cost mode on an LLM pool that retries on a tight timeout: the study drops the timeout and says so', async () => {
  const r = await study(llm, 'cost');
  assertConsistent(r);
  assert.is(r.recommendation.action, 'adopt');
  assert.is(r.recommendation.config.timeout?.perTry, undefined, 'the recommended configuration has no per-try timeout');
  const c = r.confirmation!;
  assert.ok(c.winnerFeasible, 'it meets the SLOs on fresh seeds');
  // A per-try timeout at the mean of a lognormal call (cv 0.8) gives up 36% of
  // the tries, each a fresh draw: about 1.56 tries a request, each paying its
  // tokens. Without the timeout, one: the cost per delivered message falls by
  // about that factor (more than 1.4 here).
  assert.ok(c.winner.costPerDelivered < c.current.costPerDelivered / 1.4, `cost per delivered message ${c.winner.costPerDelivered} against ${c.current.costPerDelivered}`);
});

for (const mode of ['performance', 'reliability', 'cost'] as const) {
  for (const [name, file] of [['edge → api → db', edge], ['LLM pool', llm]] as const) {
    test(`${mode} mode on the ${name} mesh: the verdict agrees with the fresh seeds`, async () => {
      assertConsistent(await study(file, mode));
    });
  }
}

test('performance mode on the edge → api → db mesh: the recommendation cuts p99 and holds it on fresh seeds', async () => {
  const r = await study(edge, 'performance', 60);
  assertConsistent(r);
  const c = r.confirmation!;
  assert.is(r.recommendation.action, 'adopt');
  assert.ok(c.winner.p99 < c.current.p99 / 3, `p99 ${c.winner.p99} against ${c.current.p99}`);
  assert.ok(c.winner.p99 <= 2000, 'within the p99 SLO on fresh seeds');
});

test.after(async () => {
  await runner.close();
});

test.run();
