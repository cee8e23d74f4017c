import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planAutoscaler, UTILIZATION_RANGE } from '../../sim/plan/autoscale-plan.js';
import { plan } from '../../sim/plan/index.js';
import type { Prober, ProbeRecord } from '../../sim/plan/prober.js';
import type { PlanPoint, PlanRun } from '../../sim/plan/runs.js';
import type { PlanResult, Probe } from '../../sim/plan/types.js';
import { planText } from '../../sim/report/plan-text.js';
import type { AutoscaleConfig } from '../../sim/scenario/types.js';
import { scenarioOf } from '../helpers.js';

// `plan --role R` for an autoscaled role: the target, min and max that keep
// the SLOs at the lowest replica-hours.

const doc = (autoscale: Record<string, unknown>) => ({
  duration: '120s',
  warmup: '10s',
  roles: { server: { count: 4, workers: 1, service: { dist: 'exp', mean: '50ms' } } },
  workload: [
    { pattern: 'poisson', to: 'server', rate: '40/s', stop: '60s' },
    { pattern: 'poisson', to: 'server', rate: '80/s', start: '60s' },
  ],
  slo: { p99: '2s', deliveryRatio: 0.999 },
  config: { routing: { balancer: 'least-request' }, autoscale: { server: autoscale } },
});

/**
 * A stand-in for the plan's prober with a known answer: a utilisation target
 * meets the SLOs up to LIMIT and not above; a run at target t uses 10 / t
 * replica-hours, from 2 up to ceil(8 / t) replicas.
 */
const LIMIT = 0.62;
function fakeProber(seen: number[]): Prober {
  return {
    async probe(x: number, point: PlanPoint): Promise<ProbeRecord> {
      const a = point.config.autoscale!['server'] as AutoscaleConfig;
      const t = a.target!;
      seen.push(t);
      const scaling = { server: { replicaHours: 10 / t, meanReplicas: 0, minReplicas: Math.max(a.min ?? 1, 2), maxReplicas: Math.min(a.max, Math.ceil(8 / t)), scaleUps: 1, scaleDowns: 1 } };
      const runs = [1, 2, 3, 4].map((seed) => ({ seed, scaling }) as unknown as PlanRun);
      const verdict = t <= LIMIT ? 'meets' : 'breaks';
      return { probe: { x, verdict, meets: verdict === 'meets', replications: runs } as unknown as Probe, stats: {} as ProbeRecord['stats'], runs };
    },
  } as unknown as Prober;
}

test('the search finds the highest target that meets, within the precision, and proposes the replicas it used', async () => {
  const seen: number[] = [];
  const sc = scenarioOf(doc({ target: 0.3, min: 2, max: 20 }));
  const notes: string[] = [];
  const { plan: p } = await planAutoscaler({ scenario: sc, config: sc.config, role: 'server', load: 1, prober: fakeProber(seen), precision: 0.02, notes });
  // The configuration's first, then the ends of the range, then bisection.
  assert.equal(seen.slice(0, 3), [0.3, UTILIZATION_RANGE[1], UTILIZATION_RANGE[0]]);
  const [low, high] = p.interval;
  assert.ok(low !== null && high !== null && low <= LIMIT && LIMIT < high, `[${low}, ${high}]`);
  assert.ok((high! - low!) / (high! + low!) <= 0.02);
  assert.is(p.proposed!.autoscale.target, low);
  assert.equal([p.proposed!.autoscale.min, p.proposed!.autoscale.max], [2, Math.ceil(8 / low!)], 'min and max: what its runs used');
  assert.is(p.keepCurrent, false);
  assert.is(p.recommended, p.proposed);
  assert.ok(Math.abs(p.savedReplicaHours! - (10 / 0.3 - 10 / low!)) < 1e-9);
  // Searched without binding bounds: min 1 and twice the configured max.
  assert.is(p.searchMax, 40);
});

test('a configuration that breaks the SLOs with fewer replica-hours: the recommendation says it needs more', async () => {
  const sc = scenarioOf(doc({ target: 0.9, min: 2, max: 20 }));
  const { plan: p } = await planAutoscaler({ scenario: sc, config: sc.config, role: 'server', load: 1, prober: fakeProber([]), precision: 0.05, notes: [] });
  assert.is(p.current!.probe.verdict, 'breaks');
  assert.ok(p.savedReplicaHours! < 0, String(p.savedReplicaHours));
  const r = { kind: 'autoscale', autoscale: p, runs: 9, probes: [], notes: [] } as unknown as PlanResult;
  const text = planText('t', r, { p99Ms: 2000, deliveryRatio: 0.999 });
  assert.match(text, new RegExp(`replica-hours per run — ${String(-p.savedReplicaHours!).slice(0, 3)}[\\d.]* more than the configuration's \\(11\\.1, breaks the SLOs\\)`));
  assert.not.match(text, /-[\d.]+ fewer/);
});

