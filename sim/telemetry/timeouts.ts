/**
 * Which error spans of a service are timeouts. A timeout cuts a call at the
 * same length every time, and no call of that kind outlasts it: timed-out
 * spans pile up at a common ceiling, the service's longest duration. So the
 * error spans within CEILING_TOLERANCE below the longest span are taken as
 * timeouts when there are at least MIN_TIMEOUTS of them and they make up at
 * least MIN_SHARE of the service's error spans; otherwise nothing is said
 * (the importer lists it as not inferred) rather than a guess. By chance the
 * top values of a continuous distribution are spread out: for an exponential
 * of mean m over n spans, the longest is about m·ln n and the next ones are
 * m/2, m/3 … below it, so five within 1% do not happen without a ceiling.
 */
import type { ServiceStats } from './derive.js';

export const CEILING_TOLERANCE = 0.01;
export const MIN_TIMEOUTS = 5;
export const MIN_SHARE = 0.1;

export interface Timeouts {
  /** Error spans at the ceiling (scaled up from the reservoir when it was sampled). */
  count: number;
  /** Of the service's spans. */
  rate: number;
  /** The ceiling: the longest span, ms. */
  atMs: number;
}

export function inferTimeouts(st: Pick<ServiceStats, 'spans' | 'errors' | 'errorDurationsMs' | 'maxDurationMs'>): Timeouts | null {
  const durs = st.errorDurationsMs;
  if (durs.length === 0 || !(st.maxDurationMs > 0)) return null;
  const floor = st.maxDurationMs * (1 - CEILING_TOLERANCE);
  let atCeiling = 0;
  for (const d of durs) if (d >= floor) atCeiling++;
  const share = atCeiling / durs.length;
  if (atCeiling < MIN_TIMEOUTS || share < MIN_SHARE) return null;
  const count = Math.round(share * st.errors);
  return { count, rate: count / st.spans, atMs: st.maxDurationMs };
}
