/**
 * Local search around the incumbent, in three kinds of proposal, each used
 * while the one before has nothing to offer:
 *
 * 1. Screening: the configurations earlier studies of the scenario
 *    recommended (a warm start), then the current configuration changed one
 *    choice at a time — every other value of every choice and on/off gate (a
 *    balancer, a breaker on, another delivery guarantee), breadth first: one
 *    change of each choice and gate, in the order of the space, before a
 *    second of any; a gate switched on is screened three times, its settings
 *    middle, eager and patient (GATE_SETTINGS), each with its companion first
 *    when the point lacks it (a timeout with retries); a role's size (its
 *    replicas, slots, an autoscaler's bounds) at half and at twice its count. Then,
 *    each time the incumbent (once promoted past the first rung) sits in a
 *    basin not screened yet, the same one-choice changes of the incumbent:
 *    mechanisms interact (a hedge helps a least-request balancer more than
 *    a round-robin one), and a change that looked useless next to the
 *    current configuration may be the next step from the best one.
 * 2. Compass search on the incumbent's live numeric knobs (compass.ts): it
 *    walks a knob to the edge of an SLO, where the best configuration of a
 *    constrained search usually is — a hedge delayed until p99 just meets its
 *    bound saves every hedge that bought nothing.
 * 3. Random changes of the incumbent: one to four settings, a numeric knob
 *    nudged (Gaussian, σ of 3%, 10% or 30% of its range in the unit cube), a
 *    choice or gate switched to another value.
 *
 * Before anything is known the incumbent is the scenario's current
 * configuration.
 *
 * Why: most of a mesh's 40-odd knobs can break delivery on their own (a
 * tiny buffer, aggressive shedding, a short timeout), so points drawn
 * uniformly over the whole space are nearly all infeasible under a tight
 * delivery SLO, while one-knob changes of a working configuration mostly
 * stay feasible. SMAC's local search around incumbents (Hutter, Hoos &
 * Leyton-Brown 2011) mixes the two the same way.
 */
import type { Stream } from '../../engine/rng.js';
import { normalQuantile } from '../../engine/distributions.js';
import type { Outcome } from '../types.js';
import { CompassSearch } from './compass.js';
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
 * Where a gate's numeric settings sit when the screening switches it on next
 * to a configuration not measured yet (the current one, before the first
 * results), in unit coordinates: eager, middle and patient (a hedge after
 * 6.3, 100 or 1,585 ms). Next to a measured incumbent, a wait knob is tried
 * at that incumbent's own latencies instead (`latencyWaits`).
 */
const GATE_SETTINGS = [0.2, 0.5, 0.8] as const;
/** The order a gate's settings are screened in: the middle first, then eager and patient. */
const SETTING_ORDER = [1, 0, 2] as const;

/** A dimension as local search sees it (strategies/index.ts `localDims`). */
export interface LocalDim {
  categorical: boolean;
  k?: number;
  /** A gate's numeric dimensions. */
  children?: readonly number[];
  /** A wait knob (a hedge delay, a timeout): the unit coordinate of a wait in ms. */
  fromMs?: (ms: number) => number;
  /** A count (replicas, slots, an autoscaler's bounds): the coordinates of half and twice the count at `u`. */
  resize?: (u: number) => number[];
  /**
   * A gate whose settings count only relative to each other (class weights):
   * switched on, each of them is screened at the top with the others at the
   * bottom, instead of all at one setting — which would be no change at all.
   */
  relative?: boolean;
  /**
   * A gate's companion: a setting without which switching the gate on does
   * little (a timeout's retries). When it is idle in the point, the gate is
   * also screened with it set to `unit`.
   */
  companion?: { dim: number; unit: number; idle: (u: number) => boolean };
  /** A choice's values (indices) in the order the screening tries them; the space's order when absent. */
  order?: readonly number[];
}

/**
 * The waits a latency-scaled knob is tried at when its gate is switched on
 * next to a measured configuration: its p50, the geometric mean of p50 and
 * p99 (about its p90), and its p99. "The Tail at Scale" (Dean & Barroso,
 * CACM 2013) hedges after about the 95th-percentile latency; a timeout
 * belongs near the p99. Fixed points of a range spanning four decades land
 * a factor of 16 apart and miss the few hundred milliseconds that matter.
 */
function latencyWaits(o: Outcome): number[] {
  const lo = Math.max(o.p50, 1e-3);
  const hi = Math.max(o.p99, lo);
  return [lo, Math.sqrt(lo * hi), hi];
}

export class IncumbentSampler implements Sampler {
  private incumbent: SamplerObservation | null = null;
  /** One-choice changes of the starting point (then of incumbents) still to propose. */
  private readonly screening: number[][] = [];
  /** Basins (choices and gates) whose one-choice changes were screened. */
  private readonly screened = new Set<string>();
  private readonly compass: CompassSearch;

  constructor(
    /**
     * Per dimension: a choice or gate (switched) or a number (nudged); a
     * gate lists the numeric dimensions that only exist when it is on.
     */
    private readonly categorical: readonly LocalDim[],
    private readonly start: number[],
    private readonly rank: (a: Outcome | null, b: Outcome | null) => number,
    private readonly rng: Stream,
    warmStart: readonly number[][] = [],
  ) {
    this.compass = new CompassSearch(
      categorical.map((d) => !d.categorical),
      rng,
    );
    // Earlier studies' recommendations come before everything else.
    for (const p of warmStart) this.screening.push([...p]);
    this.screening.push(...this.neighbours(start));
    this.screened.add(this.signature(start));
  }

