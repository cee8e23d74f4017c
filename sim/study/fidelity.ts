/**
 * The fidelity ladder of a study and the shortened scenarios it runs on.
 *
 * Successive halving (Jamieson & Talwalkar 2016; Li et al., "Hyperband",
 * 2018) screens many candidates on cheap runs and spends more on the few that
 * survive. Here a rung's resource is simulated time × seeds, growing by the
 * factor η = 3 from rung to rung: a third of the duration on one seed, the
 * full duration on one seed, the full duration on three seeds (the study's
 * top fidelity, where every single-fidelity strategy evaluates).
 */
import type { FaultSpec, Scenario, WorkloadSpec } from '../scenario/types.js';
import type { Fidelity } from './types.js';

/** Growth of the resource from one rung to the next, and the share promoted (1/η). */
export const ETA = 3;

/** Search seeds run at the top fidelity. */
export const TOP_SEEDS = 3;

export const LADDER: readonly Fidelity[] = [
  { level: 0, fraction: 1 / 3, seeds: 1 },
  { level: 1, fraction: 1, seeds: 1 },
  { level: 2, fraction: 1, seeds: TOP_SEEDS },
];

export const TOP: Fidelity = LADDER[LADDER.length - 1]!;

/**
 * The scenario shortened to `fraction` of its duration. Time-anchored parts
 * scale with it so that a short run still sees the same story in the same
 * proportions: warm-up, workload windows, and each fault's start and length.
 * Rates, service times, recurring-fault MTBF/MTTR and the drain allowance are
 * left as they are (they describe the mesh, not the timeline).
 */
export function scaleScenario(sc: Scenario, fraction: number): Scenario {
  if (fraction === 1) return sc;
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`fidelity fraction must be in (0, 1], got ${fraction}`);
  const t = (ms: number): number => ms * fraction;
  const duration = t(sc.duration);
  const workload = sc.workload.map((w): WorkloadSpec => ({ ...w, start: t(w.start), stop: Math.min(duration, t(w.stop)) }));
  const faults = sc.faults.map((f): FaultSpec => ({ ...f, at: t(f.at), for: t(f.for) }));
  return { ...sc, duration, warmup: t(sc.warmup), workload, faults };
}
