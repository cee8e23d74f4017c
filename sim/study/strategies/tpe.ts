/**
 * Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio & Kégl,
 * "Algorithms for Hyper-Parameter Optimization", NeurIPS 2011), following
 * Optuna's `TPESampler` defaults (independent sampling; Watanabe, "Tree-
 * structured Parzen estimator: understanding its algorithm components", 2023):
 *
 * - the first `nStartup` = 10 candidates are random (Latin hypercube here);
 * - observations are ranked (higher rung first, then the study's order on
 *   outcomes, failures last) and split into the best γ(n) = min(⌈0.1 n⌉, 25)
 *   ("good", density l) and the rest ("bad", density g);
 * - each dimension gets its own Parzen mixture over the observations in which
 *   it was active, plus a prior component (weight 1): truncated Gaussians on
 *   [0, 1] whose bandwidths are the larger gap to the sorted neighbours,
 *   clipped to [1 / min(100, 1 + n), 1] (Optuna's "magic clip"), the prior's
 *   σ = 1; choices get a categorical kernel smoothed by the prior weight;
 * - older observations are down-weighted once there are more than 25
 *   (Optuna's `default_weights`);
 * - for each dimension, 24 values are drawn from l and the one with the
 *   largest log l − log g is kept.
 *
 * Conditional dimensions are handled as Optuna does for define-by-run
 * spaces: a dimension's densities use only the observations where it was
 * active.
 */
import { Stream } from '../../engine/rng.js';
import { normalQuantile } from '../../engine/distributions.js';
import { normalCdf } from '../../metrics/stats.js';
import { latinHypercube } from './random.js';
import type { Outcome } from '../types.js';
import type { Sampler, SamplerObservation } from './types.js';

export interface TpeOptions {
  nStartup: number;
  nCandidates: number;
  priorWeight: number;
}

export const TPE_DEFAULTS: TpeOptions = { nStartup: 10, nCandidates: 24, priorWeight: 1 };

/** A dimension as TPE sees it: continuous on [0, 1], or k categories. */
export type TpeDim = { categorical: false } | { categorical: true; k: number };

/** Optuna's default γ: the size of the "good" group. */
export function gamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Optuna's default weights for n observations in chronological order. */
export function defaultWeights(n: number): number[] {
  if (n === 0) return [];
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const out: number[] = [];
  for (let i = 0; i < ramp; i++) out.push(ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1));
  for (let i = 0; i < 25; i++) out.push(1);
  return out;
}

/** A mixture of truncated Gaussians on [0, 1]. */
export class TruncatedGaussianMixture {
  readonly weights: number[];
  private readonly logZ: number[];

  constructor(
    readonly mus: number[],
    readonly sigmas: number[],
    weights: number[],
  ) {
    const total = weights.reduce((s, w) => s + w, 0);
    this.weights = weights.map((w) => w / total);
    this.logZ = mus.map((m, i) => Math.log(Math.max(1e-300, normalCdf((1 - m) / sigmas[i]!) - normalCdf(-m / sigmas[i]!))));
  }

  /** Builds l or g from observed values (chronological) and their weights, with the prior. */
  static fit(values: number[], weights: number[], priorWeight: number): TruncatedGaussianMixture {
    const mus = [...values, 0.5];
    const n = mus.length;
    const order = mus.map((_, i) => i).sort((a, b) => mus[a]! - mus[b]! || a - b);
    const sorted = order.map((i) => mus[i]!);
    const withEnds = [0, ...sorted, 1];
    const sortedSigmas = sorted.map((_, i) => Math.max(withEnds[i + 1]! - withEnds[i]!, withEnds[i + 2]! - withEnds[i + 1]!));
    if (withEnds.length >= 4) {
      // consider_endpoints = False: the outermost kernels ignore the bounds.
      sortedSigmas[0] = withEnds[2]! - withEnds[1]!;
      sortedSigmas[n - 1] = withEnds[n]! - withEnds[n - 1]!;
    }
    const sigmas = new Array<number>(n);
    order.forEach((orig, pos) => (sigmas[orig] = sortedSigmas[pos]!));
    const minSigma = 1 / Math.min(100, 1 + n);
    for (let i = 0; i < n; i++) sigmas[i] = Math.min(1, Math.max(minSigma, sigmas[i]!));
    sigmas[n - 1] = 1; // the prior
    return new TruncatedGaussianMixture(mus, sigmas as number[], [...weights, priorWeight]);
  }

  logPdf(x: number): number {
    let best = -Infinity;
    const terms: number[] = [];
    for (let i = 0; i < this.mus.length; i++) {
      const s = this.sigmas[i]!;
      const z = (x - this.mus[i]!) / s;
      const t = Math.log(this.weights[i]!) - 0.5 * z * z - Math.log(s * Math.sqrt(2 * Math.PI)) - this.logZ[i]!;
      terms.push(t);
      if (t > best) best = t;
    }
    if (best === -Infinity) return -Infinity;
    let sum = 0;
    for (const t of terms) sum += Math.exp(t - best);
    return best + Math.log(sum);
  }

