import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { libraryScenarios, repoRoot } from '../../bench/lib/library.js';
import { checkWork } from '../../sim/estimate/index.js';
import { loadScenario } from '../../sim/scenario/index.js';

// The scale scenarios (scenarios/scale) are benchmarked, never run by tests:
// here they load and their estimated work is within the default limits.
// (How small-world-30k is routed — a search per pair — is tested on smaller
// graphs forced to it, test/topology/paths.test.ts.)

const dir = path.join(repoRoot(), 'scenarios', 'scale');

test('the scale scenarios load and fit the default work limits', () => {
  const files = libraryScenarios(dir);
  const byName = new Map(files.map((f) => [loadScenario(f).name, f]));
  assert.equal([...byName.keys()].sort(), ['p2p-100k', 'p2p-1m-smoke', 'small-world-30k']);
  for (const file of files) {
    const s = loadScenario(file);
    const e = checkWork(s, s.config);
    assert.ok(e.agents.value >= 30_000, `${s.name}: ${e.agents.value} agents`);
  }
  const p10k = loadScenario(path.join(repoRoot(), 'scenarios', 'p2p-10k.yaml'));
  const p100k = loadScenario(byName.get('p2p-100k')!);
  // Ten times the peers at the same load per peer.
  assert.is(p100k.roles[0]!.count, 10 * p10k.roles[0]!.count);
  const rate = (w: unknown): number => (w as { rate: number }).rate;
  assert.is(rate(p100k.workload[0]), 10 * rate(p10k.workload[0]));
  assert.equal({ ...p100k.topology }, { ...p10k.topology });
});

test.run();
