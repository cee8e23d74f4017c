/**
 * The winner, stripped of changes that do not help. A search settles on
 * values for every knob it explored, including knobs that have no effect in
 * this scenario (a backoff when nothing is ever retried); with common random
 * numbers such a knob gives bit-identical metrics, so reverting it to the
 * current configuration's value and re-measuring shows it. The changes worth
 * reporting are the ones whose reversion makes the outcome worse.
 *
 * A reversion is kept only when the simplified configuration is shown not
 * worse than the winner (objective.ts `nonInferior`): the burden of proof is
 * on the simplification, never on the change. It runs on a budget of its own
 * (a share of the study's), and a change it had no budget left to test stays.
 */
import { resolvePolicies } from '../model/policies.js';
import type { MeshConfig } from '../scenario/types.js';
import { behaviourKey, cloneConfig, configChanges, deletePath, getPath, setPath, type ConfigChange } from './config-paths.js';
import { repair } from './codec.js';
import type { Measured } from './objective.js';
import type { EvaluationRecord, Fidelity, Outcome } from './types.js';

export type { Measured } from './objective.js';

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

/** Blocks whose knobs are separate mechanisms: their changes are judged one by one. */
const SPLIT_BLOCKS = new Set(['routing', 'timeout']);

/** Blocks that hold one mechanism per role: each role's is judged as a whole. */
const PER_ROLE_BLOCKS = new Set(['autoscale']);

/**
 * The changes grouped by mechanism (a retry policy's attempts, backoff,
 * jitter and budget are one; a role's autoscaler — its target, min, max and
 * window — is one), in path order: a mechanism is kept or put back as a
 * whole, so a winner with a dozen changes in four mechanisms costs four
 * tests, not twelve. Putting back a whole autoscaler also never leaves one
 * with the candidate's min over the current max.
 */
export function mechanismGroups(changes: readonly ConfigChange[]): ConfigChange[][] {
  const groups = new Map<string, ConfigChange[]>();
  for (const ch of changes) {
    const parts = ch.path.split('.');
    const head = parts[0]!;
    const key = SPLIT_BLOCKS.has(head) ? ch.path : PER_ROLE_BLOCKS.has(head) ? parts.slice(0, 2).join('.') : head;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [ch]);
    else g.push(ch);
  }
  return [...groups.values()];
}

/**
 * What simplifying a winner with `groups` mechanism groups costs at most
 * without a greedy pass at the winner's fidelity: the screening (each group
 * and the winner on the cheap fidelity), all reversions together and a greedy
 * pass on the cheap fidelity (one run a group), and the check of the
 * reversions kept at the winner's fidelity, plus one greedy step of room
 * there. The study keeps this much of the budget for the simplification, up
 * to its share, and searches with the rest.
 */
export function simplifyReserve(groups: number, screen: Fidelity, full: Fidelity): number {
  if (groups === 0) return 0;
  return (2 * groups + 2) * screen.fraction * screen.seeds + 2 * full.fraction * full.seeds;
}

/** An evaluation the simplification asked for: what it was charged, and its record. */
export interface Charged {
  cost: number;
  record: Promise<EvaluationRecord>;
}

export interface SimplifyContext {
  /** The scenario's current configuration: what a change is put back to. */
  base: MeshConfig;
  /** The winner's fidelity: a simplified configuration must hold against it there. */
  full: Fidelity;
  /** A cheap fidelity on which each mechanism's reversion is screened first. */
  screen: Fidelity;
  /** Most budget the simplification may spend, full-run equivalents. */
  budget: number;
  /** Runs a configuration at a fidelity on the winner's first seeds. */
  evaluate(config: MeshConfig, fidelity: Fidelity): Charged;
  /** Total order of outcomes (objective.ts `compareOutcomes`). */
  rank(a: Outcome | null, b: Outcome | null): number;
  /** Shown not worse than the winner on the seeds both were measured on (objective.ts `nonInferior`). */
  acceptable(candidate: Measured, winner: Measured): boolean;
}

export interface Simplified {
  config: MeshConfig;
  outcome: Outcome;
  perSeed: ReadonlyArray<Outcome | null>;
  /** Budget spent, full-run equivalents. */
  spent: number;
  /** Changes kept because the budget ran out before they could be shown not to help. */
  untested: ConfigChange[];
  /** Of those, the ones the cheap screening found not to matter, kept for want of budget to confirm it on the search seeds. */
  unconfirmed: ConfigChange[];
}

type Point = { config: MeshConfig; outcome: Outcome; perSeed: ReadonlyArray<Outcome | null> };

/**
 * Puts back the changes of the best candidate that do not help.
 *
 * 1. Changes that do not alter the resolved policies go first, unrun.
 * 2. Screening: each mechanism's reversion runs on the cheap fidelity
 *    against the winner there; one that is worse (beyond the tolerance) or
 *    misses an SLO the winner meets is kept, for a fraction of a run.
 * 3. The mechanisms that passed are put back together, first on the cheap
 *    fidelity: mechanisms that each cover for the others (a hedge, an
 *    outlier ejection and a short timeout against one crash) pass one by one
 *    and fail together. If they fail there, a greedy pass on the cheap
 *    fidelity puts them back one after the other, best-screened first, each
 *    kept only if every reversion so far still holds against the winner
 *    there: a third of a run a step where the winner's fidelity costs three.
 * 4. The reversions kept must be shown not worse than the winner at the
 *    winner's fidelity.
 * 5. If they are not, greedy backward elimination at the winner's fidelity,
 *    in the same order.
 *
 * Every step first checks that the budget left covers it (as if no run were
 * shared); what could not be tested stays as the search found it.
 */
