/**
 * Scaling rate policies, as Kubernetes' HorizontalPodAutoscaler applies its
 * `behavior.scaleUp` / `behavior.scaleDown` policies (kubernetes.io,
 * "Horizontal Pod Autoscaling", configurable scaling behavior; the
 * controller's calculateScaleUpLimitWithBehaviors and
 * calculateScaleDownLimitWithBehaviors):
 *
 * - every change of the replica count is kept with its time;
 * - a policy looks back `period`: the count at the start of that period is the
 *   current one less what was added within it plus what was removed;
 * - from that count, `pods` allows ± value replicas, `percent` × (1 ± value/100)
 *   (rounded up when rising, down when falling);
 * - `select: max` takes the policy that allows the largest change (the
 *   default), `min` the smallest, `disabled` none at all;
 * - a limit never reverses the direction: at worst the count stays.
 *
 * A change counts only when made strictly after now − period, as the
 * controller's cutoff does: with a policy period equal to the evaluation
 * period, the previous evaluation's change is already out of it.
 */
import type { ScaleRateSettings } from './settings.js';
import { TimedRing } from './timed-ring.js';

export class ScaleRate {
  /** Past changes: time, ms, and replicas added (> 0) or removed (< 0). */
  private readonly changes: TimedRing;
  private readonly lookbackMs: number;

  constructor(
    private readonly up: ScaleRateSettings,
    private readonly down: ScaleRateSettings,
    evaluationMs: number,
  ) {
    let longest = 0;
    for (const p of [...up.policies, ...down.policies]) longest = Math.max(longest, p.periodMs);
    this.lookbackMs = longest;
    // At most one change per evaluation: enough entries for the longest period, and one more.
    this.changes = new TimedRing(Math.ceil(longest / evaluationMs) + 2);
  }

  /** Records the change the evaluation at `nowMs` made (none is recorded for 0). */
  record(nowMs: number, delta: number): void {
    if (delta === 0 || this.lookbackMs === 0) return;
    this.changes.push(nowMs, delta);
  }

  /** The most replicas the up policies allow at `nowMs` from `current` (never below `current`). */
  upLimit(nowMs: number, current: number): number {
    const r = this.up;
    if (r.select === 'disabled') return current;
    let limit = r.select === 'max' ? -Infinity : Infinity;
    for (const p of r.policies) {
      const start = this.periodStart(nowMs, current, p.periodMs);
      const proposed = p.type === 'pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
      limit = r.select === 'max' ? Math.max(limit, proposed) : Math.min(limit, proposed);
    }
    return Math.max(current, limit);
  }

  /** The fewest replicas the down policies allow at `nowMs` from `current` (never above `current`). */
  downLimit(nowMs: number, current: number): number {
    const r = this.down;
    if (r.select === 'disabled') return current;
    let limit = r.select === 'max' ? Infinity : -Infinity;
    for (const p of r.policies) {
      const start = this.periodStart(nowMs, current, p.periodMs);
      const proposed = p.type === 'pods' ? start - p.value : Math.floor(start * (1 - p.value / 100));
      // The largest change down is the lowest count.
      limit = r.select === 'max' ? Math.min(limit, proposed) : Math.max(limit, proposed);
    }
    return Math.min(current, limit);
  }

  /** The count at the start of the period ending now: current − added + removed within it. */
  private periodStart(nowMs: number, current: number, periodMs: number): number {
    const cutoff = nowMs - periodMs;
    let net = 0;
    for (let k = 0; k < this.changes.size; k++) {
      if (this.changes.timeAt(k) > cutoff) net += this.changes.valueAt(k);
    }
    return current - net;
  }
}
