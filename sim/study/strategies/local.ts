/**
 * Local search around the incumbent. It first tries the configurations that
 * earlier studies of the scenario recommended (a warm start), then screens the current
 * configuration one choice at a time — every other value of every choice and
 * on/off gate (a balancer, a breaker on, another delivery guarantee), in the
 * order of the space; a gate switched on is screened twice, its settings at
 * the middle of their ranges and at the lenient end (LENIENT). Then it runs
 * a compass search on the incumbent's live numeric knobs — each one a step up
 * and a step down, the step halved from round to round (Kolda, Lewis &
 * Torczon, "Optimization by direct search", SIAM Review 2003) — and, between
 * compass rounds and once
 * the step is spent, proposes the incumbent with one to four of its settings
 * changed at random: a numeric knob nudged (Gaussian, σ of 3%, 10% or 30% of
 * its range in the unit cube), a choice or gate switched to another value.
 * Before anything is known the incumbent is the scenario's current
 * configuration.
 *
 * Why: most of a mesh's 40-odd knobs can break delivery on their own (a
 * tiny buffer, aggressive shedding, a short timeout), so points drawn
 * uniformly over the whole space are nearly all infeasible under a tight
 * delivery SLO, while one-knob changes of a working configuration mostly
 * stay feasible. The compass walks a knob to the edge of an SLO, where the
 * best configuration of a constrained search usually is: a hedge delayed
 * until p99 just meets its bound saves every hedge that bought nothing.
 * SMAC's local search around incumbents (Hutter, Hoos & Leyton-Brown 2011)
 * mixes the two the same way.
 */
import type { Stream } from '../../engine/rng.js';
import { normalQuantile } from '../../engine/distributions.js';
import type { Outcome } from '../types.js';
import type { Sampler, SamplerObservation } from './types.js';

/**
 * Spreads of a numeric nudge, in unit-cube coordinates, one drawn per nudge:
 * small steps refine a knob near an SLO's edge, large ones leave a plateau.
 */
const SIGMAS = [0.03, 0.1, 0.3] as const;
/** Most settings changed at once. */
const MAX_CHANGES = 4;
/** Share of changes made to settings active in the incumbent. */
const LIVE_SHARE = 0.8;
/**
 * Where a gate's numeric settings sit in its second screening, in unit
 * coordinates. The middle of a log range is often far too eager for the
 * mesh at hand: a hedge after 100 ms, a 550 ms per-try timeout, where calls
 * take seconds. The upper part of most ranges is the patient or generous
 * end (later hedges and timeouts, larger buffers and limits, more errors
 * before ejection), and it is the setting a team would try next.
 */
const LENIENT = 0.8;
/** The compass's first step, and the step below which it stops (unit cube). */
const COMPASS_STEP = 0.1;
const COMPASS_MIN_STEP = 0.01;

export class IncumbentSampler implements Sampler {
  private readonly best = new Map<number, SamplerObservation>();
  private incumbent: SamplerObservation | null = null;
  /** One-choice changes of the starting point still to propose. */
  private readonly screening: number[][] = [];
  /** Compass moves of this round still to propose, the rounds begun, and the step. */
  private compass: { knob: number; dir: number }[] = [];
  private compassRounds = 0;
  /** The knob each compass move changed (by point), and what its moves measured (per knob and rung). */
  private readonly moveKnob = new Map<string, number>();
  private readonly moveResults = new Map<string, string>();
  /** Knobs two of whose moves measured exactly the same: they do not matter here, and are left out. */
  private readonly inert = new Set<number>();
  private step = COMPASS_STEP;

  constructor(
    /**
     * Per dimension: a choice or gate (switched) or a number (nudged); a
     * gate lists the numeric dimensions that only exist when it is on.
     */
    private readonly categorical: readonly { categorical: boolean; k?: number; children?: readonly number[] }[],
    private readonly start: number[],
    private readonly rank: (a: Outcome | null, b: Outcome | null) => number,
    private readonly rng: Stream,
    warmStart: readonly number[][] = [],
  ) {
    // Earlier studies' recommendations come before everything else.
    for (const p of warmStart) this.screening.push([...p]);
    categorical.forEach((dim, j) => {
      if (!dim.categorical) return;
      const k = dim.k ?? 2;
      const cur = Math.min(k - 1, Math.floor(start[j]! * k));
      for (let v = 0; v < k; v++) {
        if (v === cur) continue;
        const p = [...start];
        p[j] = (v + 0.5) / k;
        this.screening.push(p);
        // Off in the starting point, its settings were never chosen: try a patient setting too.
        const children = dim.children ?? [];
        if (cur === 0 && children.length > 0) {
          const lenient = [...p];
          for (const c of children) lenient[c] = LENIENT;
          this.screening.push(lenient);
        }
      }
    });
  }

