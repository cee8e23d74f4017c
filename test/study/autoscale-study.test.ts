import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadScenario } from '../../sim/scenario/index.js';
import { runStudy, type StudyResult } from '../../sim/study/study.js';
import { removeTemporary } from '../helpers.js';
import { InlineRunner, scenarioFile } from './helpers.js';

// A cost study of an autoscaled role: the autoscaler's own settings are what
// decide its replica-hours, and the study now searches them.

test.after(removeTemporary);

const AUTOSCALER = ['autoscale.server.target', 'autoscale.server.min', 'autoscale.server.max', 'autoscale.server.downWindow'];

/**
 * A load that steps from 40/s to 80/s halfway through a 2-minute run, on
 * servers of one slot and 50 ms mean service (2 then 4 busy replicas on
 * average). The configured autoscaler aims at 20% busy: it runs about five
 * times the replicas the work needs, well inside a p99 SLO of 1 s. Only
 * replica time is priced (one per replica-hour), so cost is replica-hours.
 */
const doc = (only: string[]) => ({
  duration: '120s',
  warmup: '10s',
  roles: { server: { count: 4, workers: 1, service: { dist: 'exp', mean: '50ms' } } },
  workload: [
    { pattern: 'poisson', to: 'server', rate: '40/s', stop: '60s' },
    { pattern: 'poisson', to: 'server', rate: '80/s', start: '60s' },
  ],
  slo: { p99: '1s', deliveryRatio: 0.999 },
  cost: { perAgentHour: 1 },
  config: {
    routing: { balancer: 'least-request' },
    autoscale: { server: { target: 0.2, min: 2, max: 24, period: '5s', provisioning: '5s', downWindow: '20s' } },
  },
  search: { only },
});

async function study(only: string[], name: string): Promise<StudyResult> {
  const file = scenarioFile(doc(only), name);
  return runStudy(loadScenario(file), { scenarioPath: file, mode: 'cost', budget: 20, seed: 1, strategy: 'halving', confirmReplications: 5, evidence: false }, new InlineRunner());
}

test('a cost study finds an autoscaler that meets the p99 SLO on fresh seeds at fewer replica-hours than a wasteful one', async () => {
  const r = await study(AUTOSCALER, 'wasteful-autoscaler');
  assert.equal(r.space.dims.map((d) => d.name), AUTOSCALER);
  assert.is(r.recommendation.action, 'adopt', r.recommendation.reasons.join('; '));
  const c = r.confirmation!;
  assert.ok(c.winnerFeasible, 'the winner meets the SLOs on the fresh seeds');
  assert.ok(c.winner.p99 <= 1000 && c.winner.deliveryRatio >= 0.999, `p99 ${c.winner.p99} ms, delivery ${c.winner.deliveryRatio}`);
  // Only replicas are priced, one per hour: cost is replica-hours, means over the fresh seeds.
  assert.ok(c.winner.costTotal < 0.8 * c.current.costTotal, `${c.winner.costTotal} vs ${c.current.costTotal} replica-hours`);
  const changed = r.winner!.changes.map((ch) => ch.path);
  assert.ok(changed.length > 0 && changed.every((p) => p.startsWith('autoscale.server.')), changed.join(', '));
  const a = r.recommendation.config.autoscale!['server']!;
  assert.ok(a.min! <= a.max, 'a valid autoscaler');
});

test('without the autoscaler in the space, the same study has nothing to offer', async () => {
  const r = await study(['routing.balancer'], 'autoscaler-not-searched');
  assert.is(r.recommendation.action, 'keep-current');
  assert.equal(r.recommendation.config, r.current.config);
  assert.is(r.current.config.autoscale!['server']!.target, 0.2);
});

test.run();
