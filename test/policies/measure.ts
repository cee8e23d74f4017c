/**
 * Measuring helpers shared by the communication-policy tests (not a test file:
 * the runner only picks `*.test.ts`).
 */
import { meanCI } from '../../sim/metrics/stats.js';
import type { Metrics } from '../../sim/metrics/types.js';
import type { TimelineData } from '../../sim/metrics/timeline.js';
import type { Scenario } from '../../sim/scenario/types.js';
import { scenarioOf } from '../helpers.js';

/** Prints one line of measured figures, so that a run of the suite shows the numbers behind each claim. */
export function report(label: string, figures: Record<string, unknown>): void {
  const parts = Object.entries(figures).map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : String(v)}`);
  console.log(`  [${label}] ${parts.join(' ')}`);
}

function fmt(x: number): string {
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(1) : a >= 1 ? x.toFixed(3) : x.toPrecision(3);
}

/**
 * A cost model that turns cost figures into counters: `cost.cpu` is then the
 * worker time in ms, `cost.bytes` the bytes on the wire and `cost.messages`
 * the transmissions (SPEC §4 prices: per CPU hour, per GB, per message).
 */
export const COUNTING_COST = { perCpuHour: 3_600_000, perGB: 1e9, perMessage: 1 } as const;

/** Two-sided confidence interval of the mean of independent replications. */
export function ci(values: number[], level = 0.99): [number, number] {
  return meanCI(values, level);
}

/** Binomial standard deviation of a count of successes in n trials of probability p. */
export function binomialSd(n: number, p: number): number {
  return Math.sqrt(n * p * (1 - p));
}

/**
 * Completions of a run split in two classes by time. A class is "tagged" by
 * sending it through a role that holds each message for `tagMs` (a hold much
 * longer than the run): its completions then land in the timeline after
 * `tagMs / 2`, those of the untagged class before, and each class's count
 * and mean latency can be read from the timeline. The run needs
 * `drain > tagMs` and a timeline (`runScenario(…, {timeline: true})`).
 */
export interface ClassFigures {
  delivered: number;
  meanLatencyMs: number;
}

export function splitByTag(m: Metrics, tagMs: number): { plain: ClassFigures; tagged: ClassFigures } {
  const t: TimelineData | undefined = m.timeline;
  if (t === undefined) throw new Error('splitByTag needs a run with timeline: true');
  const cut = Math.floor(tagMs / 2 / t.bucketMs);
  let d0 = 0;
  let s0 = 0;
  let d1 = 0;
  let s1 = 0;
  t.delivered.forEach((d, i) => {
    const sum = d * t.meanLatencyMs[i]!;
    if (i < cut) {
      d0 += d;
      s0 += sum;
    } else {
      d1 += d;
      s1 += sum;
    }
  });
  return {
    plain: { delivered: d0, meanLatencyMs: d0 > 0 ? s0 / d0 : NaN },
    tagged: { delivered: d1, meanLatencyMs: d1 > 0 ? s1 / d1 - tagMs : NaN },
  };
}

/** Sums of a timeline series over [fromMs, toMs). */
export function windowSum(series: number[], bucketMs: number, fromMs: number, toMs: number): number {
  let s = 0;
  for (let i = Math.round(fromMs / bucketMs); i < Math.round(toMs / bucketMs) && i < series.length; i++) s += series[i]!;
  return s;
}

/** How long `tag` holds the low class in {@link twoPriorityClasses}, ms. */
export const TAG_MS = 1_000_000;

/**
 * Two priority classes into one worker at 10 ms (exponential, μ = 100/s):
 * priority 7 at 50/s and priority 0 at 100/s, an overload of 150/s. The low
 * class goes on through `tag`, held TAG_MS, so that splitByTag tells the
 * classes apart.
 */
export function twoPriorityClasses(): Scenario {
  return scenarioOf({
    duration: '20s',
    drain: `${2 * TAG_MS}ms`,
    roles: {
      server: { count: 1, workers: 1, service: { dist: 'exp', mean: '10ms' } },
      tag: { count: 1, workers: 100_000, service: `${TAG_MS}ms` },
    },
    workload: [
      { pattern: 'poisson', to: 'server', rate: '50/s', priority: 7 },
      { pattern: 'poisson', to: 'server', rate: '100/s', priority: 0, then: ['tag'] },
    ],
  });
}
