import { Stream } from '../engine/rng.js';
import { normalQuantile } from '../engine/distributions.js';

/**
 * Statistics for replications, studies and regression gates: sample moments,
 * quantiles, Student's t, confidence intervals, a seeded bootstrap and the
 * Mann–Whitney U test. Pure functions; empty input gives NaN rather than a throw
 * so that a missing metric shows up in the report instead of aborting it.
 */

// ---------------------------------------------------------------------------
// Moments and quantiles

/** Arithmetic mean, Σx / n. NaN when empty. */
export function mean(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i]!;
  return s / n;
}

/**
 * Sample variance with Bessel's correction, Σ(x − x̄)² / (n − 1), computed in
 * two passes with the corrected two-pass formula (Chan, Golub & LeVeque 1983)
 * to avoid cancellation. NaN when n < 2.
 */
export function variance(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return NaN;
  const m = mean(xs);
  let ss = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i]! - m;
    ss += d * d;
    s += d;
  }
  return Math.max(0, (ss - (s * s) / n) / (n - 1));
}

/** Sample standard deviation, √variance. NaN when n < 2. */
export function stdev(xs: ArrayLike<number>): number {
  return Math.sqrt(variance(xs));
}

/**
 * The 1-based rank of the "lower" nearest-rank quantile: ⌈q·n⌉ clamped to
 * [1, n] (Hyndman & Fan 1996, definition 1). q·n is shrunk by 1e-15 relative
 * before the ceiling so that a product such as 0.99 · 200000, which rounds to
 * 198000.00000000003 in binary, still gives rank 198000.
 */
export function nearestRank(q: number, n: number): number {
  const r = Math.ceil(q * n * (1 - 1e-15));
  return r < 1 ? 1 : r > n ? n : r;
}

/**
 * Lower nearest-rank quantile of ascending data: the smallest x with at least
 * ⌈q·n⌉ values ≤ x (Hyndman & Fan definition 1; the definition the latency
 * histogram uses). NaN when empty.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  return sorted[nearestRank(q, n) - 1]!;
}

/** Median: the middle value, or the mean of the two middle values when n is even. NaN when empty. */
export function median(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  return medianSorted(s);
}

/** Median of ascending data (see `median`). */
export function medianSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = n >> 1;
  return n % 2 === 1 ? sorted[h]! : (sorted[h - 1]! + sorted[h]!) / 2;
}

// ---------------------------------------------------------------------------
// Special functions

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const TINY = 1e-300;
const EPS = 1e-15;

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; about 15 significant digits). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Regularized upper incomplete gamma Q(a, x), by the series for x < a + 1 and
 * Lentz's continued fraction otherwise (Numerical Recipes, 3rd ed., §6.2).
 */
function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const front = Math.exp(-x + a * Math.log(x) - lnGamma(a));
  if (x < a + 1) {
    let ap = a;
    let del = 1 / a;
    let sum = del;
    for (let i = 0; i < 10000; i++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * EPS) break;
    }
    return 1 - sum * front;
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return front * h;
}

/** Complementary error function, erfc(x) = Q(½, x²) for x ≥ 0 (relative error ~1e-15). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  return x >= 0 ? gammaQ(0.5, x * x) : 2 - gammaQ(0.5, x * x);
}

/** Standard normal CDF Φ(z) = ½ erfc(−z/√2), accurate in both tails. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * Standard normal quantile: Acklam's approximation (relative error 1.15e-9)
 * polished by one Halley step on Φ (Acklam's own refinement), which brings it
 * to about machine precision.
 */
export function normalQuantileExact(p: number): number {
  const x = normalQuantile(p);
  if (!Number.isFinite(x)) return x;
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/**
 * Lentz continued fraction for the regularized incomplete beta (Numerical
 * Recipes, 3rd ed., §6.4, `betacf`).
 */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 100000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b), given x and its complement xc = 1 − x
 * separately so that values of x close to 1 keep their precision (NR §6.4).
 */
function betaI(a: number, b: number, x: number, xc: number): number {
  if (x <= 0) return 0;
  if (xc <= 0) return 1;
  const front = Math.exp(
    lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(xc),
  );
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, xc)) / b;
}

// ---------------------------------------------------------------------------
// Student's t

/** df above which the Cornish–Fisher expansion is used (its error is then below 1e-15). */
const T_LARGE_DF = 1e5;

/** P(T > t) for t ≥ 0: ½ I_{ν/(ν+t²)}(ν/2, ½) (Abramowitz & Stegun 26.7.1). */
function tUpper(t: number, df: number): number {
  if (!Number.isFinite(df)) return normalCdf(-t);
  const t2 = t * t;
  return 0.5 * betaI(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
}

/** Density of Student's t with df degrees of freedom. */
function tDensity(t: number, df: number): number {
  return Math.exp(
    lnGamma((df + 1) / 2) -
      lnGamma(df / 2) -
      0.5 * Math.log(df * Math.PI) -
      ((df + 1) / 2) * Math.log1p((t * t) / df),
  );
}

/** Student's t CDF P(T ≤ t) with df > 0 degrees of freedom (df = Infinity: normal). */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  return t >= 0 ? 1 - tUpper(t, df) : tUpper(-t, df);
}

