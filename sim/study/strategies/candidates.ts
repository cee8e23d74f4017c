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
  /** Behaviour key → candidate id, of every configuration proposed. */
  private readonly seen = new Map<string, number>();
  private next = 0;
  private readonly points = new Map<number, { point: number[]; active: boolean[] }>();

  constructor(private readonly space: SearchSpace) {}

  /** The scenario's current configuration as candidate 0 (its config kept exactly as it is). */
  baseline(ctx: StrategyContext, fidelity: Fidelity): Proposal {
    const key = behaviourKey(ctx.baseline.config);
    const id = this.next++;
    this.seen.set(key, id);
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
          const id = this.next++;
          this.seen.set(key, id);
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

  /**
   * The candidate a point stands for, at a fidelity: a configuration
   * proposed before keeps its id (and its point), so that evaluating it at
   * another rung is the same candidate climbing the ladder; a new one gets
   * the next id.
   */
  at(point: readonly number[], fidelity: Fidelity): Proposal {
    const d = decode(this.space, point);
    const key = behaviourKey(d.config);
    const known = this.seen.get(key);
    if (known !== undefined) {
      const info = this.points.get(known)!;
      return { candidate: known, point: info.point, config: decode(this.space, info.point).config, fidelity };
    }
    const id = this.next++;
    this.seen.set(key, id);
    this.points.set(id, { point: [...point], active: d.active });
    return { candidate: id, point: [...point], config: d.config, fidelity };
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
