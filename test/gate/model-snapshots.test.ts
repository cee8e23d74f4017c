import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { libraryScenarios, repoRoot } from '../../bench/lib/library.js';
import { checkSnapshots, diffPaths, readSnapshotFile, takeSnapshot, UPDATE_HINT } from '../../sim/gate/index.js';
import { loadScenario } from '../../sim/scenario/index.js';

// The deterministic model gate: every library scenario, at a tenth of its
// timeline and seed 1, reproduces the metrics committed in
// results/baselines/model-snapshots.json exactly (engine figures aside).

const root = repoRoot();
const SNAPSHOTS = path.join(root, 'results', 'baselines', 'model-snapshots.json');
const committed = readSnapshotFile(JSON.parse(readFileSync(SNAPSHOTS, 'utf8')));
const library = libraryScenarios(path.join(root, 'scenarios')).map((file) => ({ file, scenario: loadScenario(file) }));

test('the library and the committed snapshots name the same scenarios', () => {
  const names = new Set(library.map((l) => l.scenario.name));
  const missing = [...names].filter((n) => committed.scenarios[n] === undefined);
  const stale = Object.keys(committed.scenarios).filter((n) => !names.has(n));
  const problems = [
    ...missing.map((n) => `scenario '${n}' has no committed snapshot`),
    ...stale.map((n) => `snapshot '${n}' belongs to no scenario in scenarios/`),
  ];
  if (problems.length > 0) assert.unreachable(`${problems.join('; ')}.\n${UPDATE_HINT}`);
});

for (const { file, scenario } of library) {
  const old = committed.scenarios[scenario.name];
  if (old === undefined) continue; // reported by the test above
  test(`model snapshot: ${scenario.name}`, () => {
    const fresh = takeSnapshot(scenario, path.relative(root, file));
    const check = checkSnapshots({ about: '', scenarios: { [scenario.name]: old } }, new Map([[scenario.name, fresh]]));
    if (check.ok) return;
    const diffs = check.changed.flatMap((c) => c.diffs);
    const shown = diffs.slice(0, 15).map((d) => `  ${d.path}: ${d.baseline} → ${d.candidate}`);
    if (diffs.length > 15) shown.push(`  … and ${diffs.length - 15} more`);
    assert.unreachable(
      `scenario '${scenario.name}' (${path.relative(root, file)}) no longer reproduces its snapshot; ` +
        `${diffs.length} value${diffs.length === 1 ? '' : 's'} changed:\n${shown.join('\n')}\n${UPDATE_HINT.replace('[scenario …]', scenario.name)}`,
    );
  });
}

test('diffPaths names every changed leaf by its path', () => {
  const a = { latencyMs: { p99: 10, p50: 2 }, utilization: { worker: 0.5 }, lost: [1, 2] };
  const b = { latencyMs: { p99: 11, p50: 2 }, utilization: { worker: 0.5, store: 0.1 }, lost: [1, 3] };
  assert.equal(diffPaths(a, b), [
    { path: 'latencyMs.p99', baseline: '10', candidate: '11' },
    { path: 'lost[1]', baseline: '2', candidate: '3' },
    { path: 'utilization.store', baseline: '(absent)', candidate: '0.1' },
  ]);
  assert.equal(diffPaths(a, structuredClone(a)), []);
});

test.run();
