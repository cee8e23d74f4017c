/**
 * Regression gates: benchmark files compared task by task, replicated
 * simulations (or studies) metric by metric, and the model's snapshots.
 * Pure comparison logic; reading files and choosing exit codes is the CLI's job.
 */
export { readGateDocument, GateInputError, GATED_METRICS } from './shape.js';
export type { BenchDocument, BenchTask, GateDocument, GatedMetric, ReplicatedDocument, ReplicatedValue } from './shape.js';
export { compareBench, compareTask, BOOTSTRAP_SEED, NORMALISED_MARK } from './bench.js';
export type { BenchComparison, BenchVerdict, GateOptions, TaskComparison } from './bench.js';
export { compareReplications, METRIC_INFO } from './replications.js';
export type { MetricComparison, MetricVerdict, ReplicationsComparison } from './replications.js';
export { poolRuns } from './pool.js';
export { confirmSlower, exactNames, scenarioOfTask } from './confirm.js';
export type { Confirmation } from './confirm.js';
export { welchFromCI, standardErrorFromCI } from './welch.js';
export type { SideSummary, WelchResult } from './welch.js';
export { comparisonMarkdown, snapshotMarkdown } from './markdown.js';
export type { Comparison } from './markdown.js';
export {
  checkSnapshots,
  diffPaths,
  readSnapshotFile,
  snapshotFileText,
  snapshotMetrics,
  takeSnapshot,
  SNAPSHOT_FACTOR,
  SNAPSHOT_SEED,
  UPDATE_HINT,
} from './snapshot.js';
export type { PathDiff, ScenarioDiff, ScenarioSnapshot, SnapshotCheck, SnapshotFile } from './snapshot.js';

import { compareBench, type GateOptions } from './bench.js';
import { compareReplications } from './replications.js';
import type { Comparison } from './markdown.js';
import { GateInputError, type GateDocument } from './shape.js';

/**
 * Compares two documents of the same kind; throws a GateInputError naming
 * the candidate when the kinds differ (a bench file against a simulate output).
 */
export function compareDocuments(
  baseline: GateDocument,
  candidate: GateDocument,
  labels: { baseline: string; candidate: string },
  opts: GateOptions & { only?: RegExp },
): Comparison {
  if (baseline.kind === 'bench' && candidate.kind === 'bench') {
    // A baseline with no usable samples at all is not a baseline (exit 2), whatever the candidate.
    const usable = (t: { samples: number[] }) => t.samples.filter((x) => !Number.isNaN(x)).length >= 2;
    if (baseline.tasks.length > 0 && !baseline.tasks.some(usable)) {
      throw new GateInputError(labels.baseline, 'no task has usable samples (each needs at least 2 numbers; null and empty lists are not evidence)');
    }
    return compareBench(baseline.tasks, candidate.tasks, opts);
  }
  if (baseline.kind === 'replications' && candidate.kind === 'replications') {
    return compareReplications(baseline, candidate, opts);
  }
  const what = (d: GateDocument): string => (d.kind === 'bench' ? 'a benchmark results file' : `a ${d.source} output`);
  throw new GateInputError(labels.candidate, `expected ${what(baseline)} like the baseline ${labels.baseline}, got ${what(candidate)}`);
}