  sample(n: number): number[][] {
    const base = this.incumbent?.point ?? this.start;
    const active = this.incumbent?.active ?? null;
    const out: number[][] = [];
    for (let i = 0; i < n; i++) out.push(this.screening.shift() ?? this.compassMove() ?? this.mutate(base, active));
    return out;
  }

  /**
   * The next compass move, or null when there is none to make now (no
   * incumbent yet, no live numeric knob, or the step is spent). A round
   * lists a step up and a step down for each live numeric knob (knobs in a
   * random order); each move is applied to the incumbent of the moment, so
   * a round goes on across changes of incumbent instead of restarting on
   * every small win. When a round has been proposed in full the step is
   * halved — a poll that keeps finding something rarely lasts a round here,
   * since every knob's neighbours get their turn — and one random change is
   * let through, so that the compass never holds the search on one point.
   */
  private compassMove(): number[] | null {
    const inc = this.incumbent;
    if (inc === null) return null;
    for (;;) {
      const move = this.compass.shift();
      if (move === undefined) {
        const step = this.compassRounds === 0 ? this.step : this.step / 2;
        if (step < COMPASS_MIN_STEP) return null; // the compass is done
        const round = this.compassRound(inc);
        if (round.length === 0) return null; // no live numeric knob yet
        const between = this.compassRounds > 0;
        this.step = step;
        this.compassRounds++;
        this.compass = round;
        if (between) return null; // one random change between rounds
        continue;
      }
      if (!inc.active[move.knob]) continue;
      const u = Math.min(1, Math.max(0, inc.point[move.knob]! + move.dir * this.step));
      if (u === inc.point[move.knob]) continue;
      const p = [...inc.point];
      p[move.knob] = u;
      this.moveKnob.set(p.join(','), move.knob);
      return p;
    }
  }

  private compassRound(inc: SamplerObservation): { knob: number; dir: number }[] {
    const knobs: number[] = [];
    this.categorical.forEach((dim, j) => {
      if (!dim.categorical && inc.active[j] && !this.inert.has(j)) knobs.push(j);
    });
    for (let i = knobs.length - 1; i > 0; i--) {
      const k = this.rng.int(i + 1);
      [knobs[i], knobs[k]] = [knobs[k]!, knobs[i]!];
    }
    return knobs.flatMap((knob) => [
      { knob, dir: 1 },
      { knob, dir: -1 },
    ]);
  }

  observe(obs: SamplerObservation): void {
    this.best.set(obs.candidate, obs);
    this.noteMove(obs);
    const inc = this.incumbent;
    // Higher rungs are more trustworthy; within a rung, the study's order.
    if (
      inc === null ||
      obs.level > inc.level ||
      (obs.level === inc.level && this.rank(obs.outcome, inc.outcome) < 0) ||
      inc.candidate === obs.candidate
    ) {
      this.incumbent = obs;
    }
  }

  /**
   * Common random numbers make a knob that does not matter show itself: two
   * of its moves, on the same rung, measure exactly the same (a retry cap
   * when nothing retries, say). Such a knob is left out of later rounds.
   */
  private noteMove(obs: SamplerObservation): void {
    const knob = this.moveKnob.get(obs.point.join(','));
    if (knob === undefined || obs.outcome === null) return;
    const o = obs.outcome;
    const measured = `${o.p99}|${o.meanLatency}|${o.deliveryRatio}|${o.costPerDelivered}`;
    const slot = `${knob}|${obs.level}`;
    const earlier = this.moveResults.get(slot);
    if (earlier === undefined) this.moveResults.set(slot, measured);
    else if (earlier === measured) this.inert.add(knob);
  }

  private mutate(base: readonly number[], active: readonly boolean[] | null): number[] {
    const p = [...base];
    const d = p.length;
    // Knobs that shape the incumbent's behaviour: a change to one of those
    // always matters, while most of the others (a breaker setting with the
    // breaker off) change nothing.
    const live: number[] = [];
    if (active !== null) for (let j = 0; j < d; j++) if (active[j]) live.push(j);
    // 1 + a geometric number of extra changes (mean ≈ 1.6 changes).
    let changes = 1;
    while (changes < MAX_CHANGES && this.rng.next() < 0.4) changes++;
    for (let c = 0; c < changes; c++) {
      const j = live.length > 0 && this.rng.next() < LIVE_SHARE ? live[this.rng.int(live.length)]! : this.rng.int(d);
      const dim = this.categorical[j]!;
      if (dim.categorical) {
        const k = dim.k ?? 2;
        const cur = Math.min(k - 1, Math.floor(p[j]! * k));
        let next = this.rng.int(k - 1);
        if (next >= cur) next++;
        p[j] = (next + 0.5) / k;
      } else {
        const sigma = SIGMAS[this.rng.int(SIGMAS.length)]!;
        const u = p[j]! + sigma * normalQuantile(this.rng.next() * 0.999999 + 5e-7);
        p[j] = u < 0 ? -u : u > 1 ? 2 - u : u;
      }
    }
    return p;
  }
}