/**
 * Cornish–Fisher expansion of the t quantile in powers of 1/df around the
 * normal quantile z (Abramowitz & Stegun 26.7.5).
 */
function cornishFisher(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
}

/**
 * The t > 0 with P(T > t) = alpha, 0 < alpha < ½: safeguarded Newton on the
 * upper tail (derivative −density), kept inside a bracket that halves by
 * bisection whenever a Newton step would leave it.
 */
function tUpperQuantile(alpha: number, df: number): number {
  const guess = cornishFisher(-normalQuantileExact(alpha), df);
  let lo = 0;
  let hi = Math.max(1, 2 * guess);
  while (tUpper(hi, df) > alpha) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  let t = guess > lo && guess < hi ? guess : (lo + hi) / 2;
  for (let i = 0; i < 200; i++) {
    const g = tUpper(t, df) - alpha;
    if (g === 0) return t;
    if (g > 0) lo = t;
    else hi = t;
    let next = t + g / tDensity(t, df);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - t) <= 1e-14 * next) return next;
    t = next;
  }
  return t;
}

/**
 * Quantile of Student's t distribution: the t with P(T ≤ t) = p, for any
 * df > 0 (not only integers) and df = Infinity (the normal quantile).
 * df = 1 and 2 use their closed forms (Cauchy; t = (2p − 1)/√(2p(1 − p)));
 * df ≥ 1e5 the Cornish–Fisher expansion (A&S 26.7.5); otherwise the CDF
 * P(T > t) = ½ I_{ν/(ν+t²)}(ν/2, ½) is inverted by safeguarded Newton
 * iteration to ~1e-14 relative, well inside the 1e-4 of published tables.
 */
export function studentTQuantile(p: number, df: number): number {
  if (Number.isNaN(p) || Number.isNaN(df) || p < 0 || p > 1 || !(df > 0)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  const alpha = p < 0.5 ? p : 1 - p;
  const sign = p < 0.5 ? -1 : 1;
  let t: number;
  if (!Number.isFinite(df)) t = -normalQuantileExact(alpha);
  else if (df === 1) t = 1 / Math.tan(Math.PI * alpha);
  else if (df === 2) t = (1 - 2 * alpha) / Math.sqrt(2 * alpha * (1 - alpha));
  else if (df >= T_LARGE_DF) t = cornishFisher(-normalQuantileExact(alpha), df);
  else t = tUpperQuantile(alpha, df);
  return sign * t;
}

// ---------------------------------------------------------------------------
// Confidence intervals

/**
 * Two-sided t confidence interval for the mean at `level`:
 * x̄ ± t_{(1+level)/2, n−1} · s/√n (Student 1908). [x, x] for n = 1;
 * [NaN, NaN] when empty.
 */
export function meanCI(samples: ArrayLike<number>, level = 0.95): [number, number] {
  const n = samples.length;
  if (n === 0) return [NaN, NaN];
  const m = mean(samples);
  if (n === 1) return [m, m];
  const half = studentTQuantile((1 + level) / 2, n - 1) * Math.sqrt(variance(samples) / n);
  return [m - half, m + half];
}

/** 95% t confidence interval for the mean: x̄ ± t_{0.975, n−1} · s/√n; [x, x] for n = 1. */
export function ci95(samples: ArrayLike<number>): [number, number] {
  return meanCI(samples, 0.95);
}

export interface PairedDifference {
  /** Mean of a[i] − b[i]. */
  meanDiff: number;
  lo: number;
  hi: number;
  /** True when the interval excludes 0 (n ≥ 2). */
  significant: boolean;
}

/**
 * Paired-difference t interval (e.g. two configurations run on the same
 * seeds, common random numbers): d_i = a_i − b_i, d̄ ± t_{(1+level)/2, n−1} ·
 * s_d/√n (Law, "Simulation Modeling and Analysis", §10.2.1). With n = 1 the
 * interval is the single difference and is never called significant.
 */
export function pairedDifferenceCI(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  level = 0.95,
): PairedDifference {
  if (a.length !== b.length) {
    throw new RangeError(`pairedDifferenceCI: samples differ in length (${a.length} vs ${b.length})`);
  }
  const n = a.length;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = a[i]! - b[i]!;
  const meanDiff = mean(d);
  const [lo, hi] = meanCI(d, level);
  return { meanDiff, lo, hi, significant: n >= 2 && (lo > 0 || hi < 0) };
}

export interface RatioCI {
  /** median(cand) / median(base). */
  ratio: number;
  lo: number;
  hi: number;
}

export interface BootstrapOptions {
  /** Number of bootstrap resamples (default 2000). */
  resamples?: number;
  /** Seed of the resampling stream (`new Stream(seed, 0)`). */
  seed: number;
  /** Confidence level (default 0.95). */
  level?: number;
}

/**
 * Percentile-bootstrap interval for median(cand) / median(base) (Efron &
 * Tibshirani, "An Introduction to the Bootstrap", 1993, §13.3): each resample
 * draws both samples independently with replacement; the bounds are the
 * lower nearest-rank (1 − level)/2 and (1 + level)/2 quantiles of the
 * resampled ratios. Deterministic given the seed.
 */
export function bootstrapRatioOfMediansCI(
  base: ArrayLike<number>,
  cand: ArrayLike<number>,
  opts: BootstrapOptions,
): RatioCI {
  const resamples = opts.resamples ?? 2000;
  const level = opts.level ?? 0.95;
  const nb = base.length;
  const nc = cand.length;
  if (nb === 0 || nc === 0) return { ratio: NaN, lo: NaN, hi: NaN };
  const ratio = median(cand) / median(base);
  const rng = new Stream(opts.seed, 0);
  const bufB = new Float64Array(nb);
  const bufC = new Float64Array(nc);
  const ratios = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < nb; i++) bufB[i] = base[rng.int(nb)]!;
    for (let i = 0; i < nc; i++) bufC[i] = cand[rng.int(nc)]!;
    ratios[r] = medianSorted(bufC.sort()) / medianSorted(bufB.sort());
  }
  ratios.sort();
  return {
    ratio,
    lo: quantileSorted(ratios, (1 - level) / 2),
    hi: quantileSorted(ratios, (1 + level) / 2),
  };
}

