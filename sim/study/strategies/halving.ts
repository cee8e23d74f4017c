/**
 * Successive halving (Jamieson & Talwalkar, "Non-stochastic best arm
 * identification and hyperparameter optimization", AISTATS 2016; the bracket
 * of Li et al., "Hyperband", JMLR 2018), run as racing over the fidelity
 * ladder (fidelity.ts): a bracket of n candidates runs on the cheapest rung
 * (a third of the duration, one seed), the best third are promoted to the
 * full duration, and the best third of those to every search seed. Only
 * candidates that stay close to the front get more simulated time and more
 * seeds.
 *
 * Brackets follow one another until the budget is spent, each sized to what
 * is left (at most η³ = 27 candidates), and the sampler that fills them
 * learns from every finished rung — random (Latin hypercube) for `halving`,
 * TPE for `tpe-halving` (in the spirit of BOHB, Falkner et al. 2018, and of
 * Optuna's TPE with a successive-halving pruner).
 */
import { ETA, LADDER } from '../fidelity.js';
import { decode, encodeValue } from '../codec.js';
import { Candidates } from './candidates.js';
import { INTENSIFY_SHARE, Intensifier, type Repair } from './intensify.js';
import type { Observation, Proposal, Sampler, Strategy, StrategyContext } from './types.js';

/** Largest bracket: η³ candidates on the first rung. */
export const MAX_BRACKET = ETA ** 3;

/** Candidates promoted from a rung of n. */
export function promoted(n: number): number {
  return Math.max(1, Math.floor(n / ETA));
}

/**
 * Budget a bracket of n candidates costs in full-run equivalents, before any
 * reuse: rung r costs fraction × (new seeds); the top rung reuses the seed
 * the rung below ran at the same duration.
 */
export function bracketCost(n: number): number {
  let cost = 0;
  let size = n;
  let prev: (typeof LADDER)[number] | null = null;
  for (const rung of LADDER) {
    const reused = prev !== null && prev.fraction === rung.fraction ? prev.seeds : 0;
    cost += size * rung.fraction * (rung.seeds - reused);
    prev = rung;
    size = promoted(size);
  }
  return cost;
}

/** Largest bracket (≤ MAX_BRACKET) whose cost fits in `remaining`; 0 when none does. */
export function bracketSize(remaining: number): number {
  for (let n = MAX_BRACKET; n >= 1; n--) if (bracketCost(n) <= remaining + 1e-9) return n;
  return 0;
}

export class SuccessiveHalving implements Strategy {
  private readonly candidates: Candidates;
  private started = false;
  /** Budget at the first ask: the whole search's. */
  private total: number | null = null;
  /** The last share of the budget, spent around the incumbent (intensify.ts); null: brackets to the end. */
  private readonly intensifier: Intensifier | null;
  private intensifying = false;
  /** The intensification found nothing more to try: brackets take what is left. */
  private intensified = false;
  /** The bracket in progress: its rung and the candidates still racing. */
  private rung = -1;
  private members: Proposal[] = [];
  private pending: Proposal[] = [];

  constructor(
    readonly name: string,
    private readonly ctx: StrategyContext,
    private readonly sampler: Sampler,
    intensify = false,
  ) {
    this.candidates = new Candidates(ctx.space);
    this.intensifier = intensify
      ? new Intensifier(
          this.candidates,
          ctx.space.dims.map((d) => d.kind === 'int' || d.kind === 'float'),
          (point) => decode(ctx.space, point).active,
          ctx.rank,
          ctx.improves ?? ((a, b) => ctx.rank(a, b) < 0),
          repairKnob(ctx),
        )
      : null;
  }

  ask(remaining: number): Proposal[] {
    this.total ??= remaining;
    if (this.pending.length > 0) return this.pending;
    if (this.intensifying) {
      const moves = this.intensifier!.ask(remaining);
      // Nothing left to try around the incumbent (no live numeric knob, or its
      // step spent) while a bracket still fits: explore on rather than end the
      // search with budget unspent (a study at budget 30 had stopped at 19,
      // no configuration found that met its SLOs).
      if (moves.length > 0 || bracketSize(remaining) === 0) return (this.pending = moves);
      this.intensifying = false;
      this.intensified = true;
    }
    if (this.rung >= 0 && this.rung < LADDER.length - 1 && this.members.length > 0) {
      // Promote the best of the finished rung.
      this.rung += 1;
      const rung = LADDER[this.rung]!;
      this.pending = this.members.map((p) => ({ ...p, fidelity: rung }));
      return this.pending;
    }
    // A new bracket, in what the intensification leaves.
    const kept = this.intensifier !== null && !this.intensified ? INTENSIFY_SHARE * this.total : 0;
    // The first bracket may take the intensification's share: without it there
    // is no incumbent to intensify around (a study at budget 5 ran nothing).
    const n = bracketSize(remaining - kept) || (this.started ? 0 : bracketSize(remaining));
    if (n === 0) {
      if (this.intensifier === null || this.intensified || !this.started) return [];
      this.intensifying = true;
      return this.ask(remaining);
    }
    const first = LADDER[0]!;
    const out: Proposal[] = [];
    if (!this.started) {
      this.started = true;
      out.push(this.candidates.baseline(this.ctx, first));
    }
    out.push(...this.candidates.draw(this.sampler, n - out.length, first));
    this.rung = 0;
    this.pending = out;
    return out;
  }

  tell(results: readonly Observation[]): void {
    for (const r of results) this.sampler.observe(this.candidates.observation(r.proposal, r.outcome));
    this.pending = [];
    if (this.intensifying) {
      this.intensifier!.tell(results);
      return;
    }
    for (const r of results) this.intensifier?.observe(r);
    const ok = results.filter((r) => r.outcome !== null);
    const ranked = [...ok].sort((a, b) => this.ctx.rank(a.outcome, b.outcome) || a.proposal.candidate - b.proposal.candidate);
    this.members = ranked.slice(0, promoted(results.length)).map((r) => r.proposal);
    if (this.rung >= LADDER.length - 1) this.members = [];
  }
}

/**
 * The delivery guarantee as the intensification's repair (intensify.ts): its
 * dimension and the unit coordinates of its values, with the test for a
 * candidate worth repairing; null when the space has no such choice.
 */
function repairKnob(ctx: StrategyContext): Repair | null {
  const dim = ctx.space.dims.findIndex((d) => d.kind === 'choice' && d.path === 'delivery' && d.when === null);
  const d = ctx.space.dims[dim];
  const { meets, shortOnDelivery, objectiveBetter } = ctx;
  if (d === undefined || d.kind !== 'choice' || meets === undefined || shortOnDelivery === undefined || objectiveBetter === undefined) return null;
  return { dim, values: d.values.map((v) => encodeValue(d, v)), meets, shortOnDelivery, objectiveBetter };
}
