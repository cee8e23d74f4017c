import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadScenario } from '../../sim/scenario/index.js';
import { renderStudyReport } from '../../sim/report/study-report.js';
import { runStudy } from '../../sim/study/study.js';
import { InlineRunner } from './helpers.js';

/**
 * A cost study of the over-provisioned library swarm right-sizes its LLM
 * workers: on fresh seeds, a cost per delivered message at least 40% lower,
 * both configurations meeting the SLOs. scripts/prove-scaling.ts measures the
 * same at the default budget (results/scaling/proofs.json); this is a
 * smaller study on 5 confirmation seeds.
 */
test('a cost study cuts cost per delivered message by 40% or more at equal SLOs', async () => {
  const sc = loadScenario('overprovisioned-swarm');
  const result = await runStudy(sc, { scenarioPath: sc.file, mode: 'cost', budget: 30, seed: 2, strategy: 'halving', confirmReplications: 5 }, new InlineRunner());
  const c = result.confirmation!;
  assert.ok(c.currentFeasible && c.winnerFeasible, 'both meet the SLOs on the fresh seeds');
  const cost = c.improvements.find((i) => i.metric === 'costPerDelivered')!;
  // The least saving the interval allows.
  const saving = -cost.ci95[1] / cost.current;
  assert.ok(saving >= 0.4, `saving at least ${saving}; winner ${JSON.stringify(result.winner?.config)}`);
  assert.is(result.recommendation.action, 'adopt');
  // The report's capacity advice speaks of the winner's replicas and slots, not the scenario's.
  const md = renderStudyReport({ id: 'overprovisioned', result, versions: { node: 'test', meshtune: 'test' } });
  const res = result.winner!.config.resources!['worker']!;
  assert.not.match(md, /today 60, 2 slots each/);
  if (md.includes('Add replicas of **worker**')) assert.ok(md.includes(`today ${res.count}, ${res.workers} slots each`), md);
});

test.run();
