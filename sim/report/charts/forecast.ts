/** The load forecast: p99 and delivery ratio against the load multiplier, with the SLO lines and the breaking point. */
import type { Forecast } from '../../study/evidence.js';
import { lineChart, REFERENCE, WINNER, type Mark, type Point, type RefLine } from '../svg/index.js';
import { fmtFactor } from '../format.js';
import { fmtMs, fmtPct } from '../units.js';

const loadAxis = (f: Forecast) => ({
  label: 'load (× the scenario’s workload)',
  min: Math.min(1, ...f.points.map((p) => p.factor)),
  max: Math.max(...f.points.map((p) => p.factor)),
  format: fmtFactor,
});

/** "(seed 7)" for the first format, "(seeds from 7)" for a plan's several seeds per load. */
const seedsText = (f: Forecast): string => (f.limit !== undefined ? ` (seeds from ${f.seed})` : ` (seed ${f.seed})`);

function breakRef(f: Forecast): RefLine[] {
  return f.breaksAt !== null ? [{ axis: 'x', value: f.breaksAt, label: `SLO breaks at ${fmtFactor(f.breaksAt)}`, color: '#8e44ad' }] : [];
}

export function forecastP99Chart(f: Forecast): string | null {
  const ok = f.points.filter((p) => p.error === null);
  if (ok.length === 0) return null;
  // Nothing delivered (p99 = Infinity) is drawn on the top edge, marked.
  const pts: Point[] = ok.map((p) => [p.factor, p.p99]);
  const marks: Mark[] = ok.map((p) => ({
    x: p.factor,
    y: p.p99,
    color: p.breaks.length > 0 ? REFERENCE : WINNER,
    r: 4,
    shape: p.breaks.length > 0 ? 'square' : 'circle',
    ...(Number.isFinite(p.p99) ? {} : { label: 'nothing delivered' }),
    title: `${fmtFactor(p.factor)}: p99 ${Number.isFinite(p.p99) ? fmtMs(p.p99) : 'nothing delivered'}, delivery ${fmtPct(p.deliveryRatio)}${p.breaks.length > 0 ? ' — breaks the SLO' : ''}`,
  }));
  const refs: RefLine[] = [...breakRef(f)];
  if (f.slo.p99 !== null) refs.push({ axis: 'y', value: f.slo.p99, label: `SLO p99 ${fmtMs(f.slo.p99)}`, color: REFERENCE });
  const finite = ok.map((p) => p.p99).filter((x) => Number.isFinite(x) && x > 0);
  const log = finite.length > 0 && Math.max(...finite, f.slo.p99 ?? 0) / Math.min(...finite) > 8;
  return lineChart({
    title: `Load forecast of the ${f.of}: p99 latency vs load ${seedsText(f)}`,
    x: loadAxis(f),
    y: { label: `p99 latency${log ? ' (log)' : ''}`, ...(log ? { log: true } : { min: 0 }), format: fmtMs },
    series: [{ name: `${f.of}: p99`, points: pts, color: WINNER, width: 2 }],
    marks,
    refs,
    legend: [
      { name: `${f.of}: p99`, color: WINNER },
      { name: 'breaks an SLO', color: REFERENCE, kind: 'mark', shape: 'square' },
    ],
    height: 260,
  });
}

export function forecastDeliveryChart(f: Forecast): string | null {
  const ok = f.points.filter((p) => p.error === null && Number.isFinite(p.deliveryRatio));
  if (ok.length === 0) return null;
  const low = Math.min(...ok.map((p) => p.deliveryRatio), f.slo.deliveryRatio ?? 1);
  const refs: RefLine[] = [...breakRef(f)];
  if (f.slo.deliveryRatio !== null) refs.push({ axis: 'y', value: f.slo.deliveryRatio, label: `SLO ${fmtPct(f.slo.deliveryRatio)}`, color: REFERENCE });
  return lineChart({
    title: `Load forecast of the ${f.of}: delivery ratio vs load ${seedsText(f)}`,
    x: loadAxis(f),
    y: { label: 'delivery ratio', max: 1, min: low >= 0.99 ? Math.max(0, 1 - (1 - low) * 1.5) : 0, format: fmtPct },
    series: [{ name: `${f.of}: delivery ratio`, points: ok.map((p) => [p.factor, p.deliveryRatio] as Point), color: WINNER, width: 2, dots: true }],
    refs,
    height: 240,
  });
}
