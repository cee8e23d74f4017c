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
import type { Scenario } from '../scenario/types.js';
import { scaleScenario as scaleTimeline } from '../scenario/scale.js';
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
 * The scenario shortened to `fraction` of its duration, for a cheaper rung:
 * the timeline scales as a whole (sim/scenario/scale.ts), so a short run
 * still sees the same story in the same proportions.
 */
export function scaleScenario(sc: Scenario, fraction: number): Scenario {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`fidelity fraction must be in (0, 1], got ${fraction}`);
  return scaleTimeline(sc, fraction);
}
