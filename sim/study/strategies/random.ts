/**
 * Random search by Latin hypercube sampling (McKay, Beckman & Conover 1979):
 * each batch of n points splits every dimension into n equal strata and puts
 * exactly one point in each, so even a small batch covers every range evenly.
 */
import { shuffle, Stream } from '../../engine/rng.js';
import type { Sampler, SamplerObservation } from './types.js';

/** RNG purpose of the study's samplers (any fixed number apart from the model's). */
export const SAMPLER_PURPOSE = 7001;

/** One Latin hypercube of n points in d dimensions. */
export function latinHypercube(rng: Stream, n: number, d: number): number[][] {
  const points = Array.from({ length: n }, () => new Array<number>(d).fill(0));
  for (let j = 0; j < d; j++) {
    const perm = shuffle(rng, Array.from({ length: n }, (_, i) => i));
    for (let i = 0; i < n; i++) points[i]![j] = (perm[i]! + rng.next()) / n;
  }
  return points;
}

export class LatinHypercubeSampler implements Sampler {
  constructor(
    private readonly dims: number,
    private readonly rng: Stream,
  ) {}

  sample(n: number): number[][] {
    return latinHypercube(this.rng, n, this.dims);
  }

  observe(_obs: SamplerObservation): void {
    // Random search learns nothing.
  }
}

/**
 * Two samplers mixed in fixed shares: a model-based sampler with a share of
 * purely random points, as BOHB does (Falkner, Klein & Hutter 2018, "random
 * fraction" 1/3), which keeps a bracket diverse when the model would put every
 * point in the same place; or a local sampler with a global one. Both learn
 * from every observation.
 */
export class MixedSampler implements Sampler {
  constructor(
    private readonly model: Sampler,
    private readonly random: Sampler,
    private readonly randomFraction: number,
  ) {}

  sample(n: number): number[][] {
    const nRandom = Math.floor(n * this.randomFraction);
    return [...this.model.sample(n - nRandom), ...this.random.sample(nRandom)];
  }

  observe(obs: SamplerObservation): void {
    this.model.observe(obs);
    this.random.observe(obs);
  }
}
