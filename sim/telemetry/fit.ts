/**
 * Fitting a sample (service times, gaps, sizes) to a distribution. Each of
 * exp, lognormal, gamma and weibull is fitted by maximum likelihood; the one
 * with the lowest AIC (2k − 2 ln L: the likelihood, penalised by its number
 * of parameters) is chosen (the exponential kept over gamma and weibull, which
 * nest it, unless a likelihood-ratio test rejects it at 1%), then checked by its Kolmogorov–Smirnov distance D
 * to the sample: it is kept when D is below the 1% critical value
 * 1.63/√n, else the sample's own quantiles are used (empirical). The KS
 * critical value assumes known parameters; with fitted ones the real critical
 * value is smaller (Lilliefors), so the check is lenient — it catches the
 * wrong shape, not small misfits.
 */
import { gammaln } from 'simple-statistics';
import { gamma as gammaFn } from '../engine/index.js';
import type { DistSpec } from '../engine/index.js';

export type Family = 'exp' | 'lognormal' | 'gamma' | 'weibull';
export const FAMILIES: readonly Family[] = ['exp', 'lognormal', 'gamma', 'weibull'];

export interface FamilyFit {
  family: Family;
  /** exp: [mean]; lognormal: [mu, sigma]; gamma: [shape k, scale θ]; weibull: [shape k, scale λ]. */
  params: number[];
  aic: number;
  /** Kolmogorov–Smirnov distance to the sample. */
  ks: number;
}

export interface Fit {
  n: number;
  mean: number;
  /** The chosen family, or 'empirical' when none passes the KS check (or the sample is too small or not positive). */
  chosen: Family | 'empirical' | 'const';
  /** Every family's fit, best AIC first (empty when not fitted). */
  fits: FamilyFit[];
  /** KS critical value at 1%: 1.63/√n. */
  ksCritical: number;
  /** Why the sample is written as it is, when not a fitted family. */
  reason: string;
  /** The scenario distribution to write (values in the sample's unit). */
  spec: DistSpec;
}

/** Below this many values no family is fitted: too few to tell shapes apart. */
export const MIN_FIT = 30;
/** At most this many values are fitted (a deterministic stride sample beyond): fitting costs O(n) per Newton step. */
export const MAX_FIT = 20_000;
/**
 * Quantiles written for an empirical distribution (every value of a smaller
 * sample). The engine draws one of them uniformly, so the model's tail is
 * only as fine as 1 / EMPIRICAL_POINTS: with 100 points its p99 landed on the
 * top one, the sample's 99.5th percentile — 45% above the traced p99 on
 * Pareto own times (α 1.8). With 1,000 it lies between the sample's 98.95th
 * and 99.05th percentiles.
 */
export const EMPIRICAL_POINTS = 1000;
const KS_1PCT = 1.63;

/** A sample whose range is within this share of its mean is written as a constant. */
export const NEAR_CONST = 1e-3;

export function fitSample(sample: readonly number[]): Fit {
  const all = sample.filter((x) => Number.isFinite(x));
  const n = all.length;
  const mean = n === 0 ? 0 : all.reduce((a, b) => a + b, 0) / n;
  const ksCritical = n === 0 ? 1 : KS_1PCT / Math.sqrt(n);
  const base = { n, mean, ksCritical, fits: [] as FamilyFit[] };
  if (n === 0) return { ...base, chosen: 'const', reason: 'no values', spec: { dist: 'const', value: 0 } };
  const sorted = Float64Array.from(all).sort();
  if (sorted[n - 1]! === sorted[0]!) return { ...base, chosen: 'const', reason: 'every value the same', spec: { dist: 'const', value: sorted[0]! } };
  // Values a hair apart (a fixed delay and timestamps' rounding): no family fits so narrow a spread, and it is a constant.
  if (mean > 0 && sorted[n - 1]! - sorted[0]! <= NEAR_CONST * mean) {
    return { ...base, chosen: 'const', reason: `every value within ${NEAR_CONST * 100}% of the mean`, spec: { dist: 'const', value: mean } };
  }
  const positive = sorted.filter((x) => x > 0);
  if (n < MIN_FIT) return { ...base, chosen: 'empirical', reason: `only ${n} values (fewer than ${MIN_FIT})`, spec: empirical(sorted) };
  if (positive.length < n * 0.99) {
    return { ...base, chosen: 'empirical', reason: `${n - positive.length} of ${n} values are 0`, spec: empirical(sorted) };
  }
  const xs = stride(positive, MAX_FIT);
  const fits = FAMILIES.map((f) => fitFamily(f, xs)).filter((f): f is FamilyFit => f !== null);
  fits.sort((a, b) => a.aic - b.aic);
  keepExpWhenNested(fits);
  const best = fits[0];
  const crit = KS_1PCT / Math.sqrt(xs.length);
  if (best === undefined || best.ks > crit) {
    const why = best === undefined ? 'no family could be fitted' : `best AIC ${best.family} has KS D=${best.ks.toFixed(3)} > ${crit.toFixed(3)}`;
    return { ...base, ksCritical: crit, fits, chosen: 'empirical', reason: why, spec: empirical(sorted) };
  }
  const spec = toSpec(best, sorted);
  if (!representable(spec)) {
    return { ...base, ksCritical: crit, fits, chosen: 'empirical', reason: `the ${best.family} fit is beyond what a scenario takes (SPEC §4.1)`, spec: empirical(sorted) };
  }
  return { ...base, ksCritical: crit, fits, chosen: best.family, reason: '', spec };
}

