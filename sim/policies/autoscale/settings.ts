/**
 * A role's autoscaler with every default filled in (SPEC §5 `autoscale`).
 * Durations in ms. The defaults are Kubernetes' HorizontalPodAutoscaler's:
 * a 15 s sync period, a 10% tolerance, no scale-up stabilisation and a
 * 5-minute scale-down stabilisation window.
 */
import type { AutoscaleConfig, AutoscaleMetric, AutoscalePolicy, ScaleRateConfig } from '../../scenario/types.js';

/** One rate policy: `pods` replicas, or `percent` of the count, per `periodMs`. */
export interface ScaleRatePolicy {
  type: 'pods' | 'percent';
  value: number;
  periodMs: number;
}

/** The rate policies of one direction, and which of them wins. */
export interface ScaleRateSettings {
  select: 'max' | 'min' | 'disabled';
  policies: ScaleRatePolicy[];
}

export interface AutoscaleSettings {
  policy: AutoscalePolicy;
  metric: AutoscaleMetric;
  /** Utilisation in (0, 1], or messages in service or waiting per replica. */
  target: number;
  min: number;
  max: number;
  periodMs: number;
  tolerance: number;
  upWindowMs: number;
  downWindowMs: number;
  /** From the decision to add a replica until it serves. */
  provisioningMs: number;
  /** Predictive: length of the load's cycle; null = no seasonal term. */
  seasonMs: number | null;
  /** How fast the count may rise and fall (scale-rate.ts). */
  upRate: ScaleRateSettings;
  downRate: ScaleRateSettings;
}

export const AUTOSCALE_DEFAULTS = {
  policy: 'reactive' as AutoscalePolicy,
  metric: 'utilization' as AutoscaleMetric,
  /** HPA examples track 50–80% CPU; 70% leaves room for a burst while a replica starts. */
  utilizationTarget: 0.7,
  /** Knative's default is 100 concurrent requests per pod for web servers; an agent holds far fewer. */
  queueTarget: 4,
  min: 1,
  periodMs: 15_000,
  tolerance: 0.1,
  upWindowMs: 0,
  downWindowMs: 300_000,
  provisioningMs: 30_000,
} as const;

/**
 * The HPA's default rate policies, per evaluation period (the HPA's are per
 * 15 s, its default sync period): up, +4 replicas or double, whichever is
 * more; down, no limit (100%).
 */
function defaultRates(periodMs: number): { up: ScaleRateSettings; down: ScaleRateSettings } {
  return {
    up: {
      select: 'max',
      policies: [
        { type: 'pods', value: 4, periodMs },
        { type: 'percent', value: 100, periodMs },
      ],
    },
    down: { select: 'max', policies: [{ type: 'percent', value: 100, periodMs }] },
  };
}

function resolveRate(c: ScaleRateConfig | undefined, fallback: ScaleRateSettings): ScaleRateSettings {
  if (c === undefined) return fallback;
  return {
    select: c.select ?? 'max',
    policies: c.policies === undefined ? fallback.policies : c.policies.map((p) => ({ type: p.type, value: p.value, periodMs: p.period })),
  };
}

export function resolveAutoscale(c: AutoscaleConfig): AutoscaleSettings {
  const metric = c.metric ?? AUTOSCALE_DEFAULTS.metric;
  const periodMs = c.period ?? AUTOSCALE_DEFAULTS.periodMs;
  const rates = defaultRates(periodMs);
  return {
    policy: c.policy ?? AUTOSCALE_DEFAULTS.policy,
    metric,
    target: c.target ?? (metric === 'utilization' ? AUTOSCALE_DEFAULTS.utilizationTarget : AUTOSCALE_DEFAULTS.queueTarget),
    min: c.min ?? AUTOSCALE_DEFAULTS.min,
    max: c.max,
    periodMs,
    tolerance: c.tolerance ?? AUTOSCALE_DEFAULTS.tolerance,
    upWindowMs: c.upWindow ?? AUTOSCALE_DEFAULTS.upWindowMs,
    downWindowMs: c.downWindow ?? AUTOSCALE_DEFAULTS.downWindowMs,
    provisioningMs: c.provisioning ?? AUTOSCALE_DEFAULTS.provisioningMs,
    seasonMs: c.season ?? null,
    upRate: resolveRate(c.upRate, rates.up),
    downRate: resolveRate(c.downRate, rates.down),
  };
}
