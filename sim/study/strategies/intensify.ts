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
 * 5. Before the first round, a repair: of the top-rung candidates that meet
 *    every SLO but the delivery ratio's and beat the incumbent on the mode's
 *    objective (any such, the incumbent too, when it misses the SLOs
 *    itself), the REPAIR_PICKS nearest misses are polled with each other
 *    delivery guarantee. The repairs that meet the SLOs on the polling rung
 *    (the best of each candidate repaired) are promoted in turn, best first,
 *    until the top rung takes one, as for a move. A candidate whose p99 is
 *    half the incumbent's but which loses a few messages to a crashed replica
 *    is one change from the answer; the polls of numeric knobs never make
 *    it, and the screening ranks its shortfall below the incumbent's.
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

/**
 * Candidates repaired (step 5), nearest misses first. Which shortfall a
 * delivery guarantee mends is not known before it runs: one lost to shedding
 * or a deadline stays lost, one lost to a crashed replica is sent again.
 */
const REPAIR_PICKS = 3;

const FIRST_STEP = 0.1;
const MIN_STEP = 0.01;
/** The largest step a pattern move expands to (unit-cube coordinates). */
const MAX_STEP = 0.4;
/** The polling rung: full duration, the first search seed. */
const POLL = LADDER[1]!;
/** Budget of a promotion: the top rung's seeds the polling rung has not run. */
const PROMOTE_COST = TOP.fraction * TOP.seeds - POLL.fraction * POLL.seeds;

