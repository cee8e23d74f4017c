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
import type { Fidelity } from './types.js';

/** How a rung's runs are shortened (sim/runner/task-run.ts). */
export { scaleScenario } from '../runner/task-run.js';

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
