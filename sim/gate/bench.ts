import { bootstrapRatioOfMediansCI, mannWhitneyU, median } from '../metrics/stats.js';
import type { BenchTask } from './shape.js';

/**
 * Benchmark tasks compared sample set against sample set. For each task
 * present in both files:
 *
 * - the change of the median, ratio = median(candidate) / median(baseline);
 * - a percentile-bootstrap CI of that ratio (Efron & Tibshirani 1993, §13.3;
 *   seeded, so the same two files always give the same interval);
 * - a two-sided Mann–Whitney U test of the two sample sets.
 *
 * The verdict is a minimum-effect test: a task is *slower* only when it is
 * significantly worse than the threshold itself, not merely worse — the
 * one-sided 95% bootstrap bound of the ratio (the near end of the 90%
 * two-sided interval) lies beyond 1 − threshold (higher-is-better tasks) or
 * 1 + threshold (lower-is-better), AND Mann–Whitney gives p < α, a guard
 * against the coarse bootstrap of a median of a handful of samples. *Faster*
 * mirrors it; anything else is *no change*. Testing against the threshold
 * rather than against "no difference" is what keeps a gate run on every
 * commit quiet: with the plain test a 1% drift between two runs on a shared
 * machine, or one noisy task among twenty, fails a build every few runs.
 * The threshold is the smallest change worth failing a build for.
 */

/**
 * Marks machine-normalised tasks in a benchmark file (wall-clock figures
 * divided by a reference workload run alongside; bench/lib/scenario-tasks.ts).
 */
export const NORMALISED_MARK = '(normalised)';

/**
 * `no evidence`: fewer than two usable samples on a side; reported, and
 * failing when no task has any evidence. `not gated`: the benchmark marks the
 * task as too brief to time (`ungated`, in either file); its change is shown
 * and never fails the gate.
 */
export type BenchVerdict = 'faster' | 'slower' | 'no change' | 'no evidence' | 'not gated';

export interface GateOptions {
  /** Minimum relative change of the median that counts (0.05 = 5%). */
  threshold: number;
  /** Significance level of both tests (default 0.05: 95% CI, p < 0.05). */
  alpha?: number;
  /** Seed of the bootstrap resampling (default {@link BOOTSTRAP_SEED}). */
  seed?: number;
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
}

/** Default seed of the bootstrap, so that a gate's verdict is a function of its inputs. */
export const BOOTSTRAP_SEED = 20_240_917;

export interface TaskComparison {
  name: string;
  unit: string;
  higherIsBetter: boolean;
  nBaseline: number;
  nCandidate: number;
  baselineMedian: number;
  candidateMedian: number;
  /** median(candidate) / median(baseline). */
  ratio: number;
  /** Bootstrap CI of the ratio at 1 − α (95%), for the report. */
  ratioLo: number;
  ratioHi: number;
  /** The one-sided 1 − α bound on the worse side (the near end of the 1 − 2α interval): what the verdict tests. */
  worstBound: number;
  /** Two-sided Mann–Whitney p-value. */
  p: number;
  /** ratio − 1: the relative change of the median, signed as the raw figure moved. */
  change: number;
  /** True when the change is for the worse in the task's direction. */
  worse: boolean;
  /** The 95% CI excludes 1 and Mann–Whitney p < α: different, by however little. */
  significant: boolean;
  /** Significantly beyond the threshold (the verdict's test). */
  beyondThreshold: boolean;
  verdict: BenchVerdict;
  /** Why the verdict, in a few words. */
  reason: string;
}

export interface BenchComparison {
  kind: 'bench';
  threshold: number;
  tasks: TaskComparison[];
  /** Tasks in one file only, or not comparable (units differ); listed, never failed on. */
  notes: string[];
  /** True when any task is slower, or when no task had samples enough to test (`noEvidence`). */
  failed: boolean;
  noEvidence: boolean;
}

