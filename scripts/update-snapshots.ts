/**
 * Records the model snapshots (results/baselines/model-snapshots.json): the
 * metrics of each library scenario at a tenth of its timeline and a fixed
 * seed, which test/gate/model-snapshots.test.ts and `meshtune gate --suite`
 * require to stay exactly the same. Run it when a model change is meant to
 * move them, then review the printed diff and commit the file.
 *
 *   node --import tsx scripts/update-snapshots.ts              every scenario; drops snapshots of removed ones
 *   node --import tsx scripts/update-snapshots.ts default p2p-10k   only these (by scenario name)
 *   node --import tsx scripts/update-snapshots.ts --check      write nothing; exit 1 when anything would change
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { libraryScenarios, repoRoot } from '../bench/lib/library.js';
import { checkSnapshots, readSnapshotFile, snapshotFileText, takeSnapshot, type ScenarioSnapshot } from '../sim/gate/index.js';
import { loadScenario } from '../sim/scenario/index.js';

const root = repoRoot();
const target = path.join(root, 'results', 'baselines', 'model-snapshots.json');

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const names = argv.filter((a) => !a.startsWith('--'));
  const existing = existsSync(target) ? readSnapshotFile(JSON.parse(readFileSync(target, 'utf8'))) : { about: '', scenarios: {} };

  const fresh = new Map<string, ScenarioSnapshot>();
  const known: string[] = [];
  for (const file of libraryScenarios(path.join(root, 'scenarios'))) {
    const scenario = loadScenario(file);
    known.push(scenario.name);
    if (names.length > 0 && !names.includes(scenario.name)) continue;
    const t0 = performance.now();
    fresh.set(scenario.name, takeSnapshot(scenario, path.relative(root, file)));
    process.stderr.write(`  ${scenario.name}: ${(performance.now() - t0).toFixed(0)} ms\n`);
  }
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    process.stderr.write(`update-snapshots: no library scenario named ${unknown.join(', ')}; known: ${known.join(', ')}\n`);
    return 2;
  }

  // Named updates keep every other snapshot as it is.
  const next = new Map<string, ScenarioSnapshot>();
  if (names.length > 0) for (const [n, s] of Object.entries(existing.scenarios)) next.set(n, s);
  for (const [n, s] of fresh) next.set(n, s);

  const result = checkSnapshots(existing, next);
  for (const d of result.changed) {
    process.stdout.write(`${d.scenario}: ${d.diffs.length} value${d.diffs.length === 1 ? '' : 's'} changed\n`);
    for (const x of d.diffs) process.stdout.write(`  ${x.path}: ${x.baseline} → ${x.candidate}\n`);
  }
  for (const n of result.missing) process.stdout.write(`${n}: new snapshot\n`);
  for (const n of result.stale) process.stdout.write(`${n}: removed (no longer in scenarios/)\n`);
  if (result.ok) process.stdout.write(`all ${result.matched.length} snapshots unchanged\n`);

  if (check) return result.ok ? 0 : 1;
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, snapshotFileText(next));
  process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
