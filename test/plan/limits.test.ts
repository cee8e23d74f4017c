import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { plan } from '../../sim/api.js';
import { estimateWork } from '../../sim/estimate/index.js';
import { scaleLoad } from '../../sim/runner/load.js';
import { scenarioOf } from '../helpers.js';

// A plan holds its runs to the run limits (SPEC §6.1): a load or a replica
// count whose runs are beyond them is not run, and the search stops there
// with a note instead of the plan failing or a run outgrowing the machine.

/** M/M/1, μ = 200/s, 50/s today, p99 ≤ 200 ms: theory puts the limit at ×3.54, so the search probes ×1, ×2 and ×4. */
const doc = {
  duration: '30s',
  warmup: '1s',
  seed: 3,
  roles: { server: { count: 1, service: { dist: 'exp', mean: '5ms' } } },
  workload: [{ pattern: 'poisson', to: 'server', rate: '50/s' }],
  slo: { p99: '200ms' },
};

test('a load plan whose ×4 runs would pass --max-events stops there with a note and answers from the loads below', async () => {
  const sc = scenarioOf(doc);
  const events = (x: number): number => estimateWork(scaleLoad(sc, x), sc.config).events.value;
  const maxEvents = Math.round(Math.sqrt(events(2) * events(4)));
  const free = await plan(doc, { levers: false });
  assert.ok(free.probes.some((p) => p.x === 4), 'without the limit the search probes ×4');
  const r = await plan(doc, { levers: false, limits: { maxEvents } });
  assert.not.ok(r.probes.some((p) => p.x >= 4), 'nothing at ×4 or above was run');
  assert.equal(r.interval, [2, null]);
  assert.ok(r.notes.some((n) => /^×4 today's load is beyond the run limits, so the search stopped there \(.*--max-events\)$/.test(n)), r.notes.join(' | '));
  assert.is(r.runs, r.probes.reduce((s, p) => s + p.replications.length, 0), 'refused runs cost nothing');
});

test('a role plan whose next count would pass --max-agents stops with a note, not an error', async () => {
  const heavy = { ...doc, workload: [{ pattern: 'poisson', to: 'server', rate: '600/s' }] };
  const free = await plan(heavy, { role: 'server', levers: false });
  assert.ok(free.answer !== null && free.answer > 3, `${free.answer} replicas needed`);
  const r = await plan(heavy, { role: 'server', levers: false, limits: { maxAgents: 3 } });
  assert.is(r.answer, null);
  assert.ok(r.probes.every((p) => p.x <= 3));
  assert.ok(r.notes.some((n) => /replicas of server is beyond the run limits, so the search stopped there \(.*over the limit of 3; lower it, or raise the limit with --max-agents\)/.test(n)), r.notes.join(' | '));
});

test.run();
