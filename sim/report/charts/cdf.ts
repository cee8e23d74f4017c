/** The latency CDF of the current configuration and the winner on the evidence seed, on a log latency axis. */
import type { Evidence, RunEvidence } from '../../study/evidence.js';
import type { SloSpec } from '../../scenario/types.js';
import { CURRENT, lineChart, REFERENCE, WINNER, type LineSeries, type RefLine } from '../svg/index.js';
import { fmtMs, fmtPct } from '../units.js';

function series(name: string, run: RunEvidence, color: string, dash?: string): LineSeries {
  // A log axis has no 0: the share of zero latencies (if any) shows as the curve's starting height.
  const points = run.latencyCdf.filter(([ms]) => ms > 0);
  return { name, points, color, step: true, ...(dash !== undefined ? { dash } : {}) };
}

export function cdfChart(ev: Evidence, slo: SloSpec): string | null {
  const lines: LineSeries[] = [];
  if (ev.current !== null && ev.current.latencyCdf.length > 0) lines.push(series(ev.sameConfig ? 'current = winner' : 'current', ev.current, CURRENT, ev.sameConfig ? undefined : '6 3'));
  if (ev.winner !== null && ev.winner.latencyCdf.length > 0) lines.push(series('winner', ev.winner, WINNER));
  if (lines.length === 0) return null;
  const refs: RefLine[] = [{ axis: 'y', value: 0.99, label: 'p99', color: '#777' }];
  if (slo.p99 !== null) refs.push({ axis: 'x', value: slo.p99, label: `SLO p99 ${fmtMs(slo.p99)}`, color: REFERENCE });
  return lineChart({
    title: `Latency CDF, current vs winner (seed ${ev.seed})`,
    x: { label: 'end-to-end latency (log scale)', log: true, format: fmtMs },
    y: { label: 'share of messages ≤ latency', min: 0, max: 1, format: (x) => fmtPct(x) },
    series: lines,
    refs,
  });
}