/**
 * The exponential is gamma and weibull with shape 1: when one of them wins on
 * AIC but its likelihood is not significantly above the exponential's (the
 * likelihood-ratio test of nested models, 2ΔlnL < 6.63, the 1% point of χ²
 * with 1 degree of freedom), the exponential is kept. AIC alone would pick
 * the larger model in about 16% of exponential samples (P(χ²₁ > 2)).
 */
function keepExpWhenNested(fits: FamilyFit[]): void {
  const best = fits[0];
  const i = fits.findIndex((f) => f.family === 'exp');
  if (best === undefined || i <= 0 || (best.family !== 'gamma' && best.family !== 'weibull')) return;
  const lr = fits[i]!.aic - 2 - (best.aic - 4);
  if (lr < LR_1PCT_1DF) fits.unshift(...fits.splice(i, 1));
}

const LR_1PCT_1DF = 6.63;

/** The scenario distribution of a fit; gamma has no scenario form, so it is written as the sample's quantiles. */
function toSpec(f: FamilyFit, sorted: Float64Array): DistSpec {
  const [a, b] = [f.params[0]!, f.params[1] ?? 0];
  switch (f.family) {
    case 'exp':
      return { dist: 'exp', mean: a };
    case 'lognormal':
      return { dist: 'lognormal', mean: Math.exp(a + (b * b) / 2), cv: Math.sqrt(Math.expm1(b * b)) };
    case 'weibull':
      return { dist: 'weibull', mean: b * gammaFn(1 + 1 / a), shape: a };
    case 'gamma':
      return empirical(sorted);
  }
}

/** Within the scenario ranges of SPEC §4.1 (lognormal cv ≤ 100, weibull shape ≥ 0.05). */
function representable(d: DistSpec): boolean {
  if (d.dist === 'lognormal') return d.cv <= 100 && Number.isFinite(d.mean);
  if (d.dist === 'weibull') return d.shape >= 0.05 && d.shape <= 1000 && Number.isFinite(d.mean);
  return true;
}

/** The sample's quantiles at (i + 0.5)/K: the engine draws one of them uniformly. */
export function empirical(sorted: Float64Array): DistSpec {
  const k = Math.min(EMPIRICAL_POINTS, sorted.length);
  const values: number[] = [];
  for (let i = 0; i < k; i++) values.push(sorted[Math.min(sorted.length - 1, Math.floor(((i + 0.5) / k) * sorted.length))]!);
  return { dist: 'empirical', values };
}

function stride(sorted: Float64Array, max: number): Float64Array {
  if (sorted.length <= max) return sorted;
  const out = new Float64Array(max);
  for (let i = 0; i < max; i++) out[i] = sorted[Math.floor(((i + 0.5) / max) * sorted.length)]!;
  return out;
}

