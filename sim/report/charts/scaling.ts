/**
 * The scaling chart: replicas serving per autoscaled role over time (current
 * and winner) above the offered load, on the same time axis, from the
 * evidence runs (one seed).
 */
import type { Evidence, EvidenceTimeline } from '../../study/evidence.js';
import { categorical, lineChart, type LineSeries } from '../svg/index.js';
import { sig } from '../units.js';
import { faultBands, phaseRefs, stepPoints } from './timeline.js';

const seconds = { label: 'simulated time (s)', min: 0, format: (x: number) => sig(x) };

/** Two SVG charts (replicas, then offered load), or null when no role autoscales in either run. */
export function scalingCharts(ev: Evidence): [string, string] | null {
  const runs: Array<[string, EvidenceTimeline]> = [];
  if (ev.current !== null) runs.push([ev.sameConfig ? 'current = winner' : 'current', ev.current.timeline]);
  if (ev.winner !== null) runs.push(['winner', ev.winner.timeline]);
  const scaled = runs.filter(([, t]) => t.replicas !== undefined && Object.keys(t.replicas).length > 0);
  if (scaled.length === 0) return null;
  const roles = [...new Set(scaled.flatMap(([, t]) => Object.keys(t.replicas!)))];
  const span = Math.max(...runs.map(([, t]) => (t.generated.length * t.bucketMs) / 1000));
  const series: LineSeries[] = scaled.flatMap(([name, t]) =>
    Object.entries(t.replicas!).map(([role, n]) => ({
      name: `${name}: ${role}`,
      points: stepPoints(n, t.bucketMs),
      color: categorical(roles.indexOf(role)),
      step: true,
      width: 1.8,
      ...(name === 'winner' ? { dash: '5 3' } : {}),
    })),
  );
  const replicas = lineChart({
    title: `Replicas serving per autoscaled role over time (seed ${ev.seed})`,
    x: { ...seconds, max: span },
    y: { label: 'replicas serving', min: 0, integer: true },
    series,
    bands: faultBands(ev.scenario.faults),
    refs: phaseRefs(ev),
    height: 240,
  });
  const [, t] = runs[0]!;
  const load = lineChart({
    title: `Offered load over time (seed ${ev.seed})`,
    x: { ...seconds, max: span },
    y: { label: 'messages offered per second', min: 0 },
    series: [{ name: 'offered load', points: stepPoints(t.generated, t.bucketMs, t.bucketMs / 1000), color: '#555', step: true, width: 1.6 }],
    bands: faultBands(ev.scenario.faults),
    refs: phaseRefs(ev),
    height: 170,
  });
  return [replicas, load];
}
