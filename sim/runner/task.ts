/**
 * One simulation asked of a runner, and what comes back: plain data, so a
 * task can cross a thread (piscina) or a machine (a job queue) unchanged.
 */
import type { Metrics } from '../metrics/types.js';
import type { RunLimits } from '../model/control.js';
import type { MeshConfig } from '../scenario/types.js';

/** One simulation asked of a runner. */
export interface RunTask {
  /** Absolute path of the scenario file. */
  scenarioPath: string;
  fraction: number;
  config: MeshConfig;
  seed: number;
  /** Load multiplier (`scaleLoad`); 1 when absent. Evidence for the report's load forecast. */
  load?: number;
  /** Also return the timeline and the latency CDF (`DetailedMetrics`); the report's evidence runs. */
  detail?: boolean;
  /** Replica counts that differ from the scenario's (a capacity plan's levers and role search). */
  roles?: Record<string, number>;
  /**
   * A capacity plan's run (`PlanMetrics`): the latency histogram for
   * pooling, and with `slowMs` the per-replica attribution of the messages
   * slower than it.
   */
  plan?: { slowMs: number | null };
  /**
   * Limits of the run's work (SPEC §6.1: `--max-events`, `--max-agents`,
   * `--max-pending`), the defaults for what is not given. Absent: the run is
   * not checked against any (the first task format).
   */
  limits?: Partial<RunLimits>;
}

/**
 * Metrics of a `detail` task: the timeline is set and `latencyCdf` holds the
 * run's latency CDF (histogram/`cdfPoints`: [ms, fraction ≤ ms]). Engine
 * figures are zero (not measured for these runs).
 */
export type DetailedMetrics = Metrics & { latencyCdf?: Array<[number, number]> };

/**
 * A run's result. A failed one says why; `refused` when the run was never
 * started because its estimate is beyond the task's limits (the error then
 * names the field that drives the estimate and the flag that raises it).
 */
export type RunResult = { ok: true; metrics: Metrics } | { ok: false; error: string; refused?: boolean };
