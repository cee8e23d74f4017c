/**
 * Monotone regression of a probed curve (p99 against load), so that the
 * point estimate of a limit does not trust any single noisy probe: the
 * pool-adjacent-violators algorithm (Ayer et al. 1955; Barlow et al.,
 * "Statistical Inference under Order Restrictions", 1972) gives the weighted
 * least-squares non-decreasing fit in O(n).
 */

/** Weighted least-squares non-decreasing fit of `ys` (in the order given). */
export function isotonicFit(ys: readonly number[], weights: readonly number[]): number[] {
  const n = ys.length;
  // Blocks on a stack: mean, weight, number of points.
  const mean: number[] = [];
  const weight: number[] = [];
  const size: number[] = [];
  for (let i = 0; i < n; i++) {
    let m = ys[i]!;
    let w = weights[i]!;
    let k = 1;
    while (mean.length > 0 && mean[mean.length - 1]! > m) {
      const pm = mean.pop()!;
      const pw = weight.pop()!;
      const pk = size.pop()!;
      // An infinite value (nothing delivered) absorbs whatever it pools with.
      m = Number.isFinite(pm) && Number.isFinite(m) ? (pm * pw + m * w) / (pw + w) : Math.max(pm, m);
      w += pw;
      k += pk;
    }
    mean.push(m);
    weight.push(w);
    size.push(k);
  }
  const out: number[] = [];
  for (let b = 0; b < mean.length; b++) for (let k = 0; k < size[b]!; k++) out.push(mean[b]!);
  return out;
}

/**
 * Where a non-decreasing fitted curve through (xs[i], fit[i]) first rises above
 * `target`: linear interpolation between the last point at or below it and
 * the first above. `below` when every point is above (the crossing lies under
 * the first x), `above` when none is.
 */
export function crossing(xs: readonly number[], fit: readonly number[], target: number): { x: number } | 'below' | 'above' {
  const i = fit.findIndex((y) => y > target);
  if (i < 0) return 'above';
  if (i === 0) return 'below';
  const x0 = xs[i - 1]!;
  const x1 = xs[i]!;
  const y0 = fit[i - 1]!;
  const y1 = fit[i]!;
  if (!Number.isFinite(y1)) return { x: x0 + (x1 - x0) / 2 };
  return { x: x0 + ((target - y0) / (y1 - y0)) * (x1 - x0) };
}
