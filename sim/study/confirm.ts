/**
 * Validation of a study's winner: the winner and the scenario's current
 * configuration re-run on fresh seeds (never used by the search), paired by
 * seed, and each claim stated as a paired difference with its 95% Student-t
 * interval (Law, "Simulation Modeling and Analysis", §10.2.1). The study
 * recommends the winner when it meets the SLOs and is significantly better on
 * the mode's objective, or when it meets an SLO the current configuration
 * misses (see `confirm`); otherwise it recommends keeping the current
 * configuration. Pure: the runs are done by the caller.
 */
import { mean, pairedDifferenceCI } from '../metrics/stats.js';
import { classSloMisses, DIRECTION, feasible, mapClasses, violation, type Metric, type Objective } from './objective.js';
import { meanOutcome, shownOutcome } from './outcome.js';
import type { Outcome } from './types.js';

/** Replications of the confirmation (each configuration, paired by seed). */
export const CONFIRM_REPLICATIONS = 10;

/**
 * Fresh seeds added to the confirmation, for both configurations, when its
 * first CONFIRM_REPLICATIONS show one of them meeting the SLOs: the verdict is
 * then judged on all of them. A configuration that collapses on a few seeds
 * in a hundred (a breaker that trips on a burst of timeouts, a retry storm
 * after an unlucky fault) looks steady on ten seeds that miss the collapse, and
 * the Student-t interval of ten steady values is narrow: a claim made on them
 * would fail the user on the runs that do collapse. With 30 seeds a collapse
 * on one seed in ten is seen with probability 1 − 0.9³⁰ ≈ 96% (on ten, 65%),
 * and one collapse among them moves the mean, and widens its interval, past a
 * bound the steady seeds meet with little room.
 */
export const TAIL_REPLICATIONS = 20;

export type ClaimMetric = 'p99' | 'deliveryRatio' | 'costPerDelivered';
export const CLAIM_METRICS: readonly ClaimMetric[] = ['p99', 'deliveryRatio', 'costPerDelivered'];

const LABEL: Record<ClaimMetric, string> = {
  p99: 'p99 latency',
  deliveryRatio: 'delivery ratio',
  costPerDelivered: 'cost per delivered message',
};

export interface Improvement {
  metric: ClaimMetric;
  /** Means over the confirmation seeds. */
  current: number;
  winner: number;
  /** Mean of the paired differences winner − current, with its 95% CI. */
  diff: number;
  ci95: [number, number];
  /** diff / current (NaN when current is 0 or not finite). */
  relative: number;
  /** The interval excludes 0. */
  significant: boolean;
  /** 'better' / 'worse' when significant, 'unclear' when not, 'unmeasurable' when a run had no finite value. */
  verdict: 'better' | 'worse' | 'unclear' | 'unmeasurable';
}

export interface Confirmation {
  seeds: number[];
  current: Outcome;
  winner: Outcome;
  /**
   * What the fresh seeds show of each SLO metric (`shownOutcome`): p99s at the
   * top of their 95% interval, delivery ratios at the bottom. The SLOs are
   * judged on these: a configuration meets them when it meets them beyond
   * the seeds' noise.
   */
  currentShown: Outcome;
  winnerShown: Outcome;
  currentFeasible: boolean;
  winnerFeasible: boolean;
  improvements: Improvement[];
  /** True when the winner is the current configuration itself. */
  sameConfig: boolean;
  recommendation: 'adopt' | 'keep-current';
  reasons: string[];
}

/** An outcome judged on its means: the worst-seed fields dropped. */
function onMean(o: Outcome): Outcome {
  const { worstP99: _p, worstDeliveryRatio: _d, ...mean } = o;
  if (mean.classes !== undefined) mean.classes = mapClasses(mean.classes, (c) => ({ p99: c.p99, deliveryRatio: c.deliveryRatio }));
  return mean;
}

export function improvementOf(metric: ClaimMetric, current: readonly Outcome[], winner: readonly Outcome[]): Improvement {
  const a = winner.map((o) => o[metric]);
  const b = current.map((o) => o[metric]);
  const cur = mean(b);
  const win = mean(a);
  if (![...a, ...b].every(Number.isFinite)) {
    return { metric, current: cur, winner: win, diff: NaN, ci95: [NaN, NaN], relative: NaN, significant: false, verdict: 'unmeasurable' };
  }
  const pd = pairedDifferenceCI(a, b);
  const relative = cur !== 0 ? pd.meanDiff / Math.abs(cur) : NaN;
  const good = DIRECTION[metric as Metric] * pd.meanDiff < 0;
  const verdict = !pd.significant ? 'unclear' : good ? 'better' : 'worse';
  return { metric, current: cur, winner: win, diff: pd.meanDiff, ci95: [pd.lo, pd.hi], relative, significant: pd.significant, verdict };
}

