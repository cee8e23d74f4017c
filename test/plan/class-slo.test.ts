import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { plan, type PlanResult } from '../../sim/plan/index.js';
import { p99Text, planText } from '../../sim/report/plan-text.js';
import { scenarioOf } from '../helpers.js';

// A plan holds the class SLOs (slo.classes) as it holds the global ones: a
// load or a replica count meets the SLOs only when every class meets its
// own, and the plan says which class binds.

/**
 * An M/M/1 queue (μ = 200/s, exponential 5 ms service) fed 25/s of class
 * gold and 25/s of class bronze, served first come, first served: every
 * message's time in system is exponential with rate μ − λ, whichever its
 * class, so its p99 is ln(100)/(μ − λ). The global p99 bound of 200 ms holds
 * up to λ = 200 − ln(100)/0.2 = 177.0/s (×3.54 today's 50/s); gold's own
 * bound of 50 ms only up to λ = 200 − ln(100)/0.05 = 107.9/s (×2.16).
 */
function twoClasses(classes: Record<string, unknown> | null) {
  return scenarioOf({
    duration: '60s',
    warmup: '2s',
    seed: 17,
    roles: { server: { count: 1, service: { dist: 'exp', mean: '5ms' } } },
    workload: [
      { pattern: 'poisson', to: 'server', rate: '25/s', class: 'gold' },
      { pattern: 'poisson', to: 'server', rate: '25/s', class: 'bronze' },
    ],
    slo: { p99: '200ms', ...(classes !== null ? { classes } : {}) },
  });
}

const mm1Limit = (p99Ms: number): number => (200 - Math.log(100) / (p99Ms / 1000)) / 50;
const effort = { precision: 0.05, budgetRuns: 200 };

function brackets(r: PlanResult, limit: number): void {
  const [low, high] = r.interval;
  assert.ok(low !== null && high !== null, `interval [${low}, ${high}]`);
  // The closed form within the interval, give or take the histogram's and the runs' noise (5%).
  assert.ok(low! <= limit * 1.05 && limit <= high! * 1.05, `[${low}, ${high}] misses the closed-form ×${limit.toFixed(3)}`);
}

test('the global SLO alone: the load limit is where the p99 of all messages reaches 200 ms (×3.54)', async () => {
  const r = await plan(twoClasses(null), { levers: false, effort });
  brackets(r, mm1Limit(200));
  assert.equal(r.binding, [{ class: null, slo: 'p99' }]);
  assert.not.ok(r.notes.some((n) => /class/.test(n)));
});

test("a class's p99 bound tighter than the global one decides the load limit (×2.16), and the plan says the class binds", async () => {
  const r = await plan(twoClasses({ gold: { p99: '50ms' } }), { levers: false, effort });
  brackets(r, mm1Limit(50));
  assert.ok(r.interval[1]! < mm1Limit(200) * 0.8, `the class bound, not the global one, ends the interval at ×${r.interval[1]}`);
  const top = r.probes.find((p) => p.x === r.interval[1])!;
  assert.is(top.verdict, 'breaks');
  assert.equal(top.breaks, [], 'the global SLO holds where gold breaks');
  assert.equal(top.classes!['gold']!.breaks, ['p99']);
  assert.ok(top.classes!['gold']!.p99Ci![0] > 50, 'shown above the bound');
  const low = r.probes.find((p) => p.x === r.interval[0])!;
  assert.is(low.verdict, 'meets');
  assert.ok(low.classes!['gold']!.p99Ci![1] <= 50, 'gold shown within its bound where the plan meets');
  assert.equal(r.binding, [{ class: 'gold', slo: 'p99' }]);
  const text = planText('two-classes', r, { p99Ms: 200, deliveryRatio: null, classes: { gold: { p99Ms: 50, deliveryRatio: null } } });
  assert.match(text, /class gold p99 ≤ 50 ms/);
  // The probe table shows the class's own p99 and delivery beside the global ones, row by row.
  const lines = text.split('\n');
  const head = lines.findIndex((l) => l.startsWith('| load |'));
  assert.match(lines[head]!, /\| delivery \| class gold p99 \| class gold delivery \| busiest role \|/);
  const topRow = lines.slice(head + 2).find((l) => l.startsWith(`| ×${top.x} `) || l.startsWith(`| ×${Number(top.x.toPrecision(3))} `));
  assert.ok(topRow !== undefined, text);
  assert.is(topRow.split('|').length, lines[head]!.split('|').length);
  assert.ok(topRow.includes(`| ${p99Text(top.classes!['gold']!)} |`), topRow);
  assert.match(text, /Note: class gold's p99 SLO \(≤ 50 ms; [\d.]+ ms there\) binds: shown broken at ×[\d.]+, where the global SLOs are not\./);
});

test('a class SLO alone is an SLO to plan for; a class that keeps its bound everywhere tried changes nothing', async () => {
  const only = await plan({ ...twoClasses({ gold: { p99: '50ms' } }), slo: { p99: null, deliveryRatio: null, classes: { gold: { p99: 50, deliveryRatio: null } } } }, { levers: false, effort });
  brackets(only, mm1Limit(50));
  // Bronze's bound of 10 s never binds before the global 200 ms does.
  const loose = await plan(twoClasses({ bronze: { p99: '10s' } }), { levers: false, effort });
  const global = await plan(twoClasses(null), { levers: false, effort });
  assert.equal(loose.interval, global.interval);
  assert.equal(loose.binding, [{ class: null, slo: 'p99' }]);
});

test('a replica count meets only when every class does: a class delivery bound asks for more replicas than the global one', async () => {
  // Two replicas of 50/s each behind round-robin, bronze three times gold's
  // rate; weights 9:1 keep gold fast and leave bronze the backlog, which
  // bounded buffers turn into losses. The global delivery bound of 90% is
  // met with fewer replicas than bronze's own 99%.
  const doc = (classes: Record<string, unknown> | null) =>
    scenarioOf({
      duration: '30s',
      warmup: '2s',
      seed: 5,
      roles: { server: { count: 2, service: { dist: 'exp', mean: '20ms' } } },
      workload: [
        { pattern: 'poisson', to: 'server', rate: '40/s', class: 'gold' },
        { pattern: 'poisson', to: 'server', rate: '120/s', class: 'bronze' },
      ],
      config: { priority: { weights: { gold: 9, bronze: 1 } }, buffer: { capacity: 8 } },
      slo: { deliveryRatio: 0.9, ...(classes !== null ? { classes } : {}) },
    });
  const global = await plan(doc(null), { role: 'server', effort });
  const withClass = await plan(doc({ bronze: { deliveryRatio: 0.99 } }), { role: 'server', effort });
  assert.ok(global.answer !== null && withClass.answer !== null, `${global.answer} and ${withClass.answer} replicas`);
  assert.ok(withClass.answer! > global.answer!, `bronze's bound asks for more replicas: ${withClass.answer} vs ${global.answer}`);
  const met = withClass.probes.find((p) => p.x === withClass.answer)!;
  assert.ok(met.classes!['bronze']!.deliveryCi![0] >= 0.99);
  assert.ok(withClass.binding!.some((b) => b.class === 'bronze' && b.slo === 'deliveryRatio'), JSON.stringify(withClass.binding));
  assert.ok(withClass.notes.some((n) => /class bronze's delivery SLO \(≥ 99[.0]*%; [\d.]+% there\) binds: shown broken at \d+ replicas of server, where the global SLOs are not/.test(n)), withClass.notes.join(' | '));
});

test.run();
