import type { Metrics } from '../metrics/types.js';
import { runScenario } from '../runner/index.js';
import { scaleScenario } from '../scenario/scale.js';
import type { Scenario } from '../scenario/types.js';

/**
 * The deterministic model gate. Each library scenario, shortened and run at a
 * fixed seed, must reproduce its committed metrics (everything but `engine`,
 * the only part that varies between identical runs) exactly. A change that
 * moves them is a bug or a deliberate model change; the latter is recorded
 * with `scripts/update-snapshots.ts`, and the diff shows in review.
 *
 * Pure apart from running the model; file reading and writing belong to the
 * callers (the test, the script, `meshtune gate --suite`).
 */

/** Seed of every snapshot run. */
export const SNAPSHOT_SEED = 1;
/** Share of a scenario's timeline simulated for its snapshot (sim/scenario/scale.ts). */
export const SNAPSHOT_FACTOR = 0.1;
/** How to accept a deliberate change; printed with every failure. */
export const UPDATE_HINT =
  'If the change is deliberate, record it: node --import tsx scripts/update-snapshots.ts [scenario …] ' +
  '(then review and commit results/baselines/model-snapshots.json).';

/** A scenario's snapshot: the metrics of its shortened run, as JSON would hold them. */
export interface ScenarioSnapshot {
  /** The library file, relative to the repository (for people; not compared). */
  file: string;
  factor: number;
  seed: number;
  metrics: unknown;
}

/** `results/baselines/model-snapshots.json`. */
export interface SnapshotFile {
  about: string;
  scenarios: Record<string, ScenarioSnapshot>;
}

export const SNAPSHOT_ABOUT =
  `SPEC §6 metrics without engine of each library scenario at ${SNAPSHOT_FACTOR}× its timeline, seed ${SNAPSHOT_SEED}. ` +
  'Checked by test/gate/model-snapshots.test.ts and meshtune gate --suite; rewritten by scripts/update-snapshots.ts.';

/** The metrics of one snapshot run, engine figures removed, through a JSON round trip (Infinity → null, as stored). */
export function snapshotMetrics(scenario: Scenario, factor = SNAPSHOT_FACTOR, seed = SNAPSHOT_SEED): unknown {
  const m: Metrics = runScenario(scaleScenario(scenario, factor), { seed });
  const { engine: _engine, ...rest } = m;
  return JSON.parse(JSON.stringify(rest)) as unknown;
}

export function takeSnapshot(scenario: Scenario, file: string): ScenarioSnapshot {
  return { file, factor: SNAPSHOT_FACTOR, seed: SNAPSHOT_SEED, metrics: snapshotMetrics(scenario) };
}

/** One value that differs, at a dotted path (`latencyMs.p99`, `utilization.worker`). */
export interface PathDiff {
  path: string;
  /** JSON text of each side; `(absent)` when the path is missing on that side. */
  baseline: string;
  candidate: string;
}

const ABSENT = '(absent)';

function show(v: unknown): string {
  return v === undefined ? ABSENT : JSON.stringify(v);
}

/** Every leaf that differs between two JSON values, depth first, in key order. */
export function diffPaths(baseline: unknown, candidate: unknown, prefix = ''): PathDiff[] {
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
  if (isObj(baseline) && isObj(candidate) && Array.isArray(baseline) === Array.isArray(candidate)) {
    const keys = [...new Set([...Object.keys(baseline), ...Object.keys(candidate)])];
    if (!Array.isArray(baseline)) keys.sort();
    const out: PathDiff[] = [];
    for (const k of keys) {
      const p = Array.isArray(baseline) ? `${prefix}[${k}]` : prefix === '' ? k : `${prefix}.${k}`;
      out.push(...diffPaths(baseline[k], candidate[k], p));
    }
    return out;
  }
  if (Object.is(baseline, candidate)) return [];
  if (JSON.stringify(baseline) === JSON.stringify(candidate)) return [];
  return [{ path: prefix === '' ? '(root)' : prefix, baseline: show(baseline), candidate: show(candidate) }];
}

export interface ScenarioDiff {
  scenario: string;
  diffs: PathDiff[];
}

export interface SnapshotCheck {
  ok: boolean;
  matched: string[];
  changed: ScenarioDiff[];
  /** Library scenarios without a committed snapshot. */
  missing: string[];
  /** Snapshots of scenarios no longer in the library. */
  stale: string[];
  howToUpdate: string;
}

/** Compares fresh snapshots (by scenario name) with the committed file. */
export function checkSnapshots(committed: SnapshotFile, fresh: ReadonlyMap<string, ScenarioSnapshot>): SnapshotCheck {
  const matched: string[] = [];
  const changed: ScenarioDiff[] = [];
  const missing: string[] = [];
  for (const [name, snap] of fresh) {
    const old = committed.scenarios[name];
    if (old === undefined) {
      missing.push(name);
      continue;
    }
    const diffs = diffPaths(
      { factor: old.factor, seed: old.seed, metrics: old.metrics },
      { factor: snap.factor, seed: snap.seed, metrics: snap.metrics },
    );
    if (diffs.length === 0) matched.push(name);
    else changed.push({ scenario: name, diffs });
  }
  const stale = Object.keys(committed.scenarios).filter((n) => !fresh.has(n));
  const ok = changed.length === 0 && missing.length === 0 && stale.length === 0;
  return { ok, matched, changed, missing, stale, howToUpdate: UPDATE_HINT };
}

/** A committed snapshot file's text: scenarios in name order, two-space JSON. */
export function snapshotFileText(scenarios: ReadonlyMap<string, ScenarioSnapshot>): string {
  const sorted: Record<string, ScenarioSnapshot> = {};
  for (const name of [...scenarios.keys()].sort()) sorted[name] = scenarios.get(name)!;
  const file: SnapshotFile = { about: SNAPSHOT_ABOUT, scenarios: sorted };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Reads a parsed snapshot file; throws a plain Error naming what is wrong. */
export function readSnapshotFile(value: unknown): SnapshotFile {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('expected {about, scenarios: {…}}');
  const scenarios = (value as { scenarios?: unknown }).scenarios;
  if (scenarios === null || typeof scenarios !== 'object' || Array.isArray(scenarios)) {
    throw new Error('scenarios: expected an object of snapshots by scenario name');
  }
  return { about: String((value as { about?: unknown }).about ?? ''), scenarios: scenarios as Record<string, ScenarioSnapshot> };
}
