/**
 * Runs an intensification to its end on a made-up mesh, for its tests: asks,
 * measures each proposal with `measure`, tells, until it asks nothing or the
 * budget is spent (a top-rung proposal costs 2, a polling one 1, as the
 * ladder's rungs are priced against the polling rung).
 */
import type { Intensifier } from '../../sim/study/strategies/intensify.js';
import { TOP } from '../../sim/study/fidelity.js';
import type { Observation, Proposal } from '../../sim/study/strategies/types.js';
import type { Outcome } from '../../sim/study/types.js';

export function driveIntensifier(intens: Intensifier, budget: number, measure: (p: Proposal) => Outcome): { spent: number; asked: Proposal[] } {
  let spent = 0;
  const asked: Proposal[] = [];
  for (;;) {
    const batch = intens.ask(budget - spent);
    if (batch.length === 0) break;
    spent += batch.reduce((s, p) => s + (p.fidelity === TOP ? 2 : 1), 0);
    asked.push(...batch);
    intens.tell(batch.map((p): Observation => ({ proposal: p, outcome: measure(p) })));
  }
  return { spent, asked };
}
