import type { FaultSpec, Scenario, WorkloadSpec } from './types.js';

/**
 * The scenario with its timeline scaled by `factor` (0.1 → a tenth as long),
 * for quick benchmarks and the model snapshots. What is anchored to the
 * timeline scales with it, so a short run tells the same story in the same
 * proportions: `duration`, `warmup`, each workload entry's `start`/`stop`
 * window, and each fault's `at` and `for`. What describes the mesh stays:
 * rates, service times, recurring-fault MTBF/MTTR, diurnal periods, trace
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
  const workload = scenario.workload.map(
    (w): WorkloadSpec => ({ ...w, start: t(w.start), stop: Math.min(duration, t(w.stop)) }),
  );
  const faults = scenario.faults.map((f): FaultSpec => ({ ...f, at: t(f.at), for: t(f.for) }));
  return { ...scenario, duration, warmup: t(scenario.warmup), workload, faults };
}