/**
 * The verdict on fresh seeds. Meeting the SLOs comes first:
 *
 * | winner meets | current meets | recommendation |
 * | yes | yes | adopt only if significantly better on the mode's objective |
 * | yes | no  | adopt: it meets what the current configuration misses |
 * | no  | yes | keep the current configuration |
 * | no  | no  | adopt only if every SLO metric the current configuration misses is significantly better and none is significantly worse (the closer of the two) |
 *
 * So the verdict never adopts a configuration that is significantly worse on
 * the mode's objective unless it meets an SLO the current one misses.
 */
export function confirm(
  obj: Objective,
  seeds: number[],
  current: readonly Outcome[],
  winner: readonly Outcome[],
  sameConfig: boolean,
): Confirmation {
  const cur = meanOutcome(current);
  const win = meanOutcome(winner);
  const curShown = shownOutcome(current);
  const winShown = shownOutcome(winner);
  const improvements = CLAIM_METRICS.map((m) => improvementOf(m, current, winner));
  // The claim is about the mean over the fresh seeds (the SLO as users read
  // it), not the worst seed the search holds candidates to, and it must hold
  // beyond their noise: a mean a hair under the bound is missed on other
  // seeds as often as not.
  const currentFeasible = feasible(obj, curShown);
  const winnerFeasible = feasible(obj, winShown);
  const reasons: string[] = [];
  let adopt = false;
  if (sameConfig) {
    reasons.push('the search found nothing better than the current configuration');
  } else {
    const main = improvements.find((i) => i.metric === obj.primary);
    const primary = LABEL[obj.primary as ClaimMetric] ?? obj.primary;
    const objectiveBetter = main?.verdict === 'better';
    if (winnerFeasible && currentFeasible) {
      adopt = objectiveBetter;
      if (objectiveBetter) reasons.push(`the winner is significantly better on ${primary} on fresh seeds (95% CI excludes 0)`);
      else if (main?.verdict === 'worse') reasons.push(`the winner is significantly worse on ${primary} on fresh seeds`);
      else reasons.push(`the winner is not significantly better on ${primary} on fresh seeds (the 95% CI contains 0)`);
    } else if (winnerFeasible) {
      adopt = true;
      const missed = missedSlos(obj, curShown);
      const shown = missed.every((m) => improvements.find((i) => i.metric === m)?.verdict === 'better');
      const names = [...missed.map((m) => LABEL[m]), ...missedClassSlos(obj, curShown)];
      reasons.push(
        `the current configuration misses the ${names.join(' and ')} SLO on the fresh seeds and the winner meets it` +
          (shown ? ' (a significant difference)' : ' (the difference is within the noise of the fresh seeds)'),
      );
      if (main?.verdict === 'worse') reasons.push(`meeting it makes the ${primary} significantly worse than the current configuration's, which does not meet the SLOs`);
    } else if (currentFeasible) {
      reasons.push('the winner misses an SLO on the fresh seeds that the current configuration meets');
    } else {
      const nearer = violation(obj, onMean(win)) < violation(obj, onMean(cur)) && sloMetricsBetter(obj, curShown, improvements);
      const worse = sloMetricsWorse(obj, improvements);
      const closer = nearer && worse.length === 0;
      adopt = closer;
      reasons.push(
        closer
          ? 'neither configuration meets the SLOs on the fresh seeds; the winner comes significantly closer'
          : worse.length > 0
            ? `neither configuration meets the SLOs on the fresh seeds; the winner is significantly worse on ${worse.map((m) => LABEL[m]).join(' and ')}, an SLO metric${nearer ? ', though it comes closer on the others' : ''}, so it is not adopted`
            : 'neither configuration meets the SLOs on the fresh seeds, and the winner is not significantly closer',
      );
    }
  }
  if (!currentFeasible && (sameConfig || !winnerFeasible)) reasons.push('the current configuration does not meet the SLOs on the fresh seeds');
  for (const [who, mean, shown] of [['the winner', win, winShown], ['the current configuration', cur, curShown]] as const) {
    if (who === 'the winner' && sameConfig) continue;
    const noise = withinNoise(obj, mean, shown);
    if (noise.length > 0) {
      reasons.push(`${who} meets the ${noise.join(' and ')} SLO on the mean of the fresh seeds, but not beyond their noise (the 95% interval crosses the bound): it is not shown to meet it`);
    }
  }
  return {
    seeds,
    current: cur,
    winner: win,
    currentShown: curShown,
    winnerShown: winShown,
    currentFeasible,
    winnerFeasible,
    improvements,
    sameConfig,
    recommendation: adopt ? 'adopt' : 'keep-current',
    reasons,
  };
}

