/**
 * Target tracking as Kubernetes' HorizontalPodAutoscaler computes it
 * (kubernetes.io, "Horizontal Pod Autoscaling", algorithm details; the
 * controller's stabilizeRecommendationWithBehaviors):
 *
 * 1. desired = ceil(ready × metric / target), unless metric / target is
 *    within the tolerance of 1, when the count stays as it is. Replicas that
 *    are not ready (crashed) are left out of `ready` and of the metric; when
 *    there are some and the metric asks for more replicas, it is taken again
 *    with them at 0 (the HPA's replica calculator: unready pods dampen a
 *    scale-up and do not drive a scale-down), and the count stays as it is if
 *    that is within the tolerance or turns the other way;
 * 2. stabilisation: every evaluation's recommendation is kept with its time;
 *    the count may rise no higher than the lowest recommendation of the
 *    scale-up window and fall no lower than the highest of the scale-down
 *    window (both include the current one);
 * 3. rate: the scaling policies of the direction taken (scale-rate.ts; by
 *    default at most double, or +4 replicas, per evaluation, whichever is
 *    more, and no limit down: the HPA's defaults);
 * 4. min and max.
 *
 * A pure decision: the model measures, this recommends, the model acts.
 */
import { ScaleRate } from './scale-rate.js';
import type { AutoscaleSettings } from './settings.js';
import { TimedRing } from './timed-ring.js';

/** What one evaluation decided, step by step (for the model's log and the tests). */
export interface Decision {
  /** Step 1, before stabilisation. */
  raw: number;
  /** Step 2. */
  stabilized: number;
  /** Steps 3 and 4: the replica count to run. */
  final: number;
}

export class TargetTracking {
  /** Past recommendations: time, ms, and count. */
  private readonly recs: TimedRing;
  private readonly rate: ScaleRate;

  constructor(private readonly s: AutoscaleSettings) {
    this.rate = new ScaleRate(s.upRate, s.downRate, s.periodMs);
    // Enough entries to cover the longer window at one evaluation per period, and the current one.
    this.recs = new TimedRing(Math.ceil(Math.max(s.upWindowMs, s.downWindowMs) / s.periodMs) + 2);
  }

  /**
   * Step 1: the replicas the metric asks for, given the ready replicas it was
   * measured on and the current count; `unready` replicas are not among
   * `ready`, and `withUnready` is the metric with them counted at 0.
   */
  desired(ready: number, current: number, metric: number, unready = 0, withUnready = metric): number {
    const tolerance = this.s.tolerance;
    const ratio = metric / this.s.target;
    if (unready === 0 || ratio <= 1) {
      if (Math.abs(ratio - 1) <= tolerance) return current;
      return Math.ceil(ready * ratio);
    }
    const again = withUnready / this.s.target;
    if (Math.abs(again - 1) <= tolerance || again < 1) return current;
    const n = Math.ceil((ready + unready) * again);
    return n < current ? current : n;
  }

  /** Steps 2 to 4 for the recommendation `raw` at `nowMs`, with `current` replicas running or starting. */
  decide(nowMs: number, current: number, raw: number): Decision {
    let up = raw;
    let down = raw;
    const upCutoff = nowMs - this.s.upWindowMs;
    const downCutoff = nowMs - this.s.downWindowMs;
    for (let k = 0; k < this.recs.size; k++) {
      const t = this.recs.timeAt(k);
      const r = this.recs.valueAt(k);
      if (t > upCutoff && r < up) up = r;
      if (t > downCutoff && r > down) down = r;
    }
    this.recs.push(nowMs, raw);
    let stabilized = current;
    if (stabilized < up) stabilized = up;
    if (stabilized > down) stabilized = down;
    let limited = stabilized;
    if (limited > current) limited = Math.min(limited, this.rate.upLimit(nowMs, current));
    else if (limited < current) limited = Math.max(limited, this.rate.downLimit(nowMs, current));
    const final = Math.min(this.s.max, Math.max(this.s.min, limited));
    this.rate.record(nowMs, final - current);
    return { raw, stabilized, final };
  }
}
