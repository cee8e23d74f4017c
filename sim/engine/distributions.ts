import type { Uniform } from './rng.js';

/**
 * The distributions of SPEC §4, compiled to one monomorphic sampler class so
 * that the hot path calls a single shape (`Sampler.draw`, which leaves the
 * sample in `value` rather than boxing a returned double) whatever the
 * distribution. Samples are inverse transforms of one uniform draw, except the
 * exponential, which uses the ziggurat method (twice as fast as a logarithm,
 * and the most drawn distribution of all).
 */

/** A distribution as the scenario states it, after units are resolved. */
export type DistSpec =
  | { dist: 'const'; value: number }
  | { dist: 'exp'; mean: number }
  | { dist: 'lognormal'; mean: number; cv: number }
  | { dist: 'pareto'; mean: number; alpha: number }
  | { dist: 'weibull'; mean: number; shape: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'empirical'; values: number[] };

const enum Kind {
  Const,
  Exp,
  Lognormal,
  Pareto,
  Weibull,
  Uniform,
  Empirical,
}

export class Sampler {
  private readonly kind: Kind;
  /** Parameters; meaning depends on `kind` (see the constructor). */
  private readonly p0: number;
  private readonly p1: number;
  private readonly values: Float64Array;
  /** Analytic mean and variance (Infinity where undefined). */
  readonly mean: number;
  readonly variance: number;
  /**
   * The last sample `draw` made. A double field is written in place, where
   * a double returned from a call V8 does not inline is a new heap number
   * (see `draw`).
   */
  value = NaN;

  constructor(spec: DistSpec) {
    let p0 = 0;
    let p1 = 0;
    let values = EMPTY;
    let mean: number;
    let variance: number;
    switch (spec.dist) {
      case 'const':
        this.kind = Kind.Const;
        p0 = spec.value;
        mean = spec.value;
        variance = 0;
        break;
      case 'exp':
        this.kind = Kind.Exp;
        p0 = spec.mean;
        mean = spec.mean;
        variance = spec.mean * spec.mean;
        break;
      case 'lognormal': {
        // E[X] = exp(mu + s²/2), CV² = exp(s²) − 1.
        this.kind = Kind.Lognormal;
        const s2 = Math.log(1 + spec.cv * spec.cv);
        p0 = Math.log(spec.mean) - s2 / 2;
        p1 = Math.sqrt(s2);
        mean = spec.mean;
        variance = (spec.cv * spec.mean) ** 2;
        break;
      }
      case 'pareto': {
        // Type I with scale xm = mean (alpha − 1) / alpha, so E[X] = mean.
        this.kind = Kind.Pareto;
        const a = spec.alpha;
        p0 = (spec.mean * (a - 1)) / a;
        p1 = -1 / a;
        mean = spec.mean;
        variance = a > 2 ? (p0 * p0 * a) / ((a - 1) * (a - 1) * (a - 2)) : Infinity;
        break;
      }
      case 'weibull': {
        // Scale lambda = mean / Γ(1 + 1/k).
        this.kind = Kind.Weibull;
        const k = spec.shape;
        const g1 = gamma(1 + 1 / k);
        p0 = spec.mean / g1;
        p1 = 1 / k;
        mean = spec.mean;
        variance = p0 * p0 * (gamma(1 + 2 / k) - g1 * g1);
        break;
      }
      case 'uniform':
        this.kind = Kind.Uniform;
        p0 = spec.min;
        p1 = spec.max - spec.min;
        mean = (spec.min + spec.max) / 2;
        variance = (p1 * p1) / 12;
        break;
      case 'empirical': {
        this.kind = Kind.Empirical;
        values = Float64Array.from(spec.values);
        let sum = 0;
        for (const v of values) sum += v;
        mean = sum / values.length;
        let ss = 0;
        for (const v of values) ss += (v - mean) ** 2;
        variance = ss / values.length;
        break;
      }
    }
    this.p0 = p0;
    this.p1 = p1;
    this.values = values;
    this.mean = mean;
    this.variance = variance;
  }

  /** True when the sampler's internal parameters are finite numbers (see `unrepresentable`). */
  get parametersFinite(): boolean {
    return Number.isFinite(this.p0) && Number.isFinite(this.p1) && !(this.kind === Kind.Weibull && this.p0 === 0 && this.mean > 0);
  }

