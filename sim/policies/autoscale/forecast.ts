/**
 * Holt–Winters exponential smoothing (Holt 1957, Winters 1960; Hyndman &
 * Athanasopoulos, "Forecasting: Principles and Practice", §8.3): a level, a
 * trend and, when the load has a known cycle, an additive seasonal term, each
 * updated once per observation in O(1). Without a season it is Holt's linear
 * trend method.
 *
 * Why this model: an autoscaler must look one provisioning delay ahead, a
 * few evaluation periods, where the level and the slope of the load carry
 * most of what can be known; a daily cycle adds the turn of the curve once
 * a cycle has been seen. It needs no training set and no fitting, unlike
 * ARIMA or a regression, and costs a few multiplications per evaluation.
 */

/** Smoothing weights: level, trend, season (per observation). */
export const HW_ALPHA = 0.5;
export const HW_BETA = 0.2;
export const HW_GAMMA = 0.3;

export class HoltWinters {
  private level = 0;
  private trend = 0;
  /** Seasonal terms, one per observation of a cycle (empty without a season). */
  private readonly season: Float64Array;
  /** Observations so far. */
  private seen = 0;

  /** `period`: observations per cycle (0 = no season). */
  constructor(private readonly period: number) {
    this.season = new Float64Array(Math.max(0, period));
  }

  get observations(): number {
    return this.seen;
  }

  observe(y: number): void {
    const m = this.period;
    if (m === 0 || this.seen >= m) {
      const slot = m === 0 ? 0 : this.seen % m;
      const s = m === 0 ? 0 : this.season[slot]!;
      this.smooth(y - s);
      if (m > 0) this.season[slot] = HW_GAMMA * (y - this.level) + (1 - HW_GAMMA) * s;
    } else {
      // The first cycle: Holt's method while the observations are kept; at
      // its end, the seasonal terms are each one's distance from the cycle's
      // mean (the classical initialisation), and the level is that mean.
      this.smooth(y);
      this.season[this.seen] = y;
      if (this.seen === m - 1) {
        let mean = 0;
        for (let i = 0; i < m; i++) mean += this.season[i]!;
        mean /= m;
        for (let i = 0; i < m; i++) this.season[i]! -= mean;
        this.level = mean;
        this.trend = 0;
      }
    }
    this.seen++;
  }

  /** Level and trend after observing `x` (the observation without its seasonal term). */
  private smooth(x: number): void {
    if (this.seen === 0) {
      this.level = x;
      this.trend = 0;
      return;
    }
    const prev = this.level;
    this.level = HW_ALPHA * x + (1 - HW_ALPHA) * (prev + this.trend);
    this.trend = HW_BETA * (this.level - prev) + (1 - HW_BETA) * this.trend;
  }

  /** The forecast `h` observations after the last one (h may be fractional). */
  forecast(h: number): number {
    let y = this.level + h * this.trend;
    const m = this.period;
    if (m > 0 && this.seen >= m) {
      // The seasonal term of the observation slot the horizon falls in.
      const ahead = Math.max(1, Math.round(h));
      y += this.season[(this.seen - 1 + ahead) % m]!;
    }
    return y;
  }
}
