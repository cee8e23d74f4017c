import type { Stream } from '../engine/rng.js';

/**
 * Open arrival processes. `next(now)` returns the time of the next arrival
 * after `now` (ms), or Infinity when the process has nothing more to send.
 * Each process draws only from the stream it was given.
 */
export interface ArrivalProcess {
  next(nowMs: number): number;
}

/** Exponential gap with rate `perSec`, ms. */
function expGapMs(perSec: number, rng: Stream): number {
  return perSec > 0 ? (-1000 * Math.log(1 - rng.next())) / perSec : Infinity;
}

/** Homogeneous Poisson process. */
export class PoissonArrivals implements ArrivalProcess {
  constructor(
    private readonly ratePerSec: number,
    private readonly rng: Stream,
  ) {}

  next(nowMs: number): number {
    return nowMs + expGapMs(this.ratePerSec, this.rng);
  }
}

/**
 * Two-state Markov-modulated Poisson process (SPEC §4 `bursty`): a normal
 * state at `rate` lasting Exp(meanGap), a burst at `burstRate` lasting
 * Exp(meanBurst). Exact by memorylessness: a gap that crosses a state change is
 * redrawn from the change at the new rate. Starts in the normal state.
 */
export class MmppArrivals implements ArrivalProcess {
  private burst = false;
  private stateEnd: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly burstRatePerSec: number,
    private readonly meanBurstMs: number,
    private readonly meanGapMs: number,
    startMs: number,
    private readonly rng: Stream,
  ) {
    this.stateEnd = startMs + this.holdMs();
  }

  private holdMs(): number {
    const mean = this.burst ? this.meanBurstMs : this.meanGapMs;
    return -mean * Math.log(1 - this.rng.next());
  }

  next(nowMs: number): number {
    let t = nowMs;
    for (;;) {
      while (t >= this.stateEnd) this.flip();
      const gap = expGapMs(this.burst ? this.burstRatePerSec : this.ratePerSec, this.rng);
      if (t + gap < this.stateEnd) return t + gap;
      t = this.stateEnd;
    }
  }

  private flip(): void {
    this.burst = !this.burst;
    this.stateEnd += this.holdMs();
  }
}

/**
 * Non-homogeneous Poisson process with rate λ(t) = rate·(1 + amplitude·sin(2πt/period)),
 * by thinning (Lewis & Shedler 1979) against λmax = rate·(1 + amplitude).
 */
export class SinusoidArrivals implements ArrivalProcess {
  private readonly maxRate: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly amplitude: number,
    private readonly periodMs: number,
    private readonly rng: Stream,
  ) {
    this.maxRate = ratePerSec * (1 + amplitude);
  }

  rateAt(tMs: number): number {
    return this.ratePerSec * (1 + this.amplitude * Math.sin((2 * Math.PI * tMs) / this.periodMs));
  }

  next(nowMs: number): number {
    let t = nowMs;
    for (;;) {
      t += expGapMs(this.maxRate, this.rng);
      if (!Number.isFinite(t)) return Infinity;
      if (this.rng.next() * this.maxRate <= this.rateAt(t)) return t;
    }
  }
}

/**
 * Piecewise-constant rate: `table[i].rate` from `table[i].at` (ms) until the
 * next row. Exact, like the MMPP: a gap crossing a boundary restarts there.
 */
export class TableArrivals implements ArrivalProcess {
  /** Row in force at the last call: times only move forward, so the search resumes here (a long table costs no more per arrival than a short one). */
  private row = -1;

  constructor(
    private readonly table: ReadonlyArray<{ at: number; rate: number }>,
    private readonly rng: Stream,
  ) {}

  next(nowMs: number): number {
    let t = nowMs;
    for (;;) {
      if (this.row >= 0 && this.table[this.row]!.at > t) this.row = -1;
      while (this.row + 1 < this.table.length && this.table[this.row + 1]!.at <= t) this.row++;
      const i = this.row;
      const rate = i >= 0 ? this.table[i]!.rate : 0;
      const end = i + 1 < this.table.length ? this.table[i + 1]!.at : Infinity;
      const gap = expGapMs(rate, this.rng);
      if (t + gap < end) return t + gap;
      if (end === Infinity) return Infinity;
      t = end;
    }
  }
}
