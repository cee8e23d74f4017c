import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileScenario } from '../../sim/model/index.js';
import { loadScenario } from '../../sim/scenario/index.js';
import { withoutMoot } from '../../sim/study/moot.js';
import { runStudy } from '../../sim/study/study.js';
import { edgeCount } from '../../sim/topology/graph.js';
import { removeTemporary, scenarioOf } from '../helpers.js';
import { InlineRunner, scenarioFile } from './helpers.js';

// best-config.json holds what matters: a flat fan-out has no branching
// factor, so the fanout the search space wrote out beside it is dropped.

test.after(removeTemporary);

/** A root hands work down a tree of relaying managers to workers; flat skips the relaying. */
const tree = {
  duration: '2s',
  roles: {
    root: { count: 1, workers: 8, service: '0.1ms', relay: '0.1ms' },
    manager: { count: 12, workers: 2, service: '1ms', relay: '2ms' },
    worker: { count: 40, service: '5ms' },
  },
  topology: { kind: 'hierarchical', fanout: 4, search: { fanout: [2, 8], shape: ['tree', 'flat'] } },
  links: { latency: '1ms' },
  workload: [{ pattern: 'poisson', from: 'root', to: 'worker', rate: '100/s', reply: true }],
  search: { only: ['topology.shape', 'topology.fanout'] },
};

test('the fanout goes with a flat shape, and stays with a tree; the graph is the same without it', () => {
  assert.equal(withoutMoot({ topology: { shape: 'flat', fanout: 4 }, retry: { maxAttempts: 2 } }), { topology: { shape: 'flat' }, retry: { maxAttempts: 2 } });
  assert.equal(withoutMoot({ topology: { shape: 'tree', fanout: 4 } }), { topology: { shape: 'tree', fanout: 4 } });
  assert.equal(withoutMoot({ topology: { fanout: 4 } }), { topology: { fanout: 4 } });
  const sc = scenarioOf(tree);
  assert.is(edgeCount(compileScenario(sc, { topology: { shape: 'flat' } }).topology), edgeCount(compileScenario(sc, { topology: { shape: 'flat', fanout: 4 } }).topology));
});

test('a study whose winner is flat recommends (and writes to best-config.json) no fanout', async () => {
  const file = scenarioFile(tree, 'flat-winner');
  const r = await runStudy(loadScenario(file), { scenarioPath: file, mode: 'performance', budget: 12, seed: 1, strategy: 'halving', confirmReplications: 3, evidence: false }, new InlineRunner());
  assert.is(r.recommendation.action, 'adopt', r.recommendation.reasons.join('; '));
  assert.equal(r.recommendation.config, { topology: { shape: 'flat' } });
  // The winner as measured, and its one change, are as the search found them.
  assert.equal(r.winner!.changes.map((c) => [c.path, c.from, c.to]), [['topology.shape', 'tree', 'flat']]);
});

test.run();