/**
 * What the tail check changed: a verdict of meeting the SLOs that the added
 * seeds overturned (with the worst seed's figures, the collapse the first
 * seeds missed), one they gave (a mean whose interval narrowed inside the
 * bounds), or neither.
 */
export function tailReason(first: Confirmation, all: Confirmation): string {
  const n = first.seeds.length;
  const total = all.seeds.length;
  const lost: string[] = [];
  const gained: string[] = [];
  const sides = [
    ['the winner', first.winnerFeasible, all.winnerFeasible, all.winner, all.sameConfig],
    ['the current configuration', first.currentFeasible, all.currentFeasible, all.current, false],
  ] as const;
  for (const [who, before, after, outcome, skip] of sides) {
    if (skip || before === after) continue;
    if (before) lost.push(`${who} (its worst seed: ${worstSeed(outcome)})`);
    else gained.push(who);
  }
  const said: string[] = [];
  if (lost.length > 0) {
    said.push(`${lost.join(' and ')} met the SLOs on the first ${n} fresh seeds and ${lost.length > 1 ? 'miss' : 'misses'} them on all ${total}: some seeds collapse, which the first ${n} did not show`);
  }
  if (gained.length > 0) said.push(`${gained.join(' and ')}, not shown to meet the SLOs on the first ${n} fresh seeds, ${gained.length > 1 ? 'meet' : 'meets'} them on all ${total}`);
  if (said.length > 0) return said.join('; ');
  return `the SLO verdict holds on ${total - n} more fresh seeds (${total} in all), where a configuration that collapses on a few seeds would show it`;
}

/** The worst seed's delivery ratio and p99, for the reasons (worded as the study's other reasons word figures). */
export function worstSeed(o: Outcome): string {
  const parts: string[] = [];
  if (o.worstDeliveryRatio !== undefined) parts.push(`delivery ratio ${Number((o.worstDeliveryRatio * 100).toFixed(3))}%`);
  if (o.worstP99 !== undefined) parts.push(`p99 ${Number.isFinite(o.worstP99) ? `${Math.round(o.worstP99)} ms` : 'none delivered'}`);
  return parts.join(', ');
}

/** Total relative violation of the SLOs by an outcome judged on its means (objective.ts `violation`). */
export function violationOnMean(obj: Objective, o: Outcome): number {
  return violation(obj, onMean(o));
}

/** The SLO metrics an outcome misses (on its means; a `shownOutcome` is judged beyond the seeds' noise). */
export function missedSlos(obj: Objective, o: Outcome): Array<'p99' | 'deliveryRatio'> {
  const m = onMean(o);
  const missed: Array<'p99' | 'deliveryRatio'> = [];
  if (obj.slo.p99 !== null && !(m.p99 <= obj.slo.p99)) missed.push('p99');
  if (obj.slo.deliveryRatio !== null && !(m.deliveryRatio >= obj.slo.deliveryRatio)) missed.push('deliveryRatio');
  return missed;
}

/** The class SLOs an outcome misses (as `missedSlos` judges), as `<class> p99` or `<class> delivery ratio`. */
export function missedClassSlos(obj: Objective, o: Outcome): string[] {
  return classSloMisses(obj.slo.classes, onMean(o)).map(({ name, metric }) => `${name} ${metric === 'p99' ? 'p99' : 'delivery ratio'}`);
}

/** The SLOs an outcome meets on its mean but not as the seeds show it (`shownOutcome`), as labels. */
function withinNoise(obj: Objective, mean: Outcome, shown: Outcome): string[] {
  const onMeanOnly = (all: string[], onAverage: string[]): string[] => all.filter((m) => !onAverage.includes(m));
  return [
    ...onMeanOnly(missedSlos(obj, shown), missedSlos(obj, mean)).map((m) => LABEL[m as ClaimMetric]),
    ...onMeanOnly(missedClassSlos(obj, shown), missedClassSlos(obj, mean)),
  ];
}

/** Every SLO metric the current configuration misses (as the seeds show it) is significantly better with the winner. */
function sloMetricsBetter(obj: Objective, cur: Outcome, imps: Improvement[]): boolean {
  const missed = missedSlos(obj, cur);
  return missed.length > 0 && missed.every((m) => imps.find((i) => i.metric === m)?.verdict === 'better');
}

/** The SLO metrics in force that are significantly worse with the winner. */
function sloMetricsWorse(obj: Objective, imps: Improvement[]): ClaimMetric[] {
  const held: ClaimMetric[] = [];
  if (obj.slo.p99 !== null) held.push('p99');
  if (obj.slo.deliveryRatio !== null) held.push('deliveryRatio');
  return held.filter((m) => imps.find((i) => i.metric === m)?.verdict === 'worse');
}
