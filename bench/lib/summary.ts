import { median, quantileSorted } from '../../sim/metrics/stats.js';

/**
 * Order statistics of a benchmark task's samples, with the project's own
 * definitions (sim/metrics/stats.ts): the median averages the two middle
 * values of an even count; the quartiles are lower nearest-rank quantiles
 * (Hyndman & Fan definition 1), so each is one of the samples.
 */

/** Location and spread of one task's samples, in the samples' own unit. */
export interface Summary {
  /** Number of samples. */
  n: number;
  min: number;
  p25: number;
  median: number;
  p75: number;
  max: number;
}

/** Summarises samples in any order; an empty array gives NaN everywhere and n = 0. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  return {
    n,
    min: n > 0 ? sorted[0]! : NaN,
    p25: quantileSorted(sorted, 0.25),
    median: median(sorted),
    p75: quantileSorted(sorted, 0.75),
    max: n > 0 ? sorted[n - 1]! : NaN,
  };
}
