/**
 * The ask/tell interface every search strategy implements. A strategy
 * proposes batches whose size and content depend only on what it has been
 * told (never on how many workers evaluate them), and is told the results
 * of a batch in proposal order; together these make a study's result the
 * same whatever `--workers` is.
 */
import type { MeshConfig } from '../../scenario/types.js';
import type { SearchSpace } from '../space.js';
import type { Fidelity, Outcome } from '../types.js';

export interface Proposal {
  /** Candidate id: 0 is the scenario's current configuration; ids grow in proposal order. */
  candidate: number;
  /** The candidate in the unit hypercube. */
  point: number[];
  /** The full configuration simulated. */
  config: MeshConfig;
  fidelity: Fidelity;
}

/** A proposal's result; `outcome` null when the evaluation failed. */
export interface Observation {
  proposal: Proposal;
  outcome: Outcome | null;
}

export interface Strategy {
  readonly name: string;
  /**
   * The next batch to evaluate, or [] when done. `remaining` is the budget
   * left in full-run equivalents (one full-duration run on one seed = 1).
   */
  ask(remaining: number): Proposal[];
  /** The results of the last batch, in proposal order. */
  tell(results: readonly Observation[]): void;
}

/** What a sampler learns from: a candidate's latest result and the rung it reached. */
export interface SamplerObservation {
  candidate: number;
  point: number[];
  /** Which dimensions mattered for this candidate. */
  active: boolean[];
  level: number;
  outcome: Outcome | null;
}

/** Proposes points in the unit hypercube; the part of a strategy that decides where to look. */
export interface Sampler {
  /** n points, deterministic given the seed and the observations so far. */
  sample(n: number): number[][];
  /** A candidate's result; a later observation of the same candidate replaces the earlier one. */
  observe(obs: SamplerObservation): void;
}

export interface StrategyContext {
  space: SearchSpace;
  /** The study's order on outcomes: negative when a is better (objective.ts). */
  rank: (a: Outcome | null, b: Outcome | null) => number;
  /** `a` is better than `b` by enough to move to it (objective.ts `materiallyBetter`); `rank` < 0 when absent. */
  improves?: (a: Outcome | null, b: Outcome | null) => boolean;
  /** Whether an outcome meets the SLOs (with the search's margin); for the intensification's repair, none when absent. */
  meets?: (o: Outcome) => boolean;
  /** Whether an outcome meets every SLO but the delivery ratio's, and misses that one. */
  shortOnDelivery?: (o: Outcome) => boolean;
  /** `a` is better than `b` on the mode's objective alone, whatever the SLOs. */
  objectiveBetter?: (a: Outcome, b: Outcome) => boolean;
  seed: number;
  /** The scenario's current configuration, evaluated first. */
  baseline: { point: number[]; config: MeshConfig };
  /** Points to try before any other (configurations earlier studies recommended). */
  warmStart?: number[][];
}
