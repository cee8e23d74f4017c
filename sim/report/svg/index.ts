/** Our own small SVG charts (no dependency, no network): line, step/CDF and scatter plots. */
export { plot, colorPosition } from './plot.js';
export { esc, num } from './escape.js';
export { linearScale, logScale, niceTicks, niceDomain, logTicks, niceLogDomain, niceStep, type Scale } from './scale.js';
export { layoutOf, domainOf, type Layout } from './layout.js';
export { CURRENT, WINNER, REFERENCE, MUTED, categorical, sequential } from './colors.js';
export type { AxisSpec, Band, ColorBar, LegendEntry, LineSeries, Mark, PlotSpec, Point, RefLine, Shape } from './types.js';

import { plot } from './plot.js';
import type { PlotSpec } from './types.js';

/** Lines (plain or steps) over x: time series, CDFs, forecast curves. */
export function lineChart(spec: PlotSpec): string {
  return plot(spec);
}

/** Marks at (x, y), with an optional colour bar: Pareto fronts, evaluations. */
export function scatterChart(spec: PlotSpec): string {
  return plot(spec);
}
