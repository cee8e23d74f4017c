/** Outcomes made by hand, for tests of the study's judgements. */
import type { Outcome } from '../../sim/study/types.js';

export const outcome = (x: Partial<Outcome>): Outcome => ({
  p99: 100,
  p50: 10,
  meanLatency: 20,
  throughput: 100,
  deliveryRatio: 1,
  costPerDelivered: 0.01,
  costTotal: 1,
  costTokens: 0,
  generated: 1000,
  delivered: 1000,
  retries: 0,
  hedges: 0,
  breakerOpens: 0,
  utilization: {},
  ...x,
});

/** Per-seed outcomes from per-seed values of some fields, and their mean (as an evaluation records them). */
export function measured(perSeed: Array<Partial<Outcome>>): { outcome: Outcome; perSeed: Outcome[] } {
  const list = perSeed.map(outcome);
  const mean = (k: 'p99' | 'deliveryRatio' | 'costPerDelivered' | 'meanLatency'): number => list.reduce((s, o) => s + o[k], 0) / list.length;
  return {
    outcome: outcome({
      p99: mean('p99'),
      deliveryRatio: mean('deliveryRatio'),
      costPerDelivered: mean('costPerDelivered'),
      meanLatency: mean('meanLatency'),
      worstP99: Math.max(...list.map((o) => o.p99)),
      worstDeliveryRatio: Math.min(...list.map((o) => o.deliveryRatio)),
    }),
    perSeed: list,
  };
}
