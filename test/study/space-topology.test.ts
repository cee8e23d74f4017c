import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileScenario, simulateRaw } from '../../sim/model/index.js';
import type { MeshConfig } from '../../sim/scenario/types.js';
import runTask from '../../sim/runner/worker.js';
import { runScenario } from '../../sim/runner/index.js';
import { decode, encode } from '../../sim/study/codec.js';
import { buildSpace } from '../../sim/study/space.js';
import { degree, edgeCount } from '../../sim/topology/graph.js';
import { inputError, removeTemporary, scenarioOf, withoutEngine } from '../helpers.js';
import { scenarioFile } from './helpers.js';

test.after(removeTemporary);

// Topology in the search space: `topology.search` adds the graph's settings
// as dimensions, a candidate's graph is built from its values, and a
// scenario without `topology.search` is what it was.

/** A root hands work down a tree of relaying managers to workers. */
const tree = {
  duration: '2s',
  roles: {
    root: { count: 1, workers: 8, service: '0.1ms', relay: '0.1ms' },
    manager: { count: 12, workers: 2, service: '1ms', relay: '2ms' },
    worker: { count: 40, service: '5ms' },
  },
  topology: { kind: 'hierarchical', fanout: 4 },
  links: { latency: '1ms' },
  workload: [{ pattern: 'poisson', from: 'root', to: 'worker', rate: '100/s', reply: true }],
};

const withSearch = (search: Record<string, unknown>) => ({ ...tree, topology: { ...tree.topology, search } });

test('topology.search adds the shape and a log-scale fanout that lives only in a tree; the base encodes the scenario’s graph', () => {
  const space = buildSpace(scenarioOf(withSearch({ fanout: [2, 32], shape: ['tree', 'flat'] })));
  const dims = space.dims.filter((d) => d.name.startsWith('topology.'));
  assert.equal(
    dims.map((d) => [d.name, d.kind, d.kind === 'int' ? [d.min, d.max, d.log] : d.kind === 'choice' ? d.values : null, d.when]),
    [
      ['topology.shape', 'choice', ['tree', 'flat'], null],
      ['topology.fanout', 'int', [2, 32, true], { dim: 'topology.shape', values: ['tree'] }],
    ],
  );
  assert.equal(space.base.topology, { shape: 'tree', fanout: 4 });
  assert.equal(decode(space, encode(space, space.base)).config.topology, { shape: 'tree', fanout: 4 });
  // Excluding the shape keeps the fanout, unconditionally.
  const only = buildSpace(scenarioOf({ ...withSearch({ fanout: [2, 32], shape: ['tree', 'flat'] }), search: { only: ['topology.fanout'] } }));
  assert.equal(only.dims.map((d) => [d.name, d.when]), [['topology.fanout', null]]);
});

test('without topology.search the space has no topology dimension and the base is the scenario’s configuration', () => {
  const space = buildSpace(scenarioOf(tree));
  assert.not.ok(space.dims.some((d) => d.name.startsWith('topology.')));
  assert.equal(space.base, {});
  // The compiled model is keyed, and built, exactly as before.
  const plain = compileScenario(scenarioOf(tree));
  assert.is(plain.layoutKey, '1x8,12x2,40x1');
});

test('a candidate’s graph is built from its values: fanout, flat fan-out, overlay degree, scale-free m', () => {
  const sc = scenarioOf(withSearch({ fanout: [2, 32], shape: ['tree', 'flat'] }));
  const n = 53;
  const two = compileScenario(sc, { topology: { fanout: 2 } });
  assert.is(degree(two.topology, 0), 2);
  assert.is(degree(two.topology, 1), 3, 'a manager: its parent and two children');
  assert.is(two.layoutKey, '1x8,12x2,40x1|fanout=2');
  const flat = compileScenario(sc, { topology: { shape: 'flat' } });
  assert.is(degree(flat.topology, 0), n - 1, 'one coordinator linked to every other agent');
  assert.is(edgeCount(flat.topology), n - 1);
  const overlay = (kind: string, extra: Record<string, unknown>) =>
    scenarioOf({ ...tree, topology: { kind, ...extra }, workload: [{ pattern: 'poisson', to: 'worker', rate: '10/s' }] });
  const sw = compileScenario(overlay('small-world', { degree: 4, rewire: 0, search: { degree: [2, 12] } }), { topology: { degree: 8 } });
  assert.is(edgeCount(sw.topology), n * 4, 'a ring lattice of degree 8: n · 8 / 2 links');
  const sf = compileScenario(overlay('scale-free', { m: 2, search: { m: [1, 5] } }), { topology: { m: 3 } });
  // Barabási–Albert: an initial clique of m + 1, then m links per new node.
  assert.is(edgeCount(sf.topology), 6 + (n - 4) * 3);
  // The run sees the graph: relaying through managers costs hops a flat fan-out skips.
  const deep = runScenario(sc, { seed: 2, config: { topology: { fanout: 2 } } });
  const wide = runScenario(sc, { seed: 2, config: { topology: { shape: 'flat' } } });
  assert.ok(wide.latencyMs.mean < deep.latencyMs.mean, `flat ${wide.latencyMs.mean} ms vs fanout 2 ${deep.latencyMs.mean} ms`);
  // A configuration naming the scenario's own graph simulates the same mesh.
  assert.equal(withoutEngine(runScenario(sc, { seed: 2, config: { topology: { fanout: 4 } } })), { ...withoutEngine(runScenario(sc, { seed: 2 })), config: { topology: { fanout: 4 } } });
});

test('a study worker runs each candidate on its own graph, whatever graph ran before', () => {
  const file = scenarioFile(withSearch({ fanout: [2, 32], shape: ['tree', 'flat'] }), 'graphs');
  const run = (config: MeshConfig) => withoutEngine(runTask({ scenarioPath: file, fraction: 1, config, seed: 3 }));
  const deep = run({ topology: { fanout: 2 } });
  const flat = run({ topology: { shape: 'flat' } });
  assert.is(deep.messages.generated, flat.messages.generated, 'the same arrivals');
  assert.ok(flat.latencyMs.mean < deep.latencyMs.mean, 'fewer relaying hops');
  assert.equal(run({ topology: { fanout: 2 } }), deep);
  // A model compiled for one graph refuses a configuration of another.
  const sc = scenarioOf(withSearch({ fanout: [2, 32] }));
  assert.throws(() => simulateRaw(compileScenario(sc), { topology: { fanout: 3 } }, 1), /compiled for the layout/);
});

test('settings that do not fit the topology, and unsearched names: exit 2 with the field path', () => {
  const bad = (doc: Record<string, unknown>) => inputError(() => scenarioOf(doc));
  let e = bad(withSearch({ degree: [2, 8] }));
  assert.is(e.path, 'topology.search.degree');
  assert.match(e.detail, /small-world or random topology; this one is hierarchical/);
  e = bad({ ...tree, config: { topology: { m: 3 } } });
  assert.is(e.path, 'config.topology.m');
  e = bad(withSearch({ fanout: [8, 2] }));
  assert.is(e.path, 'topology.search.fanout[1]');
  e = bad(withSearch({ shape: ['tree', 'tree'] }));
  assert.is(e.path, 'topology.search.shape');
  e = inputError(() => buildSpace(scenarioOf({ ...withSearch({ fanout: [2, 8] }), search: { only: ['topology.shape'] } })));
  assert.is(e.path, 'search.only[0]');
  assert.match(e.detail, /topology.search gives it no range/);
});

test.run();