export async function simplifyWinner(best: EvaluationRecord, ctx: SimplifyContext): Promise<Simplified> {
  const { base, full, screen } = ctx;
  let spent = 0;
  const costOf = (f: Fidelity): number => f.fraction * f.seeds;
  /** How many of n evaluations at `f` the budget left still covers. */
  const fit = (n: number, f: Fidelity): number => Math.max(0, Math.min(n, Math.floor((ctx.budget - spent + 1e-9) / costOf(f))));
  const run = (config: MeshConfig, f: Fidelity): Promise<EvaluationRecord> => {
    const s = ctx.evaluate(config, f);
    spent += s.cost;
    return s.record;
  };
  // Changes that do not change what the model does (a knob set to its default) go without a run.
  let config = best.config;
  const bestKey = behaviourKey(best.config);
  for (const ch of configChanges(base, best.config)) {
    const r = revert(config, base, ch);
    if (behaviourKey(r) === bestKey) config = r;
  }
  const winner: Measured = { outcome: best.outcome, perSeed: best.perSeed };
  const start: Point = { config, outcome: best.outcome!, perSeed: best.perSeed };
  const done = (p: Point, untested: ConfigChange[][], unconfirmed: ConfigChange[][] = []): Simplified => ({
    ...p,
    spent,
    untested: [...untested, ...unconfirmed].flat(),
    unconfirmed: unconfirmed.flat(),
  });
  // A retry budget the winner's retries run under is insurance against a retry storm, whose
  // onset is rare: a few seeds can show removing it costs nothing and be wrong on the next
  // (a chain that collapsed on 1 seed in 20 without one). It stays, untested.
  const retries = resolvePolicies(config).maxAttempts > 1;
  const insurance = (g: ConfigChange[]): boolean => retries && g.some((ch) => ch.path === 'retry.budget' && ch.to !== undefined);
  const groups = mechanismGroups(configChanges(base, config)).filter((g) => !insurance(g));
  if (groups.length === 0) return done(start, []);

  // 2. Screening, as many mechanisms as the budget allows (the winner's own cheap run comes first).
  const screened = fit(groups.length + 1, screen) - 1;
  if (screened <= 0) return done(start, groups);
  const untested = groups.slice(screened);
  const trials = groups.slice(0, screened).map((g) => ({ group: g, config: revertAll(config, base, g) }));
  const [winnerCheap, ...cheap] = await Promise.all([run(config, screen), ...trials.map((t) => run(t.config, screen))]);
  if (winnerCheap!.status !== 'ok') return done(start, groups);
  const harmless = trials
    .map((trial, i) => ({ trial, rec: cheap[i]! }))
    .filter(({ rec }) => rec.status === 'ok' && ctx.acceptable(rec, winnerCheap!))
    .sort((a, b) => ctx.rank(a.rec.outcome, b.rec.outcome) || a.trial.group[0]!.path.localeCompare(b.trial.group[0]!.path));
  if (harmless.length === 0) return done(start, untested);

  const holds = (rec: EvaluationRecord): boolean => rec.status === 'ok' && ctx.acceptable(rec, winner);
  const holdsCheap = (rec: EvaluationRecord): boolean => rec.status === 'ok' && ctx.acceptable(rec, winnerCheap!);
  const point = (c: MeshConfig, rec: EvaluationRecord): Point => ({ config: c, outcome: rec.outcome!, perSeed: rec.perSeed });
  /**
   * Greedy backward elimination at `f`: `groups` put back one after the
   * other after those of `kept`, each kept only if the configuration with
   * every reversion so far still `ok`s; `rest` are the groups the budget
   * left untried, `last` the configuration of the last reversion kept.
   */
  const greedy = async (groups: ConfigChange[][], f: Fidelity, ok: (rec: EvaluationRecord) => boolean, kept: ConfigChange[][] = []) => {
    let last: Point | null = null;
    for (const [i, group] of groups.entries()) {
      if (fit(1, f) === 0) return { kept, last, rest: groups.slice(i) };
      const candidate = revertAll(config, base, [...kept, group].flat());
      const rec = await run(candidate, f);
      if (ok(rec)) {
        kept = [...kept, group];
        last = point(candidate, rec);
      }
    }
    return { kept, last, rest: [] as ConfigChange[][] };
  };

  // 3. Every harmless mechanism put back at once, on the cheap fidelity first:
  // usually they are as harmless together; where they are not, a greedy pass
  // there finds the reversions that hold together.
  let keep = harmless.map((h) => h.trial.group);
  /** Groups screened harmless that the budget left no room to try together with the others. */
  let unjoined: ConfigChange[][] = [];
  if (keep.length > 1 && fit(1, screen) === 1) {
    const allCheap = await run(revertAll(config, base, keep.flat()), screen);
    if (!holdsCheap(allCheap)) {
      // The first group alone was screened already: it holds.
      const joined = await greedy(keep.slice(1), screen, holdsCheap, keep.slice(0, 1));
      keep = joined.kept;
      unjoined = joined.rest;
    }
  }

  // 4. The reversions kept, at the winner's fidelity.
  if (fit(1, full) === 0) return done(start, untested, [...keep, ...unjoined]);
  const together = revertAll(config, base, keep.flat());
  const all = await run(together, full);
  if (holds(all)) return done(point(together, all), untested, unjoined);
  if (keep.length === 1) return done(start, untested, unjoined);

  // 5. Greedy backward elimination at the winner's fidelity.
  const checked = await greedy(keep, full, holds);
  return done(checked.last ?? start, untested, [...checked.rest, ...unjoined]);
}
