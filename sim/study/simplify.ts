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

/**
 * The changes from `base` to `config` that alter what the model does: a
 * change whose reversion leaves the resolved policies as they are (a codec of
 * `none`, a redundancy of 1, a knob set to its default) is not one.
 */
export function effectiveChanges(base: MeshConfig, config: MeshConfig): ConfigChange[] {
  const key = behaviourKey(config);
  return configChanges(base, config).filter((ch) => behaviourKey(revert(config, base, ch)) !== key);
}

/** The candidate with several changes put back. */
export function revertAll(candidate: MeshConfig, base: MeshConfig, changes: readonly ConfigChange[]): MeshConfig {
  return changes.reduce((c, ch) => revert(c, base, ch), candidate);
}

/**
 * Puts back the changes of the best candidate that do not help. Changes that
 * do not alter the resolved policies at all go first, unrun. Then every
 * single reversion is measured, in one batch; those that `acceptable` says do
 * no harm (the winner's outcome is not shown better on the search seeds) are
 * put back one after the other, least harmful first, each kept only if the
 * configuration with all reversions so far is still acceptable against the
 * winner — greedy backward elimination, one evaluation per harmless change.
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
  const harmless = singles
    .map((rec, i) => ({ rec, trial: trials[i]! }))
    .filter(({ rec }) => rec.status === 'ok' && acceptable(rec, start))
    .sort((a, b) => rank(a.rec.outcome, b.rec.outcome) || a.trial.ch.path.localeCompare(b.trial.ch.path));
  let current: { config: MeshConfig; outcome: Outcome } = start;
  let reverted: ConfigChange[] = [];
  for (const h of harmless) {
    const next = [...reverted, h.trial.ch];
    if (next.length === 1) {
      current = { config: h.trial.config, outcome: h.rec.outcome! };
      reverted = next;
      continue;
    }
    const candidate = revertAll(config, base, next);
    const rec = await evaluate(candidate, seq++);
    if (rec.status === 'ok' && acceptable(rec, start)) {
      current = { config: candidate, outcome: rec.outcome! };
      reverted = next;
    }
  }
  return current;
}
