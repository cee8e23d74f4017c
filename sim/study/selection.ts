/** Picking from a study's evaluations: the winner, and the Pareto front. */
import { compareOutcomes, type Objective } from './objective.js';
import { paretoFront, paretoPointOf, type ParetoPoint } from './pareto.js';
import type { EvaluationRecord } from './types.js';

/** The best successful evaluation at the highest rung reached; earlier proposals win ties. */
export function bestOf(records: readonly EvaluationRecord[], obj: Objective): EvaluationRecord | null {
  let top = -1;
  for (const r of records) if (r.status === 'ok' && r.level > top) top = r.level;
  let best: EvaluationRecord | null = null;
  for (const r of records) {
    if (r.status !== 'ok' || r.level !== top) continue;
    if (best === null || compareOutcomes(obj, r.outcome, best.outcome) < 0) best = r;
  }
  return best;
}

/** One point per candidate (its highest rung), reduced to the non-dominated ones. */
export function paretoOf(records: readonly EvaluationRecord[]): ParetoPoint[] {
  const latest = new Map<number, EvaluationRecord>();
  for (const r of records) {
    if (r.status !== 'ok') continue;
    const prev = latest.get(r.candidate);
    if (prev === undefined || r.level >= prev.level) latest.set(r.candidate, r);
  }
  return paretoFront([...latest.values()].map((r) => paretoPointOf(r.candidate, r.outcome!)));
}