  /**
   * The one-choice changes of a point, breadth first: every other value of
   * every choice and gate (a gate switched on at its middle, eager and patient
   * settings; class weights one class ahead at a time), and each role's size
   * halved and doubled.
   */
  private neighbours(point: readonly number[], measured: Outcome | null = null): number[][] {
    // Each choice's or gate's changes in a list of their own, most telling first;
    // then one of each in turn (below).
    const lists: number[][][] = [];
    this.categorical.forEach((dim, j) => {
      if (dim.resize !== undefined) {
        // A role's size, halved and doubled: numbers the compass search reaches only late, where the cost is.
        const mine = dim
          .resize(point[j]!)
          .filter((u) => Math.abs(u - point[j]!) > 1e-9)
          .map((u) => {
            const p = [...point];
            p[j] = u;
            return p;
          });
        if (mine.length > 0) lists.push(mine);
        return;
      }
      if (!dim.categorical) return;
      const k = dim.k ?? 2;
      const cur = Math.min(k - 1, Math.floor(point[j]! * k));
      const mine: number[][] = [];
      lists.push(mine);
      for (const v of dim.order ?? Array.from({ length: k }, (_, i) => i)) {
        if (v === cur) continue;
        const p = [...point];
        p[j] = (v + 0.5) / k;
        // Off in the point, its settings were never chosen: try three — middle, then eager and patient.
        const children = dim.children ?? [];
        if (cur !== 0 || children.length === 0) {
          mine.push(p);
          continue;
        }
        if (dim.relative === true) {
          // One class ahead of the rest at a time: 100 : 1 (the top and the bottom of the weights' range).
          for (const first of children) {
            const q = [...p];
            for (const c of children) q[c] = c === first ? 1 : 0;
            mine.push(q);
          }
          continue;
        }
        const waits = measured !== null && Number.isFinite(measured.p99) ? latencyWaits(measured) : null;
        const companion = dim.companion !== undefined && dim.companion.idle(point[dim.companion.dim]!) ? dim.companion : null;
        for (const i of SETTING_ORDER) {
          const q = [...p];
          for (const c of children) {
            const fromMs = this.categorical[c]!.fromMs;
            q[c] = waits !== null && fromMs !== undefined ? fromMs(waits[i]!) : GATE_SETTINGS[i]!;
          }
          // With its companion first: alone, such a gate changes little.
          if (companion !== null) {
            const paired = [...q];
            paired[companion.dim] = companion.unit;
            mine.push(paired);
          }
          mine.push(q);
        }
      }
    });
    // Breadth first: one change of every choice and gate before a second of
    // any, so that a small budget screens every mechanism once — in space
    // order, a balancer's four alternatives and a buffer's three settings
    // came before a hedge was ever tried.
    const out: number[][] = [];
    const total = lists.reduce((n, l) => n + l.length, 0);
    for (let round = 0; out.length < total; round++) {
      for (const l of lists) if (round < l.length) out.push(l[round]!);
    }
    return out;
  }

  /** The choices and gates of a point: which basin it is in. */
  private signature(point: readonly number[]): string {
    return this.categorical.map((dim, j) => (dim.categorical ? Math.min((dim.k ?? 2) - 1, Math.floor(point[j]! * (dim.k ?? 2))) : '')).join(',');
  }

  sample(n: number): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < n; i++) {
      const inc = this.incumbent;
      // An incumbent that survived a promotion in a basin not screened yet: its own one-choice changes next.
      if (this.screening.length === 0 && inc !== null && inc.level > 0 && !this.screened.has(this.signature(inc.point))) {
        this.screened.add(this.signature(inc.point));
        this.screening.push(...this.neighbours(inc.point, inc.outcome));
      }
      out.push(
        this.screening.shift() ??
          (inc === null ? null : this.compass.next(inc)) ??
          this.mutate(inc?.point ?? this.start, inc?.active ?? null),
      );
    }
    return out;
  }

  observe(obs: SamplerObservation): void {
    this.compass.observe(obs);
    const inc = this.incumbent;
    // Higher rungs are more trustworthy; within a rung, the study's order.
    const better = inc !== null && obs.level === inc.level && this.rank(obs.outcome, inc.outcome) < 0;
    if (inc === null || obs.level > inc.level || better || inc.candidate === obs.candidate) {
      this.incumbent = obs;
    }
    if (better) this.followResize(inc.point, obs.point);
  }

  /**
   * A role's size halved (or doubled) that beat the incumbent: halved (or
   * doubled) again next, first in line — a fleet five times too large takes
   * two or three such steps, which the compass search's small moves would
   * spend the budget on.
   */
  private followResize(from: readonly number[], to: readonly number[]): void {
    const changed = from.flatMap((u, j) => (Math.abs(u - to[j]!) > 1e-9 ? [j] : []));
    if (changed.length !== 1) return;
    const j = changed[0]!;
    const resize = this.categorical[j]!.resize;
    if (resize === undefined) return;
    const down = to[j]! < from[j]!;
    const next = resize(to[j]!).find((u) => (down ? u < to[j]! - 1e-9 : u > to[j]! + 1e-9));
    if (next === undefined) return;
    const p = [...to];
    p[j] = next;
    this.screening.unshift(p);
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