test('a configuration that already spends the fewest replica-hours is kept', async () => {
  const sc = scenarioOf(doc({ target: 0.62, min: 2, max: 20 }));
  const notes: string[] = [];
  const { plan: p } = await planAutoscaler({ scenario: sc, config: sc.config, role: 'server', load: 1, prober: fakeProber([]), precision: 0.05, notes });
  assert.is(p.keepCurrent, true);
  assert.is(p.recommended!.autoscale.target, 0.62);
  assert.ok(notes.some((n) => n.includes('keep it')));
});

test('no target meets from one replica (a start-up transient): the fewest replicas to keep is searched, and said', async () => {
  // Meets only with at least 6 replicas kept, whatever the target.
  const seen: Array<[number, number]> = [];
  const prober = {
    async probe(x: number, point: PlanPoint): Promise<ProbeRecord> {
      const a = point.config.autoscale!['server'] as AutoscaleConfig;
      const min = a.min ?? 1;
      seen.push([a.target!, min]);
      const scaling = { server: { replicaHours: min + 1, meanReplicas: 0, minReplicas: min, maxReplicas: a.max, scaleUps: 1, scaleDowns: 1 } };
      const runs = [1, 2, 3, 4].map((seed) => ({ seed, scaling }) as unknown as PlanRun);
      const verdict = min >= 6 ? 'meets' : 'breaks';
      return { probe: { x, verdict, meets: verdict === 'meets', replications: runs } as unknown as Probe, stats: {} as ProbeRecord['stats'], runs };
    },
  } as unknown as Prober;
  const sc = scenarioOf(doc({ target: 0.6, min: 1, max: 20 }));
  const notes: string[] = [];
  const { plan: p } = await planAutoscaler({ scenario: sc, config: sc.config, role: 'server', load: 1, prober, precision: 0.05, notes });
  assert.equal(p.interval, [null, UTILIZATION_RANGE[0]]);
  assert.is(p.minFound, 6);
  assert.equal([p.recommended!.autoscale.target, p.recommended!.autoscale.min], [0.6, 6]);
  // Doubling from 2 (2, 4, 8), then bisection between 4 and 8 (6, 5).
  assert.equal(seen.slice(3).map(([, min]) => min), [2, 4, 8, 6, 5]);
  assert.ok(notes.some((n) => /a floor fixes — min 6 at the configuration's target 0\.6/.test(n)), notes.join('\n'));
  const r = { kind: 'autoscale', autoscale: p, runs: 11, probes: [], notes } as unknown as PlanResult;
  const text = planText('t', r, { p99Ms: 2000, deliveryRatio: 0.999 });
  assert.match(text, /no target shown to meet, down to 0\.1\. No target meeting from one replica, the fewest replicas to keep was searched at the configuration's target: min 6\./);
  assert.not.match(text, /lowest above it not shown to 0\.1/);
});

test('on the model: a wasteful autoscaler (target 0.2) gives way to one that meets the SLOs with fewer replica-hours', async () => {
  const sc = scenarioOf(doc({ target: 0.2, min: 2, max: 24, period: '5s', provisioning: '5s', downWindow: '20s' }));
  const r = await plan(sc, { role: 'server', effort: { precision: 0.1, budgetRuns: 60 } });
  assert.is(r.kind, 'autoscale');
  const a = r.autoscale!;
  assert.ok(a.current !== null && a.current.probe.verdict === 'meets', 'the wasteful one meets the SLOs too');
  const rec = a.recommended!;
  assert.is(a.keepCurrent, false);
  assert.is(rec.probe.verdict, 'meets');
  assert.ok(rec.autoscale.target! > 0.2);
  assert.ok(rec.replicaHours < a.current!.replicaHours, `${rec.replicaHours} < ${a.current!.replicaHours}`);
  assert.ok(rec.minReplicas >= rec.autoscale.min! && rec.maxReplicas <= rec.autoscale.max, 'its runs stayed within the bounds recommended');
  // The probes of the search are targets, and the highest that meets is the interval's low end.
  const meets = r.probes.filter((p) => p.verdict === 'meets').map((p) => p.x);
  assert.is(Math.max(...meets), a.interval[0]);
  const text = planText('t', r, { p99Ms: 2000, deliveryRatio: 0.999 });
  assert.match(text, /server's autoscaler at target .* keeps p99 ≤ 2 s/);
  assert.match(text, /fewer than the configuration's/);
});

test.run();