/** The repair of step 5: the delivery dimension, its values' unit coordinates, and which outcomes deserve it. */
export interface Repair {
  dim: number;
  values: readonly number[];
  meets: (o: Outcome) => boolean;
  /** `o` meets every SLO but the delivery ratio's, and misses that one: what a delivery guarantee may mend. */
  shortOnDelivery: (o: Outcome) => boolean;
  /** `a` is better than `b` on the mode's objective alone. */
  objectiveBetter: (a: Outcome, b: Outcome) => boolean;
}

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
  /** Whether the round in flight is the repair (step 5), and whether it has been made. */
  private repairRound = false;
  private repaired = false;
  /** The repair round's candidates: the candidate each one repairs. */
  private repairOf = new Map<number, number>();
  /** Repairs that met the SLOs on the polling rung, best first, one per repaired candidate: promoted in turn until one is taken. */
  private repairQueue: Proposal[] = [];
  private promoting: { proposal: Proposal; move: Move; pattern: boolean; repair: boolean } | null = null;
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
    private readonly repair: Repair | null = null,
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
    if (!this.repaired) {
      this.repaired = true;
      const repairs = this.repairsOf(inc);
      const room = Math.floor((remaining - PROMOTE_COST) / (POLL.fraction * POLL.seeds) + 1e-9);
      this.round = new Map();
      this.repairOf = new Map();
      for (const { point, of } of repairs.slice(0, Math.max(0, room))) {
        const p = this.candidates.at(point, POLL);
        if (p.candidate === inc.candidate || this.round.has(p.candidate)) continue;
        this.round.set(p.candidate, { knob: this.repair!.dim, dir: 1, step: 0 });
        this.repairOf.set(p.candidate, of);
        out.push(p);
      }
      if (this.round.size > 0) {
        this.repairRound = true;
        return out;
      }
    }
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

  /**
   * Step 5's points: among the top-rung candidates short on delivery alone
   * that beat the incumbent on the mode's objective (or any such, when the
   * incumbent misses the SLOs), the REPAIR_PICKS nearest misses, each with
   * each other delivery guarantee; none when there is no such candidate.
   */
  private repairsOf(inc: Proposal): Array<{ point: number[]; of: number }> {
    const r = this.repair;
    const incOutcome = this.outcome(inc.candidate, TOP.level);
    if (r === null || incOutcome === undefined || incOutcome === null) return [];
    // Those short on delivery alone: when the incumbent meets the SLOs, those
    // that beat it on the objective; when it misses them, any (itself too).
    const incMeets = r.meets(incOutcome);
    const misses: Array<[Proposal, Outcome]> = [];
    for (const [candidate, byLevel] of this.results) {
      const o = byLevel.get(TOP.level);
      if (o === undefined || o === null || !r.shortOnDelivery(o)) continue;
      if (!incMeets || r.objectiveBetter(o, incOutcome)) misses.push([this.proposals.get(candidate)!, o]);
    }
    // The nearest misses first (the study's order: the smallest violation first; earlier candidates on ties).
    misses.sort((a, b) => this.rank(a[1], b[1]) || a[0].candidate - b[0].candidate);
    const points: Array<{ point: number[]; of: number }> = [];
    for (const [pick] of misses.slice(0, REPAIR_PICKS)) {
      for (const u of r.values) if (u !== pick.point[r.dim]) points.push({ point: pick.point.map((x, j) => (j === r.dim ? u : x)), of: pick.candidate });
    }
    return points;
  }

  /**
   * A move is promoted when it beats the incumbent on the polling rung; a
   * repair when it meets the SLOs there. The candidate it repairs already
   * beat the incumbent on the objective over the top rung's seeds, and the
   * polling rung's one seed can say the opposite (edge-api-db: the incumbent
   * 652 ms and the repair 708 ms there, 2.18 s against peak-ewma's 1.35 s on
   * the top rung): the top rung decides, as for a move.
   */
  private worthPromoting(r: Observation, base: Outcome | null): boolean {
    if (!this.repairOf.has(r.proposal.candidate) || r.outcome === null) return this.improves(r.outcome, base);
    return this.repair!.meets(r.outcome);
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
      const { proposal, move, pattern, repair } = this.promoting;
      this.promoting = null;
      if (this.improves(this.outcome(proposal.candidate, TOP.level) ?? null, this.outcome(inc.candidate, TOP.level) ?? null)) {
        this.incumbent = proposal;
        // A repair is no direction to continue in.
        this.lead = repair ? null : move;
        // A pattern move that held: the ridge runs on, take longer strides along it.
        if (pattern) this.step = move.step;
        this.repairQueue = [];
      } else if (!repair) this.step /= 2;
      else {
        // The one seed of the polling rung hid a shortfall the top rung's show: the next repair.
        const next = this.repairQueue.shift();
        if (next !== undefined) this.promoting = { proposal: next, move, pattern: false, repair: true };
      }
      return;
    }
    const base = this.outcome(inc.candidate, POLL.level) ?? null;
    let bestMove: Proposal | null = null;
    const worthy: Observation[] = [];
    for (const r of results) {
      if (!this.round.has(r.proposal.candidate) || !this.worthPromoting(r, base)) continue;
      worthy.push(r);
      if (bestMove === null || this.rank(r.outcome, this.outcome(bestMove.candidate, POLL.level) ?? null) < 0) bestMove = r.proposal;
    }
    if (this.repairRound) {
      // Best first (earlier candidates on ties), the best repair of each candidate repaired.
      worthy.sort((a, b) => this.rank(a.outcome, b.outcome) || a.proposal.candidate - b.proposal.candidate);
      const repaired = new Set<number>();
      this.repairQueue = [];
      for (const r of worthy) {
        const of = this.repairOf.get(r.proposal.candidate)!;
        if (repaired.has(of)) continue;
        repaired.add(of);
        this.repairQueue.push(r.proposal);
      }
      bestMove = this.repairQueue.shift() ?? null;
    }
    const wasPattern = this.patternRound;
    const wasRepair = this.repairRound;
    if (bestMove !== null) this.promoting = { proposal: bestMove, move: this.round.get(bestMove.candidate)!, pattern: wasPattern, repair: wasRepair };
    // A pattern move or a repair that gains nothing says nothing about the step: the full poll follows at the same one.
    else if (!wasPattern && !wasRepair) this.step /= 2;
    this.round = new Map();
    this.repairOf = new Map();
    this.patternRound = false;
    this.repairRound = false;
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
