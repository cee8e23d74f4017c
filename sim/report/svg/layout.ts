/** Where a chart's parts go, and the scales of its axes, from its spec and data. */
import { linearScale, logScale, niceDomain, niceLogDomain, type Scale } from './scale.js';
import type { AxisSpec, PlotSpec } from './types.js';

export const DEFAULT_WIDTH = 640;
export const DEFAULT_HEIGHT = 300;
/** Approximate width of a character of the 11 px label font, px (for legend wrapping). */
export const CHAR_PX = 6.2;
export const FONT_PX = 11;

export interface Layout {
  width: number;
  height: number;
  /** Plot area: x from left to right, y from top to bottom (pixels). */
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Legend rows, each a list of entry indices with their x offset. */
  legendRows: Array<Array<{ index: number; x: number }>>;
  x: Scale;
  y: Scale;
}

const LEGEND_ROW = 16;
const LEGEND_SAMPLE = 22;

/** The data values of one axis, for its domain: lines, marks and reference lines. */
function values(spec: PlotSpec, axis: 'x' | 'y'): number[] {
  const i = axis === 'x' ? 0 : 1;
  const out: number[] = [];
  for (const s of spec.series ?? []) for (const p of s.points) out.push(p[i]);
  for (const m of spec.marks ?? []) out.push(axis === 'x' ? m.x : m.y);
  for (const r of spec.refs ?? []) if (r.axis === axis) out.push(r.value);
  if (axis === 'x') for (const b of spec.bands ?? []) out.push(b.from, b.to);
  return out;
}

/** The domain of an axis: its bounds where given, else the data's, widened to nice ticks. */
export function domainOf(axis: AxisSpec, data: readonly number[]): [number, number] {
  const usable = data.filter((v) => Number.isFinite(v) && (!axis.log || v > 0));
  let lo = axis.min ?? (usable.length > 0 ? Math.min(...usable) : axis.log ? 1 : 0);
  let hi = axis.max ?? (usable.length > 0 ? Math.max(...usable) : axis.log ? 10 : 1);
  if (axis.log) {
    const [a, b] = niceLogDomain(lo, hi);
    return [axis.min ?? a, axis.max ?? b];
  }
  if (!(hi > lo)) {
    if (axis.max === undefined) hi = lo + (lo === 0 ? 1 : Math.abs(lo));
    else lo = hi - (hi === 0 ? 1 : Math.abs(hi));
  }
  const [a, b] = niceDomain(lo, hi);
  return [axis.min ?? a, axis.max ?? b];
}

export function layoutOf(spec: PlotSpec, legendNames: readonly string[]): Layout {
  const width = spec.width ?? DEFAULT_WIDTH;
  const height = spec.height ?? DEFAULT_HEIGHT;
  const left = 64;
  const right = width - (spec.colorBar !== undefined ? 96 : 18);
  // Legend entries flow left to right above the plot, wrapping at its width.
  const legendRows: Layout['legendRows'] = [];
  let row: Array<{ index: number; x: number }> = [];
  let x = left;
  legendNames.forEach((name, index) => {
    const w = LEGEND_SAMPLE + 6 + name.length * CHAR_PX + 14;
    if (row.length > 0 && x + w > right) {
      legendRows.push(row);
      row = [];
      x = left;
    }
    row.push({ index, x });
    x += w;
  });
  if (row.length > 0) legendRows.push(row);
  const top = 12 + legendRows.length * LEGEND_ROW;
  const bottom = height - 42;
  const xd = domainOf(spec.x, values(spec, 'x'));
  const yd = domainOf(spec.y, values(spec, 'y'));
  const xs = spec.x.log ? logScale(xd, [left, right]) : linearScale(xd, [left, right]);
  const ys = spec.y.log ? logScale(yd, [bottom, top]) : linearScale(yd, [bottom, top]);
  return { width, height, left, right, top, bottom, legendRows, x: xs, y: ys };
}

export { LEGEND_ROW, LEGEND_SAMPLE };
