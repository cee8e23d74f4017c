import type { Outcome } from '../types.js';

/**
 * What a run measured, exactly, as a key. Two candidates run on the same seeds
 * share their random numbers, so equal keys mean they behaved alike there: a
 * knob that did nothing (a backoff when nothing retries, a breaker that never
 * trips).
 */
export function outcomeKey(o: Outcome): string {
  return `${o.p99}|${o.meanLatency}|${o.deliveryRatio}|${o.costPerDelivered}`;
}
