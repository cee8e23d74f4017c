/**
 * Compass search on the incumbent's live numeric knobs (Kolda, Lewis &
 * Torczon, "Optimization by direct search: new perspectives on some
 * classical and modern methods", SIAM Review 2003): a round polls each knob
 * a step up and a step down, and the step is halved from round to round.
 *
 * Each move is applied to the incumbent of the moment, so a round goes on
 * across changes of incumbent instead of restarting on every small win (a
 * study's incumbent changes often, by noise-sized margins). Common random
 * numbers make a knob that does not matter show itself: two of its moves,
 * on the same rung, measure exactly the same (a retry cap when nothing
 * retries, say); such a knob is left out of later rounds.
 */
import { shuffle, type Stream } from '../../engine/rng.js';
import type { SamplerObservation } from './types.js';

/** The first step, and the step below which the compass stops (unit cube). */
const FIRST_STEP = 0.1;
const MIN_STEP = 0.01;

export class CompassSearch {
  private moves: { knob: number; dir: number }[] = [];
  private rounds = 0;
  private step = FIRST_STEP;
  /** The knob each move changed, by point; what each knob's moves measured, by knob and rung. */
  private readonly knobOf = new Map<string, number>();
  private readonly measured = new Map<string, string>();
  private readonly inert = new Set<number>();

  constructor(
    /** Which dimensions are numbers (the compass moves only those). */
    private readonly numeric: readonly boolean[],
    private readonly rng: Stream,
  ) {}

  /**
   * The next move around `inc`, or null when there is none to make now: no
   * live numeric knob, the step spent, or a round just ended — one other
   * proposal goes between rounds, so that the compass never holds the
   * search on one point.
   */
  next(inc: SamplerObservation): number[] | null {
    for (;;) {
      const move = this.moves.shift();
      if (move === undefined) {
        const step = this.rounds === 0 ? this.step : this.step / 2;
        if (step < MIN_STEP) return null;
        const round = this.round(inc);
        if (round.length === 0) return null;
        const between = this.rounds > 0;
        this.step = step;
        this.rounds++;
        this.moves = round;
        if (between) return null;
        continue;
      }
      if (!inc.active[move.knob]) continue;
      const u = Math.min(1, Math.max(0, inc.point[move.knob]! + move.dir * this.step));
      if (u === inc.point[move.knob]) continue;
      const p = [...inc.point];
      p[move.knob] = u;
      this.knobOf.set(p.join(','), move.knob);
      return p;
    }
  }

  /** Learns from a finished evaluation whether a knob it moved matters. */
  observe(obs: SamplerObservation): void {
    const knob = this.knobOf.get(obs.point.join(','));
    if (knob === undefined || obs.outcome === null) return;
    const o = obs.outcome;
    const result = `${o.p99}|${o.meanLatency}|${o.deliveryRatio}|${o.costPerDelivered}`;
    const slot = `${knob}|${obs.level}`;
    const earlier = this.measured.get(slot);
    if (earlier === undefined) this.measured.set(slot, result);
    else if (earlier === result) this.inert.add(knob);
  }

  /** A step up and a step down for each live numeric knob, knobs in a seeded random order. */
  private round(inc: SamplerObservation): { knob: number; dir: number }[] {
    const knobs: number[] = [];
    this.numeric.forEach((isNumber, j) => {
      if (isNumber && inc.active[j] && !this.inert.has(j)) knobs.push(j);
    });
    return shuffle(this.rng, knobs).flatMap((knob) => [
      { knob, dir: 1 },
      { knob, dir: -1 },
    ]);
  }
}