  /** True when every sample is the same number. */
  get isConstant(): boolean {
    return this.kind === Kind.Const;
  }

  /** One sample, from one uniform draw. */
  sample(rng: Uniform): number {
    this.draw(rng);
    return this.value;
  }

  /**
   * One sample, from one uniform draw, into `value`: the hot path's form.
   * A double returned from a call V8 does not inline is a new heap number;
   * the hot path draws two or three per event, and that garbage sweeping
   * through the caches cost p2p-10k several per cent. The kinds drawn most
   * (service and relay times, link latencies) are computed here, the others
   * out of line, so that the body stays small enough to inline.
   */
  draw(rng: Uniform): void {
    const kind = this.kind;
    if (kind === Kind.Exp) {
      // The ziggurat's first try, accepted 98.9% of the time, here: a double
      // returned from a call V8 does not inline is a heap number.
      const jz = rng.nextUint32();
      const iz = jz & 255;
      let x: number;
      if (jz < ZIG_KE[iz]!) x = jz * ZIG_WE[iz]!;
      else {
        // Rejected at once (1.1%): the rest out of line. jz passes as an
        // int32 (as a uint32 past 2^31 it would be boxed) and the sample
        // comes back through OUT, as a returned double would be boxed too.
        expZigguratOn(rng, jz | 0);
        x = OUT[0]!;
      }
      this.value = this.p0 * x;
    }
    else if (kind === Kind.Lognormal) this.value = Math.exp(this.p0 + this.p1 * normalQuantile(rng.next()));
    else if (kind === Kind.Const) this.value = this.p0;
    else this.value = this.sampleOther(rng);
  }

  /** `sample` for the kinds it does not compute itself. */
  private sampleOther(rng: Uniform): number {
    switch (this.kind) {
      case Kind.Pareto:
        return this.p0 * Math.pow(1 - rng.next(), this.p1);
      case Kind.Weibull:
        return this.p0 * Math.pow(-Math.log(1 - rng.next()), this.p1);
      case Kind.Uniform:
        return this.p0 + this.p1 * rng.next();
      default: // Kind.Empirical
        return this.values[Math.floor(rng.next() * this.values.length)]!;
    }
  }
}

const EMPTY = new Float64Array(0);

/**
 * Why a distribution cannot be sampled faithfully in doubles — a mean,
 * variance or sampler parameter that overflows or is undefined — or null
 * when it can. An infinite variance is a property of the distribution
 * (Pareto with alpha ≤ 2), not an overflow, and is allowed.
 */
export function unrepresentable(spec: DistSpec): string | null {
  const s = new Sampler(spec);
  if (!Number.isFinite(s.mean)) return `has a mean too large to represent (${s.mean})`;
  if (Number.isNaN(s.variance)) return 'has an undefined variance in double precision';
  const heavyTail = spec.dist === 'pareto' && spec.alpha <= 2;
  if (!heavyTail && !Number.isFinite(s.variance)) return 'has a variance too large to represent';
  if (!s.parametersFinite) return 'needs sampler parameters too large to represent';
  return null;
}

// Ziggurat tables for Exp(1) (Marsaglia & Tsang 2000, "The ziggurat method
// for generating random variables", 256 layers): layer i accepts jz·we[i]
// at once when jz < ke[i], which happens ~98.9% of the time.
const ZIG_R = 7.697117470131487;
const ZIG_V = 3.949659822581572e-3;
const ZIG_KE = new Uint32Array(256);
const ZIG_WE = new Float64Array(256);
const ZIG_FE = new Float64Array(256);
{
  const m2 = 4294967296;
  let de = ZIG_R;
  let te = de;
  const q = ZIG_V / Math.exp(-de);
  ZIG_KE[0] = Math.floor((de / q) * m2);
  ZIG_KE[1] = 0;
  ZIG_WE[0] = q / m2;
  ZIG_WE[255] = de / m2;
  ZIG_FE[0] = 1;
  ZIG_FE[255] = Math.exp(-de);
  for (let i = 254; i >= 1; i--) {
    de = -Math.log(ZIG_V / de + Math.exp(-de));
    ZIG_KE[i + 1] = Math.floor((de / te) * m2);
    te = de;
    ZIG_FE[i] = Math.exp(-de);
    ZIG_WE[i] = de / m2;
  }
}

