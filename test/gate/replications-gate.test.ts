import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ci95, mean } from '../../sim/metrics/stats.js';
import { runScenario } from '../../sim/runner/index.js';
import { compareReplications, readGateDocument, welchFromCI, type ReplicatedDocument } from '../../sim/gate/index.js';
import { scenarioOf } from '../helpers.js';

// Four single-slot servers at 62.5% load (M/M/1 each when split at random).
// Round-robin evens out the arrivals; a random balancer raises p99 by about
// a third — the "worse config" of the test.
const doc = {
  duration: '20s',
  warmup: '2s',
  seed: 3,
  roles: { server: { count: 4, workers: 1, service: { dist: 'exp', mean: '10ms' } } },
  workload: [{ pattern: 'poisson', to: 'server', rate: '250/s' }],
  config: { routing: { balancer: 'round-robin' } },
};

/** `meshtune simulate --replications 5 --json`, through the library and a JSON round trip. */
function simulateJson(config: Record<string, unknown>, seed = 3): unknown {
  const sc = scenarioOf(doc, 'four-servers');
  return JSON.parse(JSON.stringify(runScenario(sc, { config, seed, replications: 5 })));
}

const asDoc = (value: unknown, file: string): ReplicatedDocument => {
  const d = readGateDocument(value, file);
  if (d.kind !== 'replications') throw new Error(`${file}: read as ${d.kind}`);
  return d;
};

test('a config change that raises p99 by ~30% is flagged worse on replications', () => {
  const base = asDoc(simulateJson({ routing: { balancer: 'round-robin' } }), 'base.json');
  const cand = asDoc(simulateJson({ routing: { balancer: 'random' } }), 'cand.json');
  const c = compareReplications(base, cand, { threshold: 0.05 });
  const p99 = c.metrics.find((m) => m.metric === 'latencyMs.p99')!;
  assert.ok(p99.change > 0.2 && p99.change < 0.5, `p99 change ${p99.change}`);
  assert.is(p99.verdict, 'worse');
  assert.ok(p99.evidence !== null);
  assert.is(c.failed, true);
  // The same rise is a win read the other way round.
  const back = compareReplications(cand, base, { threshold: 0.05 });
  assert.is(back.metrics.find((m) => m.metric === 'latencyMs.p99')!.verdict, 'better');
  assert.is(back.failed, false);
});

test('a candidate that loses thirteen times as many messages is worse, though its delivery ratio moved under 2%: the threshold holds the loss', () => {
  // Buffers of 6 waiting messages lose about 0.13%; of 3, about 1.7%: the ratio moves under 2%, the loss thirteenfold.
  const base = asDoc(simulateJson({ routing: { balancer: 'round-robin' }, buffer: { capacity: 6 } }), 'base.json');
  const lossy = asDoc(simulateJson({ routing: { balancer: 'round-robin' }, buffer: { capacity: 3 } }), 'lossy.json');
  const c = compareReplications(base, lossy, { threshold: 0.05 });
  const d = c.metrics.find((m) => m.metric === 'deliveryRatio')!;
  assert.ok(Math.abs(d.change) < 0.05, `delivery ratio moved ${d.change}: within the threshold on its own`);
  assert.ok(d.judgedChange > 1, `loss moved ${d.judgedChange}`);
  assert.is(d.verdict, 'worse');
  assert.is(c.failed, true);
});

test('the same configuration: identical seeds give no change; other seeds nothing worse', () => {
  const a = asDoc(simulateJson({ routing: { balancer: 'round-robin' } }), 'a.json');
  const same = compareReplications(a, a, { threshold: 0.05 });
  assert.ok(same.metrics.every((m) => m.verdict === 'no change'));
  const other = asDoc(simulateJson({ routing: { balancer: 'round-robin' } }, 1000), 'b.json');
  const c = compareReplications(a, other, { threshold: 0.05 });
  assert.is(c.failed, false, c.metrics.map((m) => `${m.metric}: ${m.verdict}`).join(', '));
  assert.is(c.metrics.length, 6);
});