  sample(rng: Stream): number {
    const i = pick(rng, this.weights);
    const m = this.mus[i]!;
    const s = this.sigmas[i]!;
    const lo = normalCdf(-m / s);
    const hi = normalCdf((1 - m) / s);
    const u = lo + rng.next() * (hi - lo);
    const x = m + s * normalQuantile(Math.min(1 - 1e-16, Math.max(1e-16, u)));
    return Math.min(1, Math.max(0, Number.isFinite(x) ? x : m));
  }
}

/** A mixture of smoothed categorical kernels over k categories, with a uniform prior. */
export class CategoricalMixture {
  readonly pmf: number[];

  constructor(k: number, values: number[], weights: number[], priorWeight: number) {
    const n = values.length;
    const smooth = priorWeight / (n + 1);
    const total = weights.reduce((s, w) => s + w, 0) + priorWeight;
    const pmf = new Array<number>(k).fill((priorWeight / total) * (1 / k));
    values.forEach((c, i) => {
      const w = weights[i]! / total;
      const norm = 1 + k * smooth;
      for (let j = 0; j < k; j++) pmf[j] = pmf[j]! + (w * (smooth + (j === c ? 1 : 0))) / norm;
    });
    this.pmf = pmf;
  }

  logPmf(c: number): number {
    return Math.log(this.pmf[c] ?? 0);
  }

  sample(rng: Stream): number {
    return pick(rng, this.pmf);
  }
}

function pick(rng: Stream, weights: readonly number[]): number {
  let u = rng.next() * weights.reduce((s, w) => s + w, 0);
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

const category = (u: number, k: number): number => Math.min(k - 1, Math.max(0, Math.floor(u * k)));

export class TpeSampler implements Sampler {
  private readonly observations = new Map<number, SamplerObservation>();
  private readonly opts: TpeOptions;

  constructor(
    private readonly dims: readonly TpeDim[],
    private readonly rank: (a: Outcome | null, b: Outcome | null) => number,
    private readonly rng: Stream,
    opts: Partial<TpeOptions> = {},
  ) {
    this.opts = { ...TPE_DEFAULTS, ...opts };
  }

  observe(obs: SamplerObservation): void {
    this.observations.set(obs.candidate, obs);
  }

  sample(n: number): number[][] {
    const all = [...this.observations.values()].sort((a, b) => a.candidate - b.candidate);
    if (all.length < this.opts.nStartup) return latinHypercube(this.rng, n, this.dims.length);
    const ranked = [...all].sort((a, b) => b.level - a.level || this.rank(a.outcome, b.outcome) || a.candidate - b.candidate);
    const nGood = gamma(ranked.length);
    const good = new Set(ranked.slice(0, nGood).map((o) => o.candidate));
    const below = all.filter((o) => good.has(o.candidate));
    const above = all.filter((o) => !good.has(o.candidate));
    const models = this.dims.map((d, j) => this.fitDim(d, j, below, above));
    const points: number[][] = [];
    for (let p = 0; p < n; p++) points.push(models.map((m) => m()));
    return points;
  }

  /** A function drawing one coordinate of dimension j: the best of nCandidates draws from l by l/g. */
  private fitDim(d: TpeDim, j: number, below: SamplerObservation[], above: SamplerObservation[]): () => number {
    const pw = this.opts.priorWeight;
    const vals = (group: SamplerObservation[]) => group.filter((o) => o.active[j] === true).map((o) => o.point[j] ?? 0.5);
    const lv = vals(below);
    const gv = vals(above);
    const nc = this.opts.nCandidates;
    if (d.categorical) {
      const l = new CategoricalMixture(d.k, lv.map((u) => category(u, d.k)), defaultWeights(lv.length), pw);
      const g = new CategoricalMixture(d.k, gv.map((u) => category(u, d.k)), defaultWeights(gv.length), pw);
      return () => {
        let best = 0;
        let bestScore = -Infinity;
        for (let i = 0; i < nc; i++) {
          const c = l.sample(this.rng);
          const score = l.logPmf(c) - g.logPmf(c);
          if (score > bestScore) {
            best = c;
            bestScore = score;
          }
        }
        return (best + 0.5) / d.k;
      };
    }
    const l = TruncatedGaussianMixture.fit(lv, defaultWeights(lv.length), pw);
    const g = TruncatedGaussianMixture.fit(gv, defaultWeights(gv.length), pw);
    return () => {
      let best = 0.5;
      let bestScore = -Infinity;
      for (let i = 0; i < nc; i++) {
        const x = l.sample(this.rng);
        const score = l.logPdf(x) - g.logPdf(x);
        if (score > bestScore) {
          best = x;
          bestScore = score;
        }
      }
      return best;
    };
  }
}
