/**
 * Seeds of a study. Every candidate runs on the same search seeds (common
 * random numbers: differences between candidates are then differences of
 * configuration, not of luck), and the winner is re-measured on confirmation
 * seeds taken from a disjoint range, which the search never saw.
 */

/** Offset of the confirmation seeds from the study seed; far above any search seed. */
export const CONFIRM_OFFSET = 1_000_000;

/** The i-th search seed of a study seeded `seed`. */
export function searchSeed(seed: number, i: number): number {
  return seed + i;
}

export function searchSeeds(seed: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => searchSeed(seed, i));
}

/** Fresh seeds for the confirmation runs, paired by index between configurations. */
export function confirmSeeds(seed: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => seed + CONFIRM_OFFSET + i);
}
