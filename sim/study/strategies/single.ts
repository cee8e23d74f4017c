/**
 * A single-fidelity strategy: every candidate at the top fidelity (full
 * duration, every search seed), proposed in batches of a fixed size by a
 * sampler (random or TPE). The batch size is a constant, not the number of
 * workers, so the proposals never depend on the machine.
 */
import { TOP } from '../fidelity.js';
import { Candidates } from './candidates.js';
import type { Observation, Proposal, Sampler, Strategy, StrategyContext } from './types.js';

/** Candidates per batch. */
export const BATCH = 8;

/** Budget one top-fidelity evaluation costs: full duration × every seed. */
export const TOP_COST = TOP.fraction * TOP.seeds;

export class SingleFidelity implements Strategy {
  private readonly candidates: Candidates;
  private started = false;

  constructor(
    readonly name: string,
    private readonly ctx: StrategyContext,
    private readonly sampler: Sampler,
  ) {
    this.candidates = new Candidates(ctx.space);
  }

  ask(remaining: number): Proposal[] {
    const n = Math.min(BATCH, Math.floor(remaining / TOP_COST + 1e-9));
    if (n <= 0) return [];
    const out: Proposal[] = [];
    if (!this.started) {
      this.started = true;
      out.push(this.candidates.baseline(this.ctx, TOP));
    }
    out.push(...this.candidates.draw(this.sampler, n - out.length, TOP));
    return out;
  }

  tell(results: readonly Observation[]): void {
    for (const r of results) this.sampler.observe(this.candidates.observation(r.proposal, r.outcome));
  }
}
