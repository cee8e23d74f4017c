/**
 * Closed-form results of queueing theory that `meshtune validate` compares the
 * simulator with (SPEC §8). Times are in the unit of the inputs: λ is the
 * arrival rate and μ the service rate of one server, both per that unit.
 *
 * Notation (Kleinrock, "Queueing Systems" vol. 1, 1975; Gross & Harris,
 * "Fundamentals of Queueing Theory"): ρ utilization, W mean time in system
 * (sojourn), Wq mean wait in queue, L mean number in system, Lq mean number
 * in queue. Little's law L = λW, Lq = λWq holds for every result (with the
 * admitted rate for M/M/1/K).
 */

export interface QueueMeans {
  /** Utilization of a server (for M/M/1/K: offered load λ/μ, may be ≥ 1). */
  rho: number;
  /** Mean time in system. */
  W: number;
  /** Mean wait before service. */
  Wq: number;
  /** Mean number in system. */
  L: number;
  /** Mean number waiting. */
  Lq: number;
}

export interface MM1Result extends QueueMeans {
  /** 99th percentile of the sojourn time (exponential with rate μ − λ). */
  p99: number;
}

export interface MMcResult extends QueueMeans {
  /** Offered load a = λ/μ, in Erlangs. */
  offered: number;
  /** Erlang C: probability that an arrival waits. */
  erlangC: number;
}

export interface MM1KResult extends QueueMeans {
  /** Probability that an arrival finds the system full and is lost, P_K. */
  blocking: number;
  /** Rate of admitted arrivals, λ(1 − P_K). */
  throughput: number;
}

export interface TandemResult {
  /** Mean time in system of each stage, 1/(μ_i − λ). */
  stages: number[];
  /** End-to-end mean time in system, Σ 1/(μ_i − λ). */
  W: number;
  /** End-to-end mean number in the network, λW. */
  L: number;
  /** 99th percentile of the end-to-end sojourn time (sum of independent exponentials). */
  p99: number;
}

/** Either the first two moments of the service time, or its mean and coefficient of variation. */
export type ServiceMoments = { mean: number; secondMoment: number } | { mean: number; cv: number };

function checkRate(name: string, x: number, allowZero: boolean): void {
  if (!Number.isFinite(x) || x < 0 || (!allowZero && x === 0)) {
    throw new RangeError(`${name} must be a finite number ${allowZero ? '≥' : '>'} 0, got ${x}`);
  }
}

function checkStable(model: string, rho: number, detail: string): void {
  if (!(rho < 1)) {
    throw new RangeError(`${model} is unstable: ρ = ${detail} = ${rho} must be < 1`);
  }
}

function checkCount(name: string, x: number): void {
  if (!Number.isInteger(x) || x < 1) throw new RangeError(`${name} must be an integer ≥ 1, got ${x}`);
}

/** q-quantile of an exponential with the given rate: −ln(1 − q)/rate. */
function expQuantile(rate: number, q: number): number {
  return -Math.log1p(-q) / rate;
}

/**
 * M/M/1: ρ = λ/μ, W = 1/(μ − λ), Wq = ρ/(μ − λ), L = ρ/(1 − ρ),
 * Lq = ρ²/(1 − ρ). The sojourn time is exponential with rate μ − λ, so its
 * p-quantile is −ln(1 − p)/(μ − λ) (Kleinrock §3.2).
 */
export function mm1(lambda: number, mu: number): MM1Result {
  checkRate('λ', lambda, true);
  checkRate('μ', mu, false);
  const rho = lambda / mu;
  checkStable('M/M/1', rho, 'λ/μ');
  const W = 1 / (mu - lambda);
  const Wq = rho / (mu - lambda);
  return { rho, W, Wq, L: lambda * W, Lq: lambda * Wq, p99: expQuantile(mu - lambda, 0.99) };
}

/** q-quantile of the M/M/1 sojourn time, −ln(1 − q)/(μ − λ). */
export function mm1SojournQuantile(lambda: number, mu: number, q: number): number {
  mm1(lambda, mu);
  return expQuantile(mu - lambda, q);
}

