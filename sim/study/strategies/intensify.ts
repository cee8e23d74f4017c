/**
 * The last share of a search: intensification around the incumbent, at a
 * fidelity where small differences show. Early rungs screen on a third of
 * the scenario and one seed, where the noise hides the difference between a
 * hedge after 400 ms and after 700 ms; five study seeds then stop at five
 * different points of the same ridge. Here the incumbent (the best candidate
 * at the top rung) is polled on the full duration:
 *
 * 1. A round moves each of its live numeric knobs a step up and a step down
 *    (unit-cube coordinates, the step starting at 0.1) and runs every move on
 *    the full duration and the first search seed (rung 1), which the
 *    incumbent has run too: paired by common random numbers.
 * 2. The best move, if it beats the incumbent there by more than 2% on the
 *    mode's objective (or meets the SLOs better), runs on every search seed
 *    (the top rung); if it beats the incumbent there too it becomes the
 *    incumbent and the step stays, otherwise the step halves. A round with no
 *    such move halves the step as well. Moves that gain less are not worth
 *    their risk: walking a hedge ever earlier for 1% of p99 ends at the edge
 *    where a rare seed falls into a retry storm.
 * 3. After a move is taken, the next round first tries the same knob in the
 *    same direction at twice the step, alone (a pattern move, as Hooke and
 *    Jeeves's search makes; the step's expansion is MADS's): a ridge that
 *    runs far — a hedge that keeps gaining down to a millisecond — is walked
 *    in a few cheap rounds instead of a full poll per step. When the pattern
 *    move gains nothing, the full poll follows at the step it had.
 * 4. A knob shown inert is left out: two candidates anywhere in the search
 *    that differ in it alone and measure exactly the same on a rung (a
 *    backoff when nothing retries).
 *
 * It stops when the step falls below MIN_STEP or the budget is spent. This is
 * a generalized pattern search (Torczon 1997) with a noisy acceptance test
 * made stricter by re-measuring on more seeds before moving.
 */
import { LADDER, TOP } from '../fidelity.js';
import type { Outcome } from '../types.js';
import type { Candidates } from './candidates.js';
import type { Observation, Proposal } from './types.js';

/** Share of a search's budget spent intensifying at its end. */
export const INTENSIFY_SHARE = 0.25;

const FIRST_STEP = 0.1;
const MIN_STEP = 0.01;
/** The largest step a pattern move expands to (unit-cube coordinates). */
const MAX_STEP = 0.4;
/** The polling rung: full duration, the first search seed. */
const POLL = LADDER[1]!;
/** Budget of a promotion: the top rung's seeds the polling rung has not run. */
const PROMOTE_COST = TOP.fraction * TOP.seeds - POLL.fraction * POLL.seeds;

export class Intensifier {
  /** Every result, by candidate and rung. */
  private readonly results = new Map<number, Map<number, Outcome | null>>();
  private readonly proposals = new Map<number, Proposal>();
  private incumbent: Proposal | null = null;
  private step = FIRST_STEP;
  private readonly inert = new Set<number>();
  /** Moves of the round in flight, by candidate: which knob each moved, and which way. */
  private round = new Map<number, Move>();
  /** Whether the round in flight is a pattern move (one move, the last taken one continued). */
  private patternRound = false;
  private promoting: { proposal: Proposal; move: Move; pattern: boolean } | null = null;
  /** The last move taken: the next round tries it again first. */
  private lead: Move | null = null;

  constructor(
    private readonly candidates: Candidates,
    /** Which dimensions are numbers, and which are active in a point. */
    private readonly numeric: readonly boolean[],
    private readonly activeOf: (point: readonly number[]) => boolean[],
    private readonly rank: (a: Outcome | null, b: Outcome | null) => number,
    /** Better by enough to move to (a move that gains less is not taken). */
    private readonly improves: (a: Outcome | null, b: Outcome | null) => boolean,
  ) {}

  /**
   * Per (rung, knob, the point without that knob): the outcome measured and
   * the knob's value. Two candidates that differ in one knob only and measure
   * exactly the same on a rung show the knob inert, wherever the search found
   * the pair (the compass search's probes, a random change).
   */
  private readonly twins = new Map<string, { value: number; result: string }>();

  /** Learns every result of the search, from its first rung on. */
  observe(o: Observation): void {
    this.learnInert(o);
    const level = o.proposal.fidelity.level;
    let byLevel = this.results.get(o.proposal.candidate);
    if (byLevel === undefined) this.results.set(o.proposal.candidate, (byLevel = new Map()));
    byLevel.set(level, o.outcome);
    this.proposals.set(o.proposal.candidate, o.proposal);
  }

