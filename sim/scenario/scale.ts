import type { FaultSpec, Scenario, WorkloadSpec } from './types.js';

/**
 * The scenario with its timeline scaled by `factor` (0.1 → a tenth as long),
 * for quick benchmarks, the model snapshots and a study's cheaper rungs. What
 * is anchored to the timeline scales with it, so a short run tells the same
 * story in the same proportions: `duration`, `warmup`, each workload entry's
 * `start`/`stop` window, each fault's `at` and `for`, and the times of a
 * diurnal rate table (a surge at 25 s of 60 s comes at 8.3 s of a third of
 * the run: unscaled, the third never saw it, and a study screening there
 * judged a mesh that misses its SLOs only in the surge on a calm stretch).
 * What describes the mesh stays: rates, service times, recurring-fault
 * MTBF/MTTR, a diurnal sinusoid's period (compressing it would change how
 * fast load moves against provisioning delays, which do not scale), trace
 * timestamps (a trace is cut by its entry's window, not compressed) and the
 * `drain` allowance (an upper bound, not a share of the run). Pure; the
 * input is not modified. Times are in ms.
 */
export function scaleScenario(scenario: Scenario, factor: number): Scenario {
  if (!(factor > 0) || !Number.isFinite(factor)) {
    throw new RangeError(`scaleScenario: factor must be a finite number > 0, got ${factor}`);
  }
  if (factor === 1) return scenario;
  const t = (ms: number): number => ms * factor;
  const duration = t(scenario.duration);
  const workload = scenario.workload.map((w): WorkloadSpec => {
    const window = { start: t(w.start), stop: Math.min(duration, t(w.stop)) };
    if (w.pattern === 'diurnal' && w.table.length > 0) return { ...w, ...window, table: w.table.map((row) => ({ ...row, at: t(row.at) })) };
    return { ...w, ...window };
  });
  const faults = scenario.faults.map((f): FaultSpec => ({ ...f, at: t(f.at), for: t(f.for) }));
  return { ...scenario, duration, warmup: t(scenario.warmup), workload, faults };
}
