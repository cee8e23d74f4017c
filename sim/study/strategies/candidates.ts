/**
 * Turns sampled points into new candidates: decodes them, skips
 * configurations already proposed (a re-run of the same configuration on the
 * same seeds would measure nothing new), and numbers them in order.
 */
import { behaviourKey } from '../config-paths.js';
import { decode } from '../codec.js';
import type { SearchSpace } from '../space.js';
import type { Fidelity } from '../types.js';
import type { Proposal, Sampler, SamplerObservation, StrategyContext } from './types.js';

/** Redraws allowed per duplicate before giving it up. */
const REDRAWS = 8;

export class Candidates {
  private readonly seen = new Set<string>();
  private next = 0;
  private readonly points = new Map<number, { point: number[]; active: boolean[] }>();

  constructor(private readonly space: SearchSpace) {}

  /** The scenario's current configuration as candidate 0 (its config kept exactly as it is). */
  baseline(ctx: StrategyContext, fidelity: Fidelity): Proposal {
    const key = behaviourKey(ctx.baseline.config);
    this.seen.add(key);
    const id = this.next++;
    this.points.set(id, { point: ctx.baseline.point, active: decode(this.space, ctx.baseline.point).active });
    return { candidate: id, point: ctx.baseline.point, config: ctx.baseline.config, fidelity };
  }

  /** Up to n new, distinct candidates from the sampler (fewer when the space runs out). */
  draw(sampler: Sampler, n: number, fidelity: Fidelity): Proposal[] {
    const out: Proposal[] = [];
    for (const first of sampler.sample(n)) {
      let point = first;
      for (let tries = 0; ; tries++) {
        const d = decode(this.space, point);
        const key = behaviourKey(d.config);
        if (!this.seen.has(key)) {
          this.seen.add(key);
          const id = this.next++;
          this.points.set(id, { point, active: d.active });
          out.push({ candidate: id, point, config: d.config, fidelity });
          break;
        }
        if (tries >= REDRAWS) break;
        point = sampler.sample(1)[0]!;
      }
    }
    return out;
  }

  /** What a sampler needs to learn from a proposal's result. */
  observation(p: Proposal, outcome: SamplerObservation['outcome']): SamplerObservation {
    const info = this.points.get(p.candidate);
    return {
      candidate: p.candidate,
      point: p.point,
      active: info?.active ?? decode(this.space, p.point).active,
      level: p.fidelity.level,
      outcome,
    };
  }
}