test('one metric of six at p ≈ 0.03 is no change: the six are held to Holm\'s step-down, so an identical pair fails at most 5% of the time', () => {
  const doc = (p99: number, half: number): ReplicatedDocument => ({
    kind: 'replications',
    source: 'simulate',
    scenario: 's',
    replications: 8,
    metrics: {
      'latencyMs.p99': { mean: p99, lo: p99 - half, hi: p99 + half },
      'latencyMs.p50': { mean: 10, lo: 9, hi: 11 },
      'latencyMs.mean': { mean: 12, lo: 11, hi: 13 },
      deliveryRatio: { mean: 0.999, lo: 0.998, hi: 1 },
      'cost.perDelivered': { mean: 1, lo: 0.9, hi: 1.1 },
      throughputPerSec: { mean: 100, lo: 99, hi: 101 },
    },
  });
  // p99 +20%, its intervals overlapping: Welch's p about 0.03 — under 0.05 alone, over 0.05 / 6.
  const c = compareReplications(doc(30, 4.2), doc(36, 4.2), { threshold: 0.05 });
  const p99 = c.metrics.find((m) => m.metric === 'latencyMs.p99')!;
  assert.ok(p99.p > 0.05 / 6 && p99.p < 0.05, `p ${p99.p}`);
  assert.is(p99.verdict, 'no change');
  assert.is(c.failed, false);
  // Far beyond the noise (disjoint intervals), it is worse still.
  const far = compareReplications(doc(30, 2), doc(40, 2), { threshold: 0.05 });
  assert.is(far.metrics.find((m) => m.metric === 'latencyMs.p99')!.verdict, 'worse');
});

test("Welch's t from CIs matches the test computed from the raw samples", () => {
  const xs = [10.2, 11.1, 9.7, 10.5, 10.9, 10.0];
  const ys = [11.4, 12.0, 11.1, 12.6, 11.8];
  const side = (v: number[]) => {
    const [lo, hi] = ci95(v);
    return { mean: mean(v), lo, hi, n: v.length };
  };
  const w = welchFromCI(side(xs), side(ys));
  // scipy.stats.ttest_ind(ys, xs, equal_var=False): t = 4.080055532324671, df = 8.373016685433516, p = 0.0032097853139840217
  assert.ok(Math.abs(w.t - 4.080055532324671) < 1e-9, `t ${w.t}`);
  assert.ok(Math.abs(w.df - 8.373016685433516) < 1e-9, `df ${w.df}`);
  assert.ok(Math.abs(w.p - 0.0032097853139840217) < 1e-9, `p ${w.p}`);
});

test('a finished study.json is read as its recommended configuration’s metrics', () => {
  const winner = simulateJson({ routing: { balancer: 'least-request' } }) as Record<string, unknown>;
  const current = simulateJson({ routing: { balancer: 'round-robin' } }) as Record<string, unknown>;
  const strip = ({ engine: _e, ...rest }: Record<string, unknown>) => rest;
  const study = (action: 'adopt' | 'keep-current') => ({
    id: 'x',
    scenario: { name: 'four-servers', file: '/x.yaml', description: '' },
    settings: {},
    current: { config: {}, outcome: null, metrics: strip(current) },
    winnerMetrics: strip(winner),
    recommendation: { action, config: {}, reasons: [] },
  });
  const adopt = asDoc(study('adopt'), 'a/study.json');
  const keep = asDoc(study('keep-current'), 'b/study.json');
  assert.is(adopt.source, 'study');
  assert.is(adopt.scenario, 'four-servers');
  assert.ok(adopt.metrics['latencyMs.p99']!.mean < keep.metrics['latencyMs.p99']!.mean);
  // Gating a study that keeps the current configuration against one that adopted a better one.
  assert.is(compareReplications(adopt, keep, { threshold: 0.05 }).failed, true);
  // An unfinished study (header only) is bad input, with the reason.
  assert.throws(() => readGateDocument({ id: 'x', settings: {}, versions: {} }, 'c/study.json'), /did the study finish/);
});

test('bad shapes name the file and what was expected', () => {
  assert.throws(() => readGateDocument([1, 2], 'list.json'), /^list\.json: expected a benchmark results file/);
  assert.throws(() => readGateDocument({ foo: 1 }, 'foo.json'), /foo\.json: .*got an object with keys foo/);
  assert.throws(
    () => readGateDocument({ env: {}, tasks: [{ name: 'a', unit: 'ms', higherIsBetter: 'yes', samples: [] }] }, 'b.json'),
    /b\.json: tasks\[0\]\.higherIsBetter: expected true or false/,
  );
  const single = JSON.parse(JSON.stringify(runScenario(scenarioOf(doc), { replications: 1 })));
  assert.throws(() => readGateDocument(single, 'one.json'), /one\.json: ci95: .*--replications R \(R ≥ 2\)/);
});

test.run();