  private learnInert(o: Observation): void {
    if (o.outcome === null) return;
    const result = resultKey(o.outcome);
    const point = o.proposal.point;
    const level = o.proposal.fidelity.level;
    this.numeric.forEach((isNumber, knob) => {
      if (!isNumber || this.inert.has(knob)) return;
      const key = `${level}|${knob}|${point.map((u, j) => (j === knob ? '' : u)).join(',')}`;
      const twin = this.twins.get(key);
      if (twin === undefined) this.twins.set(key, { value: point[knob]!, result });
      else if (twin.value !== point[knob] && twin.result === result) this.inert.add(knob);
    });
  }

  private outcome(candidate: number, level: number): Outcome | null | undefined {
    return this.results.get(candidate)?.get(level);
  }

  /** The best candidate at the top rung (earlier candidates win ties). */
  private best(): Proposal | null {
    let best: Proposal | null = null;
    for (const [candidate, byLevel] of this.results) {
      const o = byLevel.get(TOP.level);
      if (o === undefined || o === null) continue;
      if (best === null || this.rank(o, this.outcome(best.candidate, TOP.level)!) < 0) best = this.proposals.get(candidate)!;
    }
    return best;
  }

  ask(remaining: number): Proposal[] {
    if (this.promoting !== null) return remaining + 1e-9 >= PROMOTE_COST ? [{ ...this.promoting.proposal, fidelity: TOP }] : [];
    if (this.step < MIN_STEP) return [];
    this.incumbent ??= this.best();
    const inc = this.incumbent;
    if (inc === null) return [];
    const out: Proposal[] = [];
    // The incumbent on the polling rung: shared with its top-rung runs, so free.
    if (this.outcome(inc.candidate, POLL.level) === undefined) out.push({ ...inc, fidelity: POLL });
    const pattern = this.lead !== null ? this.moveOf(inc, this.lead.knob, this.lead.dir, Math.min(MAX_STEP, 2 * this.step)) : null;
    this.lead = null;
    const moves: Array<{ move: Move; point: number[] }> = [];
    if (pattern !== null) moves.push(pattern);
    else {
      const active = this.activeOf(inc.point);
      this.numeric.forEach((isNumber, knob) => {
        if (!isNumber || !active[knob] || this.inert.has(knob)) return;
        for (const dir of [1, -1] as const) {
          const m = this.moveOf(inc, knob, dir, this.step);
          if (m !== null) moves.push(m);
        }
      });
    }
    // Room for the round and for promoting its best move.
    const room = Math.floor((remaining - PROMOTE_COST) / (POLL.fraction * POLL.seeds) + 1e-9);
    this.round = new Map();
    this.patternRound = pattern !== null;
    for (const m of moves.slice(0, Math.max(0, room))) {
      const p = this.candidates.at(m.point, POLL);
      if (p.candidate === inc.candidate || this.round.has(p.candidate)) continue;
      this.round.set(p.candidate, m.move);
      out.push(p);
    }
    if (this.round.size === 0) return [];
    return out;
  }

  /** The incumbent with one knob moved `step` in direction `dir`, or null at the bound. */
  private moveOf(inc: Proposal, knob: number, dir: 1 | -1, step: number): { move: Move; point: number[] } | null {
    const u = Math.min(1, Math.max(0, inc.point[knob]! + dir * step));
    if (u === inc.point[knob]) return null;
    const point = [...inc.point];
    point[knob] = u;
    return { move: { knob, dir, step }, point };
  }

  tell(results: readonly Observation[]): void {
    for (const r of results) this.observe(r);
    const inc = this.incumbent;
    if (inc === null) return;
    if (this.promoting !== null) {
      const { proposal, move, pattern } = this.promoting;
      this.promoting = null;
      if (this.improves(this.outcome(proposal.candidate, TOP.level) ?? null, this.outcome(inc.candidate, TOP.level) ?? null)) {
        this.incumbent = proposal;
        this.lead = move;
        // A pattern move that held: the ridge runs on, take longer strides along it.
        if (pattern) this.step = move.step;
      } else this.step /= 2;
      return;
    }
    const base = this.outcome(inc.candidate, POLL.level) ?? null;
    let bestMove: Proposal | null = null;
    for (const r of results) {
      if (!this.round.has(r.proposal.candidate)) continue;
      if (this.improves(r.outcome, base) && (bestMove === null || this.rank(r.outcome, this.outcome(bestMove.candidate, POLL.level) ?? null) < 0)) {
        bestMove = r.proposal;
      }
    }
    const wasPattern = this.patternRound;
    if (bestMove !== null) this.promoting = { proposal: bestMove, move: this.round.get(bestMove.candidate)!, pattern: wasPattern };
    // A pattern move that gains nothing says nothing about the step: the full poll follows at the same one.
    else if (!wasPattern) this.step /= 2;
    this.round = new Map();
    this.patternRound = false;
  }
}

/** One knob moved one step one way. */
interface Move {
  knob: number;
  dir: 1 | -1;
  step: number;
}

/** What a run measured, exactly (common random numbers make a knob that does nothing show as equal keys). */
function resultKey(o: Outcome): string {
  return `${o.p99}|${o.meanLatency}|${o.deliveryRatio}|${o.costPerDelivered}`;
}