// ---------------------------------------------------------------------------
// Mann–Whitney U

export interface MannWhitney {
  /** U of sample a: pairs with a_i > b_j, ties counting ½ (= R_a − n_a(n_a+1)/2). */
  u: number;
  /** Normal score of u, tie- and continuity-corrected; positive when a tends to be larger. */
  z: number;
  pTwoSided: number;
  /** 'exact' when the p-value comes from the exact null distribution (no ties, n_a + n_b ≤ 40). */
  method: 'exact' | 'normal';
}

/** Largest n_a + n_b for the exact test: C(40, 20) ≈ 1.4e11 counts stay exact in doubles. */
const MW_EXACT_MAX_N = 40;

/**
 * Mann–Whitney U test (Mann & Whitney 1947). Ranks use mid-ranks for ties.
 * The normal approximation uses mean n_a n_b / 2 and the tie-corrected variance
 * n_a n_b / 12 · ((n + 1) − Σ(t³ − t) / (n(n − 1))) with a ½ continuity
 * correction (Lehmann, "Nonparametrics", 1975, §1.4; as scipy's
 * `mannwhitneyu(..., method='asymptotic')`). Without ties and with
 * n_a + n_b ≤ 40 the two-sided p-value is exact, from the null distribution of
 * U counted by the Gaussian binomial coefficient [n choose n_a]_q.
 */
export function mannWhitneyU(a: ArrayLike<number>, b: ArrayLike<number>): MannWhitney {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0) return { u: NaN, z: NaN, pTwoSided: NaN, method: 'normal' };
  const n = na + nb;
  const vals = new Float64Array(n);
  for (let i = 0; i < na; i++) vals[i] = a[i]!;
  for (let i = 0; i < nb; i++) vals[na + i] = b[i]!;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => vals[x]! - vals[y]!);
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && vals[order[j]!] === vals[order[i]!]) j++;
    const midRank = (i + 1 + j) / 2; // mean of ranks i+1 … j
    for (let k = i; k < j; k++) if (order[k]! < na) rankSumA += midRank;
    const t = j - i;
    tieTerm += t * t * t - t;
    i = j;
  }
  const u = rankSumA - (na * (na + 1)) / 2;
  const mu = (na * nb) / 2;
  const sigma = Math.sqrt(((na * nb) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const d = u - mu;
  const z = sigma > 0 && Math.abs(d) > 0.5 ? (d - 0.5 * Math.sign(d)) / sigma : 0;
  if (tieTerm === 0 && n <= MW_EXACT_MAX_N) {
    const uLow = Math.min(u, na * nb - u);
    return { u, z, pTwoSided: Math.min(1, 2 * exactUCdf(uLow, na, nb)), method: 'exact' };
  }
  return { u, z, pTwoSided: Math.min(1, 2 * normalCdf(-Math.abs(z))), method: 'normal' };
}

/**
 * P(U ≤ k) under the null with no ties: the counts of U = 0 … m·n are the
 * coefficients of the Gaussian binomial Π_{i=1}^{m} (1 − q^{n+i}) / (1 − q^i),
 * over C(m + n, m) equally likely orderings.
 */
function exactUCdf(k: number, m: number, n: number): number {
  const top = m * n;
  const c = new Float64Array(top + 1);
  c[0] = 1;
  for (let i = 1; i <= m; i++) {
    const up = n + i;
    for (let j = top; j >= up; j--) c[j] = c[j]! - c[j - up]!;
    for (let j = i; j <= top; j++) c[j] = c[j]! + c[j - i]!;
  }
  let total = 0;
  let below = 0;
  for (let j = 0; j <= top; j++) {
    total += c[j]!;
    if (j <= k) below += c[j]!;
  }
  return below / total;
}
