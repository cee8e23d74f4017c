import type { Stream } from '../engine/rng.js';

/**
 * Open arrival processes. `next(clock)` moves `clock[0]` from a time (ms) to
 * the next arrival after it, or to Infinity when the process has nothing more
 * to send. Each process draws only from the stream it was given.
 *
 * No double is passed to or returned from a call here: V8 boxes one in a new
 * heap number wherever it does not inline the call, once per arrival. The
 * time stays in `clock` both ways, and the rates are read from typed arrays
 * by index.
 */
export interface ArrivalProcess {
  next(clock: Float64Array): void;
}

/**
 * Adds to `clock[0]` an exponential gap at the rate `perSec[i]`, ms (Infinity
 * at rate 0). Two stores, not one of a conditional: V8 boxes the gap where
 * it merges with `Infinity`.
 */
function addExpGap(clock: Float64Array, perSec: Float64Array, i: number, rng: Stream): void {
  const rate = perSec[i]!;
  if (rate > 0) clock[0] = clock[0]! + (-1000 * Math.log(1 - rng.next())) / rate;
  else clock[0] = Infinity;
}

/** Homogeneous Poisson process. */
export class PoissonArrivals implements ArrivalProcess {
  private readonly rate: Float64Array;

  constructor(
    ratePerSec: number,
    private readonly rng: Stream,
  ) {
    this.rate = Float64Array.of(ratePerSec);
  }

  next(clock: Float64Array): void {
    addExpGap(clock, this.rate, 0, this.rng);
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
  /** The normal state's rate, then the burst's. */
  private readonly rates: Float64Array;

  constructor(
    ratePerSec: number,
    burstRatePerSec: number,
    private readonly meanBurstMs: number,
    private readonly meanGapMs: number,
    startMs: number,
    private readonly rng: Stream,
  ) {
    this.rates = Float64Array.of(ratePerSec, burstRatePerSec);
    this.stateEnd = startMs + this.holdMs();
  }

  private holdMs(): number {
    const mean = this.burst ? this.meanBurstMs : this.meanGapMs;
    return -mean * Math.log(1 - this.rng.next());
  }

  next(clock: Float64Array): void {
    for (;;) {
      while (clock[0]! >= this.stateEnd) this.flip();
      addExpGap(clock, this.rates, this.burst ? 1 : 0, this.rng);
      if (clock[0]! < this.stateEnd) return;
      // The gap crosses a state change: redrawn from there.
      clock[0] = this.stateEnd;
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
  /** λmax, the rate the candidates are drawn at. */
  private readonly maxRate: Float64Array;

  constructor(
    private readonly ratePerSec: number,
    private readonly amplitude: number,
    private readonly periodMs: number,
    private readonly rng: Stream,
  ) {
    this.maxRate = Float64Array.of(ratePerSec * (1 + amplitude));
  }

  next(clock: Float64Array): void {
    for (;;) {
      addExpGap(clock, this.maxRate, 0, this.rng);
      const t = clock[0]!;
      if (!Number.isFinite(t)) {
        clock[0] = Infinity;
        return;
      }
      // Kept with probability λ(t) / λmax.
      const rate = this.ratePerSec * (1 + this.amplitude * Math.sin((2 * Math.PI * t) / this.periodMs));
      if (this.rng.next() * this.maxRate[0]! <= rate) return;
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
  /** Rate of row i at i + 1, and 0 (before the first row) at 0. */
  private readonly rates: Float64Array;

  constructor(
    private readonly table: ReadonlyArray<{ at: number; rate: number }>,
    private readonly rng: Stream,
  ) {
    this.rates = Float64Array.from([0, ...table.map((r) => r.rate)]);
  }

  next(clock: Float64Array): void {
    for (;;) {
      const t = clock[0]!;
      if (this.row >= 0 && this.table[this.row]!.at > t) this.row = -1;
      while (this.row + 1 < this.table.length && this.table[this.row + 1]!.at <= t) this.row++;
      const i = this.row;
      const end = i + 1 < this.table.length ? this.table[i + 1]!.at : Infinity;
      addExpGap(clock, this.rates, i + 1, this.rng);
      if (clock[0]! < end) return;
      if (end === Infinity) {
        clock[0] = Infinity;
        return;
      }
      // The gap crosses into the next row: redrawn from there at its rate.
      clock[0] = end;
    }
  }
}
