/** Picking from a study's evaluations: the winner, and the Pareto front. */
import { compareOutcomes, nonInferior, type Objective } from './objective.js';
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

/** The candidate a study recommends among those at its top rung, and the best one when that is another. */
export interface Pick {
  record: EvaluationRecord;
  /** The search's best candidate, when a simpler one was shown not worse than it; else null. */
  over: EvaluationRecord | null;
}

/**
 * The best candidate at the top rung (`ranked`, best first), unless one that
 * changes fewer mechanisms (`mechanisms`) is shown not worse than it on the
 * same seeds (objective.ts `nonInferior`, the simplification's test): then
 * the one changing the fewest, the better ranked among equals. A search
 * crossing random points keeps whatever they carried along (a breaker, a
 * batch size, a buffer), and the best of a few seeds is often best by noise
 * alone; advice that a user applies whole should not change eleven things
 * where one does as well. Nothing is run: the candidates were all measured
 * on the same seeds.
 */
export function simplestShownEqual(ranked: readonly EvaluationRecord[], obj: Objective, mechanisms: (r: EvaluationRecord) => number): Pick | null {
  const best = ranked[0];
  if (best === undefined) return null;
  const sameSeeds = (r: EvaluationRecord): boolean => r.seeds.length === best.seeds.length && r.seeds.every((s, i) => s === best.seeds[i]);
  let pick = best;
  let fewest = mechanisms(best);
  for (const r of ranked.slice(1)) {
    if (fewest === 0) break;
    const m = mechanisms(r);
    if (m < fewest && sameSeeds(r) && nonInferior(obj, r, best)) {
      pick = r;
      fewest = m;
    }
  }
  return { record: pick, over: pick === best ? null : best };
}
