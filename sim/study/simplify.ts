/**
 * The winner, stripped of changes that do not help. A search settles on
 * values for every knob it explored, including knobs that have no effect in
 * this scenario (a backoff when nothing is ever retried); with common random
 * numbers such a knob gives bit-identical metrics, so reverting it to the
 * current configuration's value and re-measuring shows it. The changes worth
 * reporting are the ones whose reversion makes the outcome worse.
 */
import type { MeshConfig } from '../scenario/types.js';
import { behaviourKey, cloneConfig, configChanges, deletePath, getPath, setPath, type ConfigChange } from './config-paths.js';
import { repair } from './codec.js';
import type { EvaluationRecord, Outcome } from './types.js';

/** An outcome with its per-seed values (for paired comparisons). */
export interface Measured {
  outcome: Outcome | null;
  perSeed: ReadonlyArray<Outcome | null>;
}

/** The candidate with one change put back as it is in `base`. */
export function revert(candidate: MeshConfig, base: MeshConfig, change: ConfigChange): MeshConfig {
  const out = cloneConfig(candidate);
  const was = getPath(base, change.path);
  if (was === undefined) deletePath(out, change.path);
  else setPath(out, change.path, structuredClone(was));
  repair(out);
  return out;
}

/** The candidate with several changes put back. */
export function revertAll(candidate: MeshConfig, base: MeshConfig, changes: readonly ConfigChange[]): MeshConfig {
  return changes.reduce((c, ch) => revert(c, base, ch), candidate);
}

/**
 * Puts back the changes of the best candidate that do not help
 * (simplify.ts). Round 1 tries every single reversion, in one batch; a
 * reversion is "harmless" when `acceptable` says its outcome is as good as the
 * winner's within the tolerance that separates an effect from the noise a
 * knob's small timing changes leave on the search seeds, and "neutral" when
 * it is equal in every compared metric (typically bit-identical: the knob had
 * no effect). Round 2 tries reverting all harmless changes at once; if that
 * is not acceptable, round 3 takes the best single reversion and adds the
 * neutral ones on top. At most two evaluations after the single reversions.
 * Changes that do not alter the resolved policies at all are put back first,
 * unrun.
 */
export async function simplifyWinner(
  best: EvaluationRecord,
  base: MeshConfig,
  evaluate: (config: MeshConfig, seq: number) => Promise<EvaluationRecord>,
  rank: (a: Outcome | null, b: Outcome | null) => number,
  acceptable: (candidate: Measured, winner: Measured) => boolean = (a, b) => rank(a.outcome, b.outcome) <= 0,
): Promise<{ config: MeshConfig; outcome: Outcome }> {
  // Changes that do not change what the model does (a knob set to its default) go without a run.
  let config = best.config;
  const bestKey = behaviourKey(best.config);
  for (const ch of configChanges(base, best.config)) {
    const r = revert(config, base, ch);
    if (behaviourKey(r) === bestKey) config = r;
  }
  const start = { config, outcome: best.outcome!, perSeed: best.perSeed };
  const trials = configChanges(base, config).map((ch) => ({ ch, config: revert(config, base, ch) }));
  if (trials.length === 0) return start;
  let seq = 0;
  const singles = await Promise.all(trials.map((t) => evaluate(t.config, seq++)));
  const tried = singles.map((rec, i) => ({ rec, trial: trials[i]! })).filter(({ rec }) => rec.status === 'ok');
  const harmless = tried.filter(({ rec }) => acceptable(rec, start));
  if (harmless.length === 0) return start;
  const bestSingle = harmless.reduce((a, b) => (rank(b.rec.outcome, a.rec.outcome) < 0 ? b : a));
  const single = { config: bestSingle.trial.config, outcome: bestSingle.rec.outcome! };
  if (harmless.length === 1) return single;
  const union = revertAll(config, base, harmless.map((h) => h.trial.ch));
  const all = await evaluate(union, seq++);
  if (all.status === 'ok' && acceptable(all, start)) return { config: union, outcome: all.outcome! };
  const neutral = harmless.filter((h) => h !== bestSingle && rank(h.rec.outcome, start.outcome) === 0).map((h) => h.trial.ch);
  if (neutral.length === 0) return single;
  const quiet = revertAll(single.config, base, neutral);
  const rec = await evaluate(quiet, seq++);
  return rec.status === 'ok' && rank(rec.outcome, single.outcome) <= 0 ? { config: quiet, outcome: rec.outcome! } : single;
}
