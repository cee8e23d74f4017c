import { meanCI } from '../../sim/metrics/stats.js';

/** One round of a paired comparison: the two builds' times, measured at the same time. */
export interface PairedRound {
  /** Baseline and candidate times, ms. */
  baseMs: number;
  candidateMs: number;
  /**
   * Core the candidate ran on (the baseline had the other); in a sequential
   * comparison, 0 when the candidate ran first, 1 when second.
   */
  candidateCore: number;
}

export interface PairedSummary {
  /** Geometric mean of candidate / baseline time over the rounds (< 1: the candidate is faster). */
  ratio: number;
  /** 95% CI of that ratio: Student t over balanced units (see `pairedRatio`). */
  ci: [number, number];
  /** Balanced units the CI is over. */
  units: number;
}

/**
 * The candidate's time relative to the baseline's, from rounds in which both
 * ran at once, one on each core, the cores swapping every round. Two runs at
 * the same time share whatever else the host is doing; the swap cancels the
 * cores' own difference (measured here: one core of a 2-core guest ran the
 * same process 20–40% slower than the other). A unit is two consecutive rounds
 * (one with each assignment): the mean of their log ratios, which holds no
 * core effect. The ratio is the exponential of the mean over units, its CI the
 * exponential of the t interval of that mean. Needs at least two units. Rounds
 * run one after the other pair the same way, by which of the two ran first.
 */
export function pairedRatio(rounds: readonly PairedRound[]): PairedSummary {
  const units: number[] = [];
  for (let i = 0; i + 1 < rounds.length; i += 2) {
    const a = rounds[i]!;
    const b = rounds[i + 1]!;
    if (a.candidateCore === b.candidateCore) throw new RangeError(`rounds ${i + 1} and ${i + 2} ran the candidate on the same core`);
    units.push((Math.log(a.candidateMs / a.baseMs) + Math.log(b.candidateMs / b.baseMs)) / 2);
  }
  if (units.length < 2) throw new RangeError(`a paired comparison needs at least 4 rounds, got ${rounds.length}`);
  const m = units.reduce((s, x) => s + x, 0) / units.length;
  const [lo, hi] = meanCI(units, 0.95);
  return { ratio: Math.exp(m), ci: [Math.exp(lo), Math.exp(hi)], units: units.length };
}
