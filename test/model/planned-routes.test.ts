import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileScenario } from '../../sim/model/index.js';
import { runOnce } from '../../sim/runner/index.js';
import { PathFinder } from '../../sim/topology/index.js';
import type { Metrics } from '../../sim/metrics/types.js';
import type { Scenario } from '../../sim/scenario/types.js';
import { scenarioOf, withoutEngine } from '../helpers.js';

// A small-world mesh routed by a search per pair, whose `shortest` and `ecmp`
// routes are then planned whole and kept per copy.
// Loss, a crash, retries and redundant twins (which pass a random `via` agent
// first) make copies replan, die mid-route and have their slots reused.
const doc = (path: string, topology: Record<string, unknown> = { kind: 'small-world', degree: 6, rewire: 0.05 }) => ({
  duration: '3s',
  warmup: '0.5s',
  seed: 4,
  roles: { node: { count: 5000, workers: 1, service: { dist: 'exp', mean: '1ms' }, relay: { dist: 'exp', mean: '0.05ms' } } },
  topology,
  links: { latency: { dist: 'exp', mean: '3ms' }, loss: 0.01 },
  workload: [{ pattern: 'poisson', from: 'node', to: 'node', rate: '800/s', reply: { size: '1KB' } }],
  faults: [{ kind: 'crash', target: 'node', fraction: 0.05, at: '1s', for: '1s' }],
  config: {
    routing: { path, redundancy: 2 },
    timeout: { perTry: '150ms' },
    retry: { maxAttempts: 3 },
  },
});

for (const path of ['shortest', 'ecmp']) {
  test(`${path}: routes planned whole give the run that asking at every hop gives`, () => {
    const sc = scenarioOf(doc(path));
    // Small-world graphs this size usually get hub labels: the search is forced.
    const planned = compileScenario(sc);
    (planned as { paths: PathFinder }).paths = new PathFinder(planned.topology, { labels: false, search: true });
    assert.ok(planned.paths.plansRoutes);
    const perHop = compileScenario(sc);
    // The same graph answered from a BFS per destination: a hop per call.
    (perHop as { paths: PathFinder }).paths = new PathFinder(perHop.topology, { labels: false, search: false });
    assert.not.ok(perHop.paths.plansRoutes);
    const a = runOnce(planned, sc.config, sc.seed);
    const b = runOnce(perHop, sc.config, sc.seed);
    assert.equal(JSON.stringify(withoutEngine(a)), JSON.stringify(withoutEngine(b)));
    assert.is(a.engine.events, b.engine.events);
    assert.ok(a.retries > 100 && a.messages.lost.timeout > 0, 'loss and the crash should make copies die on the way and be retried');
  });
}

/**
 * Runs `sc` routed by its hub labels (each hop told the distance the last one
 * left) and by a BFS per destination without hub tables, checks that the two
 * runs are the same, and returns the first.
 */
function labelsRunAsBfs(sc: Scenario): Metrics {
  const told = compileScenario(sc);
  assert.is(told.paths.strategy, 'labels');
  const perHop = compileScenario(sc);
  (perHop as { paths: PathFinder }).paths = new PathFinder(perHop.topology, { labels: false, search: false, hubHops: false });
  const a = runOnce(told, sc.config, sc.seed);
  const b = runOnce(perHop, sc.config, sc.seed);
  assert.equal(JSON.stringify(withoutEngine(a)), JSON.stringify(withoutEngine(b)));
  assert.is(a.engine.events, b.engine.events);
  return a;
}

for (const hedge of [false, true]) {
  test(`shortest on hub labels, each hop told the distance the last one left and each reply its request's${hedge ? ', hedged' : ''}, gives the run a BFS per destination gives`, () => {
    // Twins carry a distance to their `via` agent first, then to the
    // destination; a reply starts with the distance its request found from
    // the origin. Hedges send a job's tries to different agents at once: a
    // reply must not start with another try's distance.
    const d = doc('shortest', { kind: 'scale-free', m: 2 });
    const a = labelsRunAsBfs(scenarioOf(hedge ? { ...d, config: { ...d.config, hedge: { after: '10ms' } } } : d));
    assert.ok(a.retries > 100 && a.messages.lost.timeout > 0, 'loss and the crash should make copies die on the way and be retried');
    if (hedge) assert.ok(a.hedges > 100, `hedges should race tries to different agents (${a.hedges})`);
  });
}

test('a scatter–gather on hub labels, its parts replying from different agents at once, gives the run a BFS per destination gives', () => {
  // One job's requests go to four agents together: each reply starts with a
  // distance only when its request was the last the job kept one for.
  const d = doc('shortest', { kind: 'scale-free', m: 2 });
  const [entry] = d.workload;
  const a = labelsRunAsBfs(scenarioOf({ ...d, workload: [{ ...entry, rate: '300/s', fanout: { count: 4, quorum: 3 } }] }));
  assert.ok(a.messages.delivered > 500, `scatter–gathers should complete (${a.messages.delivered})`);
});

test.run();
