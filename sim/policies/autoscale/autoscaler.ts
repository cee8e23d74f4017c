/**
 * A role's autoscaler: from what the model observed over the last
 * evaluation period to the replica count it should run.
 *
 * - `reactive`: target tracking on the metric (target-tracking.ts).
 * - `predictive`: the arrival rate is forecast one provisioning delay ahead
 *   (forecast.ts) and turned into replicas by the work each arrival brought so
 *   far; the recommendation is the larger of that and the reactive one, so
 *   the forecast scales ahead of a rising load and the metric still catches
 *   what the forecast missed (as cloud predictive scaling runs beside dynamic
 *   scaling). Stabilisation and limits apply to it as to the reactive one.
 */
import { HoltWinters } from './forecast.js';
import type { AutoscaleSettings } from './settings.js';
import { TargetTracking, type Decision } from './target-tracking.js';

export interface Observation {
  /** Replicas ready (serving new work) and not crashed when the metric was taken. */
  ready: number;
  /** Replicas ready but crashed when the metric was taken (0 when absent). */
  unready?: number;
  /** The metric with the crashed replicas counted at 0 (the metric itself when absent). */
  metricWithUnready?: number;
  /** Replicas ready or starting: the count the decision changes. */
  current: number;
  /** Utilisation of the serving replicas over the period while not crashed, or messages in service or waiting per ready replica not crashed. */
  metric: number;
  /** Messages that arrived at the role over the period, per second. */
  arrivalRate: number;
  /** Worker time per arrival so far, ms; 0 before any arrival. */
  workPerArrivalMs: number;
  /** Worker slots per replica. */
  workers: number;
}

export interface AutoscaleDecision extends Decision {
  /** Predictive: the arrival rate forecast for one provisioning delay ahead, per second (NaN for reactive). */
  forecastPerSec: number;
}

export class Autoscaler {
  private readonly tracking: TargetTracking;
  private readonly forecaster: HoltWinters | null;
  /** Periods from the middle of the last one (where its average rate stands) to one provisioning delay ahead. */
  private readonly horizon: number;

  constructor(readonly settings: AutoscaleSettings) {
    this.tracking = new TargetTracking(settings);
    const season = settings.seasonMs === null ? 0 : Math.max(2, Math.round(settings.seasonMs / settings.periodMs));
    this.forecaster = settings.policy === 'predictive' ? new HoltWinters(season) : null;
    this.horizon = (settings.provisioningMs + settings.periodMs / 2) / settings.periodMs;
  }

  decide(nowMs: number, o: Observation): AutoscaleDecision {
    const s = this.settings;
    let raw = this.tracking.desired(o.ready, o.current, o.metric, o.unready ?? 0, o.metricWithUnready ?? o.metric);
    let forecastPerSec = NaN;
    if (this.forecaster !== null) {
      this.forecaster.observe(o.arrivalRate);
      forecastPerSec = Math.max(0, this.forecaster.forecast(this.horizon));
      // Busy slots the forecast rate brings, then replicas at the target.
      const slots = (forecastPerSec * o.workPerArrivalMs) / 1000;
      const ahead = Math.ceil(s.metric === 'utilization' ? slots / (o.workers * s.target) : slots / s.target);
      if (ahead > raw) raw = ahead;
    }
    return { ...this.tracking.decide(nowMs, o.current, raw), forecastPerSec };
  }
}
