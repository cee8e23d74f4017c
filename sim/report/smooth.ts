/**
 * Smoothing of per-interval utilisation for charts. The model splits each
 * service's busy time over the intervals it spans, but a service still in
 * progress at an interval's end is booked when it ends, so short intervals
 * flicker around the load. A centred moving average over a window of at
 * least 1 s (and at least 5% of the run) shows the load itself; values are
 * capped at 100%.
 */

/** Window of the moving average, in intervals. */
export function smoothingWindow(bucketMs: number, durationMs: number): number {
  if (!(bucketMs > 0)) return 1;
  return Math.max(1, Math.round(Math.max(1000, durationMs / 20) / bucketMs));
}

/** Centred moving average over `w` values (fewer at the ends), capped at `cap`. */
export function movingAverage(values: readonly number[], w: number, cap = 1): number[] {
  const before = Math.floor((w - 1) / 2);
  const after = w - 1 - before;
  const prefix = [0];
  for (const v of values) prefix.push(prefix[prefix.length - 1]! + v);
  return values.map((_, i) => {
    const lo = Math.max(0, i - before);
    const hi = Math.min(values.length, i + after + 1);
    return Math.min(cap, (prefix[hi]! - prefix[lo]!) / (hi - lo));
  });
}