/**
 * Where the out-of-line parts of the samplers leave their result (and take
 * their argument): a double passed to or returned from a call V8 does not
 * inline is boxed in a new heap number, and the draws run several times an
 * event. Read it at once: the next such call overwrites it.
 */
const OUT = new Float64Array(1);

/**
 * `expZiggurat` once its first try `jz` (as an int32) was not accepted at
 * once: the rest of that try, then on; the sample into OUT[0].
 */
function expZigguratOn(rng: Uniform, jz32: number): void {
  const jz = jz32 >>> 0;
  const iz = jz & 255;
  if (iz === 0) {
    OUT[0] = ZIG_R - Math.log(1 - rng.next());
    return;
  }
  const x = jz * ZIG_WE[iz]!;
  OUT[0] = ZIG_FE[iz]! + rng.next() * (ZIG_FE[iz - 1]! - ZIG_FE[iz]!) < Math.exp(-x) ? x : expZiggurat(rng);
}

/** One Exp(1) sample by the ziggurat method. */
export function expZiggurat(rng: Uniform): number {
  for (;;) {
    const jz = rng.nextUint32();
    const iz = jz & 255;
    if (jz < ZIG_KE[iz]!) return jz * ZIG_WE[iz]!;
    // The base strip: the tail beyond R is R + Exp(1).
    if (iz === 0) return ZIG_R - Math.log(1 - rng.next());
    const x = jz * ZIG_WE[iz]!;
    if (ZIG_FE[iz]! + rng.next() * (ZIG_FE[iz - 1]! - ZIG_FE[iz]!) < Math.exp(-x)) return x;
  }
}

/** Where Acklam's approximation switches from its central to its tail formula. */
const P_LOW = 0.02425;

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation,
 * relative error < 1.15e-9 over (0, 1)). Returns ±Infinity at 0 and 1.
 * The central region (95% of draws) is computed here and the tails out of
 * line, so that the function is small enough for V8 to inline (see `sample`).
 */
export function normalQuantile(p: number): number {
  if (!(p >= P_LOW && p <= 1 - P_LOW)) {
    // Out of line, through OUT both ways (see OUT).
    OUT[0] = p;
    normalTail();
    return OUT[0]!;
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A1 * r + A2) * r + A3) * r + A4) * r + A5) * r + A6) * q) /
    (((((B1 * r + B2) * r + B3) * r + B4) * r + B5) * r + 1)
  );
}

/** `normalQuantile` of OUT[0] outside the central region, and at or beyond 0 and 1, into OUT[0]. */
function normalTail(): void {
  const p = OUT[0]!;
  if (p <= 0) OUT[0] = -Infinity;
  else if (p >= 1) OUT[0] = Infinity;
  else {
    const lower = p < P_LOW;
    const q = Math.sqrt(-2 * Math.log(lower ? p : 1 - p));
    const x =
      (((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6) /
      ((((D1 * q + D2) * q + D3) * q + D4) * q + 1);
    OUT[0] = lower ? x : -x;
  }
}

const A1 = -3.969683028665376e1;
const A2 = 2.209460984245205e2;
const A3 = -2.759285104469687e2;
const A4 = 1.38357751867269e2;
const A5 = -3.066479806614716e1;
const A6 = 2.506628277459239;
const B1 = -5.447609879822406e1;
const B2 = 1.615858368580409e2;
const B3 = -1.556989798598866e2;
const B4 = 6.680131188771972e1;
const B5 = -1.328068155288572e1;
const C1 = -7.784894002430293e-3;
const C2 = -3.223964580411365e-1;
const C3 = -2.400758277161838;
const C4 = -2.549732539343734;
const C5 = 4.374664141464968;
const C6 = 2.938163982698783;
const D1 = 7.784695709041462e-3;
const D2 = 3.224671290700398e-1;
const D3 = 2.445134137142996;
const D4 = 3.754408661907416;

/** Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~15 significant digits). */
export function gamma(x: number): number {
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return Math.sqrt(2 * Math.PI) * Math.pow(t, z + 0.5) * Math.exp(-t) * a;
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
