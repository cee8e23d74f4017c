/**
 * Charts over simulated time from the evidence runs (one seed): per-role
 * utilisation, losses and retries, breaker trips; the scenario's fault
 * windows are shaded.
 */
import type { Evidence, EvidenceTimeline, FaultNote } from '../../study/evidence.js';
import { categorical, CURRENT, lineChart, WINNER, type Band, type LineSeries, type Point, type RefLine } from '../svg/index.js';
import { faultLabel } from '../format.js';
import { movingAverage, smoothingWindow } from '../smooth.js';
import { fmtPct, sig } from '../units.js';

/** Shaded windows of the scenario's faults (recurring crashes have no single window). */
export function faultBands(faults: readonly FaultNote[]): Band[] {
  return faults.filter((f) => f.mtbfMs === null && f.forMs > 0).map((f) => ({ from: f.atMs / 1000, to: (f.atMs + f.forMs) / 1000, label: faultLabel(f) }));
}

/** Where measuring starts (end of warm-up) and where the sources stop and the run drains. */
export function phaseRefs(ev: Evidence): RefLine[] {
  const out: RefLine[] = [];
  if (ev.scenario.warmupMs > 0) out.push({ axis: 'x', value: ev.scenario.warmupMs / 1000, label: 'warm-up ends', color: '#888' });
  out.push({ axis: 'x', value: ev.scenario.durationMs / 1000, label: 'sources stop', color: '#888' });
  return out;
}

/** A per-interval series as steps over seconds, divided by `per` (e.g. the interval in s for a rate). */
export function stepPoints(values: readonly number[], bucketMs: number, per = 1): Point[] {
  const pts: Point[] = values.map((v, i) => [(i * bucketMs) / 1000, v / per]);
  if (values.length > 0) pts.push([(values.length * bucketMs) / 1000, values[values.length - 1]! / per]);
  return pts;
}

/** A per-interval series as points at the middle of each interval, in seconds. */
export function centrePoints(values: readonly number[], bucketMs: number): Point[] {
  return values.map((v, i) => [((i + 0.5) * bucketMs) / 1000, v]);
}

const seconds = { label: 'simulated time (s)', min: 0, format: (x: number) => sig(x) };

/** One configuration's utilisation per role over time. */
export function utilizationChart(ev: Evidence, which: 'current' | 'winner'): string | null {
  const run = which === 'current' ? ev.current : ev.winner;
  if (run === null) return null;
  const t = run.timeline;
  const w = smoothingWindow(t.bucketMs, ev.scenario.durationMs);
  const series: LineSeries[] = ev.scenario.roles
    .filter((r) => t.utilization[r.name] !== undefined)
    .map((r, i) => ({ name: r.name, points: centrePoints(movingAverage(t.utilization[r.name]!, w), t.bucketMs), color: categorical(i), width: 1.6 }));
  if (series.length === 0) return null;
  const label = which === 'current' ? (ev.sameConfig ? 'current (= winner)' : 'current') : 'winner';
  return lineChart({
    title: `Utilisation per role over time, ${label} (seed ${ev.seed}; ${sig((w * t.bucketMs) / 1000)} s moving average)`,
    x: { ...seconds, max: (t.utilization[series[0]!.name]!.length * t.bucketMs) / 1000 },
    y: { label: 'busy share of worker slots', min: 0, max: 1, format: (x) => fmtPct(x) },
    series,
    bands: faultBands(ev.scenario.faults),
    refs: phaseRefs(ev),
    height: 260,
  });
}

function span(t: EvidenceTimeline): number {
  return (t.delivered.length * t.bucketMs) / 1000;
}

/** Losses and retries per second over time, current vs winner. */
export function lossChart(ev: Evidence): string | null {
  const runs: Array<[string, EvidenceTimeline, string, string | undefined]> = [];
  if (ev.current !== null) runs.push([ev.sameConfig ? 'current = winner' : 'current', ev.current.timeline, CURRENT, undefined]);
  if (ev.winner !== null) runs.push(['winner', ev.winner.timeline, WINNER, undefined]);
  if (runs.length === 0) return null;
  const series: LineSeries[] = runs.flatMap(([name, t, color]) => [
    { name: `${name}: lost /s`, points: stepPoints(t.lost, t.bucketMs, t.bucketMs / 1000), color, step: true, width: 2 },
    { name: `${name}: retries /s`, points: stepPoints(t.retries, t.bucketMs, t.bucketMs / 1000), color, step: true, dash: '4 3', width: 1.3 },
  ]);
  return lineChart({
    title: `Losses and retries per second over time (seed ${ev.seed})`,
    x: { ...seconds, max: Math.max(...runs.map(([, t]) => span(t))) },
    y: { label: 'per second', min: 0 },
    series,
    bands: faultBands(ev.scenario.faults),
    refs: phaseRefs(ev),
    height: 260,
  });
}

/** Circuit-breaker trips per interval, current vs winner. */
export function breakerChart(ev: Evidence): string | null {
  const runs: Array<[string, EvidenceTimeline, string]> = [];
  if (ev.current !== null) runs.push([ev.sameConfig ? 'current = winner' : 'current', ev.current.timeline, CURRENT]);
  if (ev.winner !== null) runs.push(['winner', ev.winner.timeline, WINNER]);
  if (runs.length === 0) return null;
  const bucketS = runs[0]![1].bucketMs / 1000;
  const series: LineSeries[] = runs.map(([name, t, color]) => ({ name: `${name}: breaker opens per ${sig(bucketS)} s`, points: stepPoints(t.breakerOpens, t.bucketMs), color, step: true, width: 1.8 }));
  const peak = Math.max(0, ...runs.flatMap(([, t]) => t.breakerOpens));
  return lineChart({
    title: `Circuit-breaker opens over time (seed ${ev.seed})`,
    x: { ...seconds, max: Math.max(...runs.map(([, t]) => span(t))) },
    y: { label: `opens per ${sig(bucketS)} s`, min: 0, integer: true, ...(peak === 0 ? { max: 1 } : {}) },
    series,
    bands: faultBands(ev.scenario.faults),
    refs: phaseRefs(ev),
    height: 240,
  });
}
