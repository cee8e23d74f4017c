/**
 * Values computed from theory, and the sampling errors that set the
 * tolerances of the workload and fault tests. Times in ms unless a name says
 * otherwise; rates per second.
 */
import * as assert from 'uvu/assert';
import type { ArrivalProcess } from '../../sim/workload/arrivals.js';
import { arrivalTimes } from '../helpers.js';

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

/** Unbiased sample variance. */
export function variance(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return s / (xs.length - 1);
}

/** Index of dispersion of counts: sample variance over mean. */
export function idc(counts: ArrayLike<number>): number {
  return variance(counts) / mean(counts);
}

/** Standard error of a mean from independent estimates (batch means). */
export function standardError(xs: ArrayLike<number>): number {
  return Math.sqrt(variance(xs) / xs.length);
}

/**
 * Counts of a process's arrivals in consecutive windows of `widthMs` over
 * [fromMs, toMs); arrivals before `fromMs` are drawn and skipped.
 */
export function windowCounts(p: ArrivalProcess, fromMs: number, toMs: number, widthMs: number, startMs = 0): Float64Array {
  const counts = new Float64Array(Math.floor((toMs - fromMs) / widthMs));
  const end = fromMs + counts.length * widthMs;
  for (const t of arrivalTimes(p, startMs, end)) {
    if (t >= fromMs) counts[Math.floor((t - fromMs) / widthMs)]!++;
  }
  return counts;
}

/** Sums consecutive groups of `k` counts (windows k times as long). */
export function coarsen(counts: Float64Array, k: number): Float64Array {
  const out = new Float64Array(Math.floor(counts.length / k));
  for (let i = 0; i < out.length * k; i++) out[Math.floor(i / k)]! += counts[i]!;
  return out;
}

/** Splits `xs` into `b` equal consecutive batches (a remainder is dropped). */
export function batches(xs: Float64Array, b: number): Float64Array[] {
  const size = Math.floor(xs.length / b);
  return Array.from({ length: b }, (_, i) => xs.subarray(i * size, (i + 1) * size));
}

/**
 * The two-state MMPP of SPEC §4 (`bursty`): state 1 = normal at `rate`,
 * leaving at r₁ = 1/meanGap; state 2 = burst at `burstRate`, leaving at
 * r₂ = 1/meanBurst. Stationary π₁ = r₂/(r₁+r₂), π₂ = r₁/(r₁+r₂).
 */
export interface Mmpp2 {
  rate: number;
  burstRate: number;
  meanGapSec: number;
  meanBurstSec: number;
}

export function mmpp2Mean(p: Mmpp2): number {
  const { pi1, pi2 } = mmpp2Pi(p);
  return pi1 * p.rate + pi2 * p.burstRate;
}

function mmpp2Pi(p: Mmpp2): { pi1: number; pi2: number; r: number } {
  const r1 = 1 / p.meanGapSec;
  const r2 = 1 / p.meanBurstSec;
  return { pi1: r2 / (r1 + r2), pi2: r1 / (r1 + r2), r: r1 + r2 };
}

/**
 * Index of dispersion of counts of an MMPP-2 in windows of `tSec`
 * (Fischer & Meier-Hellstern, "The Markov-modulated Poisson process (MMPP)
 * cookbook", Performance Evaluation 18(2):149–171, 1993):
 *   IDC(t) = 1 + 2π₁π₂(λ₁−λ₂)²/(λ̄ r) · (1 − (1 − e^{−rt})/(rt)),  r = r₁ + r₂,
 * which is Var N(t) / E N(t) for the Cox process whose rate has covariance
 * π₁π₂(λ₁−λ₂)² e^{−r|τ|}.
 */
export function mmpp2Idc(p: Mmpp2, tSec: number): number {
  const { pi1, pi2, r } = mmpp2Pi(p);
  const lambda = mmpp2Mean(p);
  const rt = r * tSec;
  return 1 + ((2 * pi1 * pi2 * (p.rate - p.burstRate) ** 2) / (lambda * r)) * (1 - (1 - Math.exp(-rt)) / rt);
}

/** Mean time in an M/M/1 system, ms (rates per second). */
export function mm1SojournMs(lambda: number, mu: number): number {
  return 1000 / (mu - lambda);
}

/**
 * Standard error of the mean sojourn time measured over `seconds` of a
 * stationary M/M/1 (rates per second), ms. Whitt, "Planning queueing
 * simulations", Management Science 35(11), 1989: the time-average number in
 * system L̄ₜ has asymptotic variance 2ρ(1+ρ)/(1−ρ)⁴ / (μt); by Little's law
 * the mean sojourn is L̄ₜ/λ.
 */
export function mm1SojournSeMs(lambda: number, mu: number, seconds: number): number {
  const rho = lambda / mu;
  const varL = (2 * rho * (1 + rho)) / (1 - rho) ** 4 / (mu * seconds);
  return (1000 * Math.sqrt(varL)) / lambda;
}

/**
 * Exact mean value analysis of a closed network of N clients thinking Z
 * (a delay station) and one exponential FCFS server with mean service S
 * (Reiser & Lavenberg 1980). Returns the throughput per second and the mean
 * response time at the server, ms.
 */
export function mva(clients: number, thinkMs: number, serviceMs: number): { throughputPerSec: number; responseMs: number } {
  let queue = 0;
  let r = serviceMs;
  let x = 0;
  for (let n = 1; n <= clients; n++) {
    r = serviceMs * (1 + queue);
    x = n / (thinkMs + r);
    queue = x * r;
  }
  return { throughputPerSec: x * 1000, responseMs: r };
}

/** E[round(X)] for X exponential with mean m (Math.round, halves up): Σ_{k≥1} P(X ≥ k − ½) = 1 / (2 sinh(1/(2m))). */
export function meanRoundedExp(m: number): number {
  return 1 / (2 * Math.sinh(1 / (2 * m)));
}

/**
 * Asserts |measured − expected| ≤ tolerance; the message shows all three and
 * `what` (which names the seed). With MESHTUNE_SHOW_THEORY=1 in the
 * environment every comparison is printed, passed or not.
 */
export function expectNear(what: string, measured: number, expected: number, tolerance: number): void {
  const msg = `${what}: measured ${round(measured)}, theory ${round(expected)}, tolerance ±${round(tolerance)}`;
  if (process.env.MESHTUNE_SHOW_THEORY === '1') console.log(`  ${msg}`);
  assert.ok(Math.abs(measured - expected) <= tolerance, msg);
}

function round(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(6);
}
