/** The mode's objective as a "smaller is better" value and its axis (convergence chart). */
import type { Metric } from '../../study/objective.js';
import type { Outcome } from '../../study/types.js';
import { fmtMoney, fmtMs, fmtPct, sig } from '../units.js';

/** Delivery is charted as loss (1 − ratio) so that every objective goes down as it improves. */
export function objectiveValue(metric: Metric, o: Outcome): number {
  switch (metric) {
    case 'deliveryRatio':
      return 1 - o.deliveryRatio;
    case 'throughput':
      return -o.throughput;
    default:
      return o[metric];
  }
}

export function objectiveLabel(metric: Metric): string {
  switch (metric) {
    case 'p99':
      return 'p99 latency';
    case 'meanLatency':
      return 'mean latency';
    case 'deliveryRatio':
      return 'loss (1 − delivery ratio)';
    case 'costPerDelivered':
      return 'cost per delivered message';
    case 'throughput':
      return '− throughput (/s)';
  }
}

export function objectiveFormat(metric: Metric): (x: number) => string {
  if (metric === 'p99' || metric === 'meanLatency') return fmtMs;
  if (metric === 'deliveryRatio') return fmtPct;
  if (metric === 'costPerDelivered') return fmtMoney;
  return (x) => sig(x);
}

/** A log axis reads better when the values span more than a decade and a half and are all positive. */
export function wantsLog(values: readonly number[]): boolean {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length < 2 || v.some((x) => x < 0)) return false;
  const pos = v.filter((x) => x > 0);
  if (pos.length < 2) return false;
  return Math.max(...pos) / Math.min(...pos) > 30;
}
