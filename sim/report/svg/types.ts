/** What a chart is made of: plain data in, an SVG string out (sim/report/svg/plot.ts). */

export interface AxisSpec {
  label: string;
  /** Log10 axis (latency, loss, cost); its domain must be positive. */
  log?: boolean;
  /** Domain bounds; taken from the data (and widened to nice ticks) when absent. */
  min?: number;
  max?: number;
  /** Tick label text (default: three significant digits). */
  format?: (x: number) => string;
  /** Counts: ticks only at whole numbers. */
  integer?: boolean;
}

export type Point = readonly [number, number];

export interface LineSeries {
  name: string;
  points: readonly Point[];
  color: string;
  /** SVG stroke-dasharray, e.g. "6 3". */
  dash?: string;
  /** Steps: a value holds until the next point (CDFs, best-so-far curves, per-interval counts). */
  step?: boolean;
  /** A dot on each point. */
  dots?: boolean;
  width?: number;
}

export type Shape = 'circle' | 'diamond' | 'square' | 'triangle';

export interface Mark {
  x: number;
  y: number;
  color: string;
  /** Radius, px (default 3.5). */
  r?: number;
  shape?: Shape;
  /** Outline only. */
  hollow?: boolean;
  /** Tooltip text. */
  title?: string;
  /** Text drawn next to the mark. */
  label?: string;
}

/** A reference line across the plot (an SLO, a breaking point). */
export interface RefLine {
  axis: 'x' | 'y';
  value: number;
  label: string;
  color?: string;
}

/** A shaded range of x (a fault window). */
export interface Band {
  from: number;
  to: number;
  label: string;
}

export interface LegendEntry {
  name: string;
  color: string;
  /** A line sample (default) or a mark sample. */
  kind?: 'line' | 'mark';
  dash?: string;
  shape?: Shape;
  hollow?: boolean;
}

/** A colour bar explaining a sequential colour (e.g. cost) on the right of the plot. */
export interface ColorBar {
  label: string;
  min: number;
  max: number;
  log?: boolean;
  /** Colour at t ∈ [0, 1]. */
  color: (t: number) => string;
  format?: (x: number) => string;
}

export interface PlotSpec {
  /** Read by screen readers and shown as a tooltip. */
  title: string;
  x: AxisSpec;
  y: AxisSpec;
  series?: LineSeries[];
  marks?: Mark[];
  refs?: RefLine[];
  bands?: Band[];
  /** Legend entries; by default one per named series. */
  legend?: LegendEntry[];
  colorBar?: ColorBar;
  width?: number;
  height?: number;
}