/** Compares one task's samples (same name, unit and direction in both files). */
export function compareTask(
  baseline: BenchTask,
  candidate: BenchTask,
  opts: GateOptions,
  index = 0,
): TaskComparison {
  const alpha = opts.alpha ?? 0.05;
  const base = baseline.samples.filter((x) => !Number.isNaN(x));
  const cand = candidate.samples.filter((x) => !Number.isNaN(x));
  const boot = (level: number): ReturnType<typeof bootstrapRatioOfMediansCI> =>
    bootstrapRatioOfMediansCI(base, cand, {
      seed: (opts.seed ?? BOOTSTRAP_SEED) + index,
      level,
      ...(opts.resamples !== undefined ? { resamples: opts.resamples } : {}),
    });
  const ci = boot(1 - alpha);
  const oneSided = boot(1 - 2 * alpha);
  const mw = mannWhitneyU(cand, base);
  const ratio = ci.ratio;
  const change = ratio - 1;
  const worse = baseline.higherIsBetter ? ratio < 1 : ratio > 1;
  const measurable = base.length >= 2 && cand.length >= 2 && Number.isFinite(ratio);
  const mwSignificant = mw.pTwoSided < alpha;
  const significant = measurable && (ci.lo > 1 || ci.hi < 1) && mwSignificant;
  // The bound nearest to 1 on the side the ratio moved: beyond 1 ± θ means beyond the threshold with 95% confidence.
  const nearBound = ratio < 1 ? oneSided.hi : oneSided.lo;
  const beyondThreshold =
    measurable && mwSignificant && (ratio < 1 ? nearBound < 1 - opts.threshold : nearBound > 1 + opts.threshold);
  let verdict: BenchVerdict = 'no change';
  let reason: string;
  const ungated = candidate.ungated ?? baseline.ungated;
  if (ungated !== undefined) {
    verdict = 'not gated';
    reason = `not gated: ${ungated}`;
  } else if (!measurable) {
    verdict = 'no evidence';
    reason = `too few samples to test (${base.length} baseline, ${cand.length} candidate)`;
  }
  else if (beyondThreshold) {
    verdict = worse ? 'slower' : 'faster';
    reason = `beyond ±${pct(opts.threshold)} (95% one-sided)`;
  } else if (significant) reason = `significant, not beyond ±${pct(opts.threshold)}`;
  else reason = 'not significant';
  return {
    name: baseline.name,
    unit: baseline.unit,
    higherIsBetter: baseline.higherIsBetter,
    nBaseline: base.length,
    nCandidate: cand.length,
    baselineMedian: median(base),
    candidateMedian: median(cand),
    ratio,
    ratioLo: ci.lo,
    ratioHi: ci.hi,
    worstBound: nearBound,
    p: mw.pTwoSided,
    change,
    worse,
    significant,
    beyondThreshold,
    verdict,
    reason,
  };
}

/**
 * Compares every task the two files share, in the candidate's order;
 * `only` keeps the tasks whose name it matches (e.g. the normalised twins).
 */
export function compareBench(
  baseline: readonly BenchTask[],
  candidate: readonly BenchTask[],
  opts: GateOptions & { only?: RegExp },
): BenchComparison {
  const keep = (t: BenchTask): boolean => opts.only === undefined || opts.only.test(t.name);
  const byName = new Map(baseline.filter(keep).map((t) => [t.name, t]));
  const tasks: TaskComparison[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const cand of candidate.filter(keep)) {
    seen.add(cand.name);
    const base = byName.get(cand.name);
    if (base === undefined) {
      notes.push(`'${cand.name}' is new (not in the baseline): not compared`);
      continue;
    }
    if (base.unit !== cand.unit || base.higherIsBetter !== cand.higherIsBetter) {
      notes.push(
        `'${cand.name}': baseline is in ${base.unit}${base.higherIsBetter ? '' : ' (lower is better)'}, ` +
          `candidate in ${cand.unit}${cand.higherIsBetter ? '' : ' (lower is better)'}: not compared`,
      );
      continue;
    }
    tasks.push(compareTask(base, cand, opts, tasks.length));
  }
  for (const name of byName.keys()) {
    if (!seen.has(name)) notes.push(`'${name}' is missing from the candidate: not compared`);
  }
  // A gate must not pass on no evidence: when no task could be tested, nothing says the candidate is not slower.
  const untested = tasks.filter((t) => t.verdict === 'no evidence');
  for (const t of untested) notes.push(`'${t.name}': ${t.reason}: not tested`);
  const noEvidence = tasks.length > 0 && untested.length === tasks.length;
  return { kind: 'bench', threshold: opts.threshold, tasks, notes, failed: noEvidence || tasks.some((t) => t.verdict === 'slower'), noEvidence };
}

function pct(x: number): string {
  return `${Number((x * 100).toPrecision(3))}%`;
}