/** One family's maximum-likelihood fit to sorted positive values, with AIC and KS distance. */
export function fitFamily(family: Family, xs: Float64Array): FamilyFit | null {
  const n = xs.length;
  let sum = 0;
  let sumLog = 0;
  for (const x of xs) {
    sum += x;
    sumLog += Math.log(x);
  }
  const mean = sum / n;
  const meanLog = sumLog / n;
  let params: number[];
  let ll: number;
  let cdf: (x: number) => number;
  switch (family) {
    case 'exp':
      params = [mean];
      ll = -n * Math.log(mean) - n;
      cdf = (x) => 1 - Math.exp(-x / mean);
      break;
    case 'lognormal': {
      let ss = 0;
      for (const x of xs) ss += (Math.log(x) - meanLog) ** 2;
      const s = Math.sqrt(ss / n);
      if (!(s > 0)) return null;
      params = [meanLog, s];
      ll = -sumLog - n * Math.log(s) - (n / 2) * Math.log(2 * Math.PI) - n / 2;
      cdf = (x) => normalCdf((Math.log(x) - meanLog) / s);
      break;
    }
    case 'gamma': {
      const k = gammaShape(Math.log(mean) - meanLog);
      if (!(k > 0) || !Number.isFinite(k)) return null;
      const theta = mean / k;
      params = [k, theta];
      ll = (k - 1) * sumLog - sum / theta - n * (k * Math.log(theta) + gammaln(k));
      cdf = (x) => gammaP(k, x / theta);
      break;
    }
    case 'weibull': {
      const k = weibullShape(xs, meanLog);
      if (!(k > 0) || !Number.isFinite(k)) return null;
      let sk = 0;
      for (const x of xs) sk += x ** k;
      const lambda = (sk / n) ** (1 / k);
      params = [k, lambda];
      ll = n * Math.log(k) - n * k * Math.log(lambda) + (k - 1) * sumLog - n;
      cdf = (x) => 1 - Math.exp(-((x / lambda) ** k));
      break;
    }
  }
  if (!Number.isFinite(ll)) return null;
  return { family, params, aic: 2 * params.length - 2 * ll, ks: ksDistance(xs, cdf) };
}

/** max |F_n(x) − F(x)| over the sorted sample. */
export function ksDistance(sorted: Float64Array | readonly number[], cdf: (x: number) => number): number {
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}

/** Gamma shape from s = ln(mean) − mean(ln x): Minka's closed-form start, then Newton on ln k − ψ(k) = s. */
function gammaShape(s: number): number {
  if (!(s > 0)) return NaN;
  let k = (3 - s + Math.sqrt((s - 3) ** 2 + 24 * s)) / (12 * s);
  for (let i = 0; i < 20; i++) {
    const step = (Math.log(k) - digamma(k) - s) / (1 / k - trigamma(k));
    const next = k - step;
    k = next > 0 ? next : k / 2;
    if (Math.abs(step) < 1e-10 * k) break;
  }
  return k;
}

/** Weibull shape: Newton on Σx^k ln x / Σx^k − 1/k − mean(ln x) = 0, from the moment guess 1.2/CV of ln x. */
function weibullShape(xs: Float64Array, meanLog: number): number {
  // Start: the shape whose log-variance matches, π/(σ_ln·√6) ≈ 1.28/σ_ln; 1.2 errs low, where Newton is safe.
  let v = 0;
  for (const x of xs) v += (Math.log(x) - meanLog) ** 2;
  let k = 1.2 / Math.sqrt(v / xs.length);
  // Scale the values first so that x^k neither overflows nor underflows.
  const scale = Math.exp(meanLog);
  for (let i = 0; i < 50; i++) {
    let a = 0;
    let b = 0;
    let c = 0;
    for (const x of xs) {
      const l = Math.log(x / scale);
      const p = Math.exp(k * l);
      a += p;
      b += p * l;
      c += p * l * l;
    }
    // The scaled values' mean log is 0, so the equation's last term drops out.
    const f = b / a - 1 / k;
    const df = (c * a - b * b) / (a * a) + 1 / (k * k);
    const next = k - f / df;
    const done = Math.abs(next - k) < 1e-10 * k;
    k = next > 0 ? next : k / 2;
    if (done) break;
  }
  return k;
}

function digamma(x: number): number {
  let r = 0;
  while (x < 6) {
    r -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  return r + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}

function trigamma(x: number): number {
  let r = 0;
  while (x < 6) {
    r += 1 / (x * x);
    x += 1;
  }
  const f = 1 / (x * x);
  return r + 1 / x + f / 2 + (f / x) * (1 / 6 - f * (1 / 30 - f * (1 / 42 - f / 30)));
}

/** Regularised lower incomplete gamma P(a, x) (series below a + 1, continued fraction above; Numerical Recipes §6.2). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lnPre = a * Math.log(x) - x - gammaln(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 500; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-14) break;
    }
    return Math.min(1, sum * Math.exp(lnPre));
  }
  let b = x + 1 - a;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-14) break;
  }
  return Math.max(0, 1 - Math.exp(lnPre) * h);
}

function normalCdf(z: number): number {
  // Φ(z) = erfc(−z/√2)/2, erfc by the Numerical Recipes Chebyshev fit (|error| < 1.2e-7).
  const x = -z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y =
    t *
    Math.exp(
      -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return (x >= 0 ? y : 2 - y) / 2;
}