/**
 * q-quantile of the M/M/1 waiting time: P(Wq > t) = ρ e^{−(μ−λ)t}, so it is 0
 * for q ≤ 1 − ρ and ln(ρ/(1 − q))/(μ − λ) above.
 */
export function mm1WaitQuantile(lambda: number, mu: number, q: number): number {
  const { rho } = mm1(lambda, mu);
  return q <= 1 - rho ? 0 : Math.log(rho / (1 - q)) / (mu - lambda);
}

/**
 * Erlang B blocking probability of c servers offered a Erlangs, by the
 * recursion B(0) = 1, B(k) = a B(k−1) / (k + a B(k−1)), which never
 * overflows (fine for c in the thousands).
 */
export function erlangB(c: number, a: number): number {
  checkCount('c', c);
  checkRate('offered load', a, true);
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/**
 * Erlang C probability of waiting, from Erlang B:
 * C = c B / (c − a (1 − B)); requires a < c.
 */
export function erlangC(c: number, a: number): number {
  checkStable(`M/M/${c}`, a / c, 'λ/(cμ)');
  const b = erlangB(c, a);
  return (c * b) / (c - a * (1 - b));
}

/**
 * M/M/c: a = λ/μ, ρ = a/c, Wq = C(c, a)/(cμ − λ), W = Wq + 1/μ, Lq = λWq,
 * L = λW (Gross & Harris §2.3).
 */
export function mmc(lambda: number, mu: number, c: number): MMcResult {
  checkRate('λ', lambda, true);
  checkRate('μ', mu, false);
  checkCount('c', c);
  const a = lambda / mu;
  const rho = a / c;
  checkStable(`M/M/${c}`, rho, 'λ/(cμ)');
  const C = erlangC(c, a);
  const Wq = C / (c * mu - lambda);
  const W = Wq + 1 / mu;
  return { rho, offered: a, erlangC: C, W, Wq, L: lambda * W, Lq: lambda * Wq };
}

/**
 * q-quantile of the M/M/c waiting time: P(Wq > t) = C e^{−(cμ−λ)t}, so it is 0
 * for q ≤ 1 − C and ln(C/(1 − q))/(cμ − λ) above.
 */
export function mmcWaitQuantile(lambda: number, mu: number, c: number, q: number): number {
  const { erlangC: C } = mmc(lambda, mu, c);
  return q <= 1 - C ? 0 : Math.log(C / (1 - q)) / (c * mu - lambda);
}

/**
 * Tail of the M/M/c sojourn time under FCFS, P(T > t): T = Wq + S with S ~
 * Exp(μ) independent of the wait, and Wq = 0 with probability 1 − C, else
 * Exp(θ), θ = cμ − λ (Gross & Harris §2.3). Hence
 * P(T > t) = (1 − C) e^{−μt} + C (θ e^{−μt} − μ e^{−θt}) / (θ − μ),
 * and (1 − C) e^{−μt} + C (1 + μt) e^{−μt} when θ = μ.
 */
export function mmcSojournTail(lambda: number, mu: number, c: number, t: number): number {
  const { erlangC: C } = mmc(lambda, mu, c);
  if (t <= 0) return 1;
  const theta = c * mu - lambda;
  const e = Math.exp(-mu * t);
  const both = Math.abs(theta - mu) < 1e-12 * mu ? (1 + mu * t) * e : (theta * e - mu * Math.exp(-theta * t)) / (theta - mu);
  return (1 - C) * e + C * both;
}

/** q-quantile of the M/M/c sojourn time, by bisection on its tail (`mmcSojournTail`). */
export function mmcSojournQuantile(lambda: number, mu: number, c: number, q: number): number {
  if (!(q > 0 && q < 1)) throw new RangeError(`quantile level must be in (0, 1), got ${q}`);
  let lo = 0;
  let hi = 1 / mu;
  while (mmcSojournTail(lambda, mu, c, hi) > 1 - q) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (mmcSojournTail(lambda, mu, c, mid) > 1 - q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The arrival rate at which the q-quantile of the M/M/c sojourn time reaches
 * `t` (the load limit of a latency SLO), by bisection on λ in (0, cμ): the
 * quantile grows with λ. Null when even λ → 0 misses it (t at or below the
 * service time's own q-quantile).
 */
export function mmcRateForQuantile(mu: number, c: number, q: number, t: number): number | null {
  const at = (lambda: number): number => mmcSojournQuantile(lambda, mu, c, q);
  let lo = 0;
  let hi = c * mu;
  if (at(1e-9 * c * mu) > t) return null;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * c * mu; i++) {
    const mid = (lo + hi) / 2;
    if (at(mid) <= t) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * M/M/1/K, K the capacity of the system including the customer in service.
 * State probabilities P_n = ρ^n / Σ_{j=0}^{K} ρ^j, i.e.
 * P_n = (1 − ρ)ρ^n / (1 − ρ^{K+1}) for ρ ≠ 1 and 1/(K + 1) for ρ = 1;
 * blocking P_K; L = Σ n P_n; admitted rate λ(1 − P_K); W = L / (λ(1 − P_K))
 * by Little's law; Wq = W − 1/μ. Any ρ is stable. The sums are taken
 * directly (weights scaled by ρ^{−K} when ρ > 1), which avoids the
 * cancellation of the closed form near ρ = 1.
 */
export function mm1k(lambda: number, mu: number, K: number): MM1KResult {
  checkRate('λ', lambda, true);
  checkRate('μ', mu, false);
  checkCount('K', K);
  const rho = lambda / mu;
  let total = 0;
  let weighted = 0;
  let pK = 0;
  let p0 = 0;
  const big = rho > 1;
  for (let n = 0; n <= K; n++) {
    const w = big ? Math.pow(1 / rho, K - n) : Math.pow(rho, n);
    total += w;
    weighted += n * w;
    if (n === 0) p0 = w;
    if (n === K) pK = w;
  }
  const blocking = pK / total;
  const L = weighted / total;
  const throughput = lambda * (1 - blocking);
  const W = throughput > 0 ? L / throughput : 1 / mu;
  const Wq = W - 1 / mu;
  return { rho, blocking, throughput, W, Wq, L, Lq: L - (1 - p0 / total) };
}

/**
 * M/G/1 by the Pollaczek–Khinchine formula: ρ = λE[S],
 * Wq = λE[S²] / (2(1 − ρ)), W = Wq + E[S]; E[S²] = E[S]²(1 + cv²) when the
 * coefficient of variation is given (Kleinrock §5.5).
 */
export function mg1(lambda: number, service: ServiceMoments): QueueMeans {
  checkRate('λ', lambda, true);
  const es = service.mean;
  checkRate('E[S]', es, false);
  const es2 = 'secondMoment' in service ? service.secondMoment : es * es * (1 + service.cv * service.cv);
  if (!Number.isFinite(es2) || es2 < es * es * (1 - 1e-12)) {
    throw new RangeError(`E[S²] must be ≥ E[S]² = ${es * es}, got ${es2}`);
  }
  const rho = lambda * es;
  checkStable('M/G/1', rho, 'λE[S]');
  const Wq = (lambda * es2) / (2 * (1 - rho));
  const W = Wq + es;
  return { rho, W, Wq, L: lambda * W, Lq: lambda * Wq };
}

/** M/D/1: Wq = ρ / (2μ(1 − ρ)), W = Wq + 1/μ (P–K with E[S²] = 1/μ²). */
export function md1(lambda: number, mu: number): QueueMeans {
  checkRate('λ', lambda, true);
  checkRate('μ', mu, false);
  const rho = lambda / mu;
  checkStable('M/D/1', rho, 'λ/μ');
  const Wq = rho / (2 * mu * (1 - rho));
  const W = Wq + 1 / mu;
  return { rho, W, Wq, L: lambda * W, Lq: lambda * Wq };
}

/**
 * A series of M/M/1 queues fed by Poisson(λ) (two or more stages): by Burke's
 * theorem each departure stream is Poisson(λ), so the network is of Jackson
 * type and W = Σ 1/(μ_i − λ). The sojourn times of a customer at successive
 * stages are moreover independent (Reich 1957), so the end-to-end sojourn is
 * a sum of exponentials with rates μ_i − λ; its p99 is computed numerically.
 */
export function tandemMM1(lambda: number, ...mus: number[]): TandemResult {
  checkRate('λ', lambda, true);
  if (mus.length === 0) throw new RangeError('tandemMM1 needs at least one service rate');
  const rates: number[] = [];
  const stages: number[] = [];
  mus.forEach((mu, i) => {
    checkRate(`μ${i + 1}`, mu, false);
    checkStable(`tandem stage ${i + 1} (M/M/1)`, lambda / mu, `λ/μ${i + 1}`);
    rates.push(mu - lambda);
    stages.push(1 / (mu - lambda));
  });
  const W = stages.reduce((s, w) => s + w, 0);
  return { stages, W, L: lambda * W, p99: hypoexponentialQuantile(rates, 0.99) };
}

/**
 * q-quantile of a sum of independent exponentials with the given rates
 * (hypoexponential, equal rates allowed), by bisection on its CDF. The CDF is
 * computed by uniformization of the phase-type chain (Stewart, "Probability,
 * Markov Chains, Queues, and Simulation", 2009, §10.7): with Λ = max rate,
 * P(T ≤ t) = Σ_k Poisson(k; Λt) · P(absorbed within k steps), where each step
 * advances from phase i with probability rate_i/Λ. All terms are positive, so
 * there is no cancellation even when rates are nearly equal.
 */
export function hypoexponentialQuantile(rates: readonly number[], q: number): number {
  if (!(q > 0 && q < 1)) throw new RangeError(`quantile level must be in (0, 1), got ${q}`);
  for (const r of rates) checkRate('rate', r, false);
  if (rates.length === 1) return expQuantile(rates[0]!, q);
  const mean = rates.reduce((s, r) => s + 1 / r, 0);
  let lo = 0;
  let hi = mean;
  while (hypoexponentialCdf(rates, hi) < q) hi *= 2;
  for (let i = 0; i < 100 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (hypoexponentialCdf(rates, mid) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** P(T ≤ t) for T a sum of independent exponentials (see `hypoexponentialQuantile`). */
export function hypoexponentialCdf(rates: readonly number[], t: number): number {
  if (t <= 0) return 0;
  const m = rates.length;
  const big = Math.max(...rates);
  const x = big * t;
  // Distribution over phases 0..m−1 of the uniformized chain; phase m absorbs.
  const phase = new Float64Array(m);
  phase[0] = 1;
  let absorbed = 0;
  let cdf = 0;
  const kMax = Math.ceil(x + 12 * Math.sqrt(x) + 40);
  for (let k = 0; k <= kMax; k++) {
    const pk = Math.exp(-x + k * Math.log(x) - lnFactorial(k));
    cdf += pk * absorbed;
    // One uniformized step.
    for (let i = m - 1; i >= 0; i--) {
      const move = phase[i]! * (rates[i]! / big);
      phase[i] = phase[i]! - move;
      if (i === m - 1) absorbed += move;
      else phase[i + 1] = phase[i + 1]! + move;
    }
  }
  return Math.min(1, cdf);
}

/** ln k!, summed once into a table up to 1024 and by Stirling's series above. */
function lnFactorial(k: number): number {
  if (k < LN_FACT.length) return LN_FACT[k]!;
  const n = k + 1;
  return (n - 0.5) * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * n) - 1 / (360 * n * n * n);
}

const LN_FACT = (() => {
  const t = new Float64Array(1024);
  for (let k = 1; k < t.length; k++) t[k] = t[k - 1]! + Math.log(k);
  return t;
})();

/**
 * A fork–join of two identical M/M/1 queues: every arrival (Poisson λ) splits
 * into one task at each server (exponential, rate μ) and leaves when both are
 * done. The mean response time is exact for two servers (Flatto & Hahn 1984;
 * in Nelson & Tantawi's form, IEEE Trans. Computers 37(6), 1988):
 * R₂ = (12 − ρ)/8 · 1/(μ − λ), with ρ = λ/μ — between one M/M/1's 1/(μ − λ)
 * and the 3/2 · 1/(μ − λ) of two independent ones.
 */
export function forkJoin2MM1(lambda: number, mu: number): { rho: number; W: number } {
  const rho = lambda / mu;
  if (!(rho < 1)) throw new RangeError(`unstable: ρ = ${rho}`);
  return { rho, W: ((12 - rho) / 8) * (1 / (mu - lambda)) };
}
