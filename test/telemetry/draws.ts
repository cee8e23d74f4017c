import type { Family } from '../../sim/telemetry/index.js';

/** mulberry32: a small seeded source for samples. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

export const normal = (u: () => number): number => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());

/** Marsaglia–Tsang for shape ≥ 1. */
function gammaDraw(u: () => number, k: number, theta: number): number {
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = normal(u);
    const v = (1 + c * z) ** 3;
    if (v > 0 && Math.log(u()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v * theta;
  }
}

/** One sampler per family with its true parameters, in the order fitFamily reports them. */
export const DRAW: Record<Family, { draw: (u: () => number) => number; params: number[] }> = {
  exp: { draw: (u) => -5 * Math.log(u()), params: [5] },
  lognormal: { draw: (u) => Math.exp(1 + 0.8 * normal(u)), params: [1, 0.8] },
  gamma: { draw: (u) => gammaDraw(u, 3, 2), params: [3, 2] },
  weibull: { draw: (u) => 4 * (-Math.log(u())) ** (1 / 2.5), params: [2.5, 4] },
};

/** The seed of trial `t` of a family (the cheap test's 40 trials are the proof's first 40). */
export const trialSeed = (family: Family, t: number): number => 1000 * t + family.length;
