/**
 * A small SVG chart renderer: axes with ticks (linear or log), grid, shaded
 * x bands, reference lines, line series (plain or steps), marks, a legend
 * and an optional colour bar. Pure and deterministic: the same spec gives
 * the same bytes; no ids, so many charts can share one HTML page.
 */
import { sig } from '../units.js';
import { esc, num } from './escape.js';
import { CHAR_PX, FONT_PX, LEGEND_ROW, LEGEND_SAMPLE, layoutOf, type Layout } from './layout.js';
import { shapeElement } from './marks.js';
import { linearScale, logScale, type Scale } from './scale.js';
import type { ColorBar, LegendEntry, LineSeries, Mark, PlotSpec } from './types.js';

const AXIS = '#444';
const GRID = '#e6e6e6';
const BAND = '#f3e3cf';

const defaultFormat = (x: number): string => sig(x);

export function plot(spec: PlotSpec): string {
  const legend: LegendEntry[] = spec.legend ?? (spec.series ?? []).map((s) => ({ name: s.name, color: s.color, ...(s.dash !== undefined ? { dash: s.dash } : {}) }));
  const L = layoutOf(spec, legend.map((e) => e.name));
  const out: string[] = [];
  out.push(
    `<svg class="chart" role="img" aria-label="${esc(spec.title)}" viewBox="0 0 ${L.width} ${L.height}" width="${L.width}" height="${L.height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="${FONT_PX}">`,
    `<title>${esc(spec.title)}</title>`,
  );
  out.push(...bands(spec, L), ...grid(spec, L), ...refs(spec, L));
  for (const s of spec.series ?? []) out.push(seriesPath(s, L));
  for (const m of spec.marks ?? []) out.push(...mark(m, L));
  out.push(...legendElements(legend, L));
  if (spec.colorBar !== undefined) out.push(...colorBar(spec.colorBar, L));
  out.push('</svg>');
  return out.join('\n');
}

/** Keeps every k-th tick so that the labels do not overlap. */
function thin(ticks: number[], labels: string[], room: number): number[] {
  const widest = Math.max(1, ...labels.map((l) => l.length * CHAR_PX + 8));
  const k = Math.max(1, Math.ceil((ticks.length * widest) / Math.max(1, room)));
  return ticks.filter((_, i) => i % k === 0);
}

function grid(spec: PlotSpec, L: Layout): string[] {
  const out: string[] = [];
  const fx = spec.x.format ?? defaultFormat;
  const fy = spec.y.format ?? defaultFormat;
  const whole = (axis: typeof spec.x, ticks: number[]): number[] => (axis.integer ? ticks.filter((t) => Number.isInteger(t)) : ticks);
  const xt0 = whole(spec.x, L.x.ticks(7));
  const xt = thin(xt0, xt0.map(fx), L.right - L.left);
  const yt = whole(spec.y, L.y.ticks(5));
  for (const t of yt) {
    const y = L.y(t);
    out.push(`<line x1="${L.left}" x2="${num(L.right)}" y1="${num(y)}" y2="${num(y)}" stroke="${GRID}"/>`);
    out.push(`<text x="${L.left - 6}" y="${num(y + 3.5)}" text-anchor="end" fill="${AXIS}">${esc(fy(t))}</text>`);
  }
  for (const t of xt) {
    const x = L.x(t);
    out.push(`<line x1="${num(x)}" x2="${num(x)}" y1="${num(L.bottom)}" y2="${num(L.bottom + 4)}" stroke="${AXIS}"/>`);
    out.push(`<text x="${num(x)}" y="${num(L.bottom + 16)}" text-anchor="middle" fill="${AXIS}">${esc(fx(t))}</text>`);
  }
  out.push(`<rect x="${L.left}" y="${num(L.top)}" width="${num(L.right - L.left)}" height="${num(L.bottom - L.top)}" fill="none" stroke="${AXIS}" stroke-width="0.8"/>`);
  out.push(`<text x="${num((L.left + L.right) / 2)}" y="${num(L.height - 8)}" text-anchor="middle" fill="${AXIS}">${esc(spec.x.label)}</text>`);
  const cy = (L.top + L.bottom) / 2;
  out.push(`<text x="14" y="${num(cy)}" text-anchor="middle" fill="${AXIS}" transform="rotate(-90 14 ${num(cy)})">${esc(spec.y.label)}</text>`);
  return out;
}

function bands(spec: PlotSpec, L: Layout): string[] {
  return (spec.bands ?? []).flatMap((b) => {
    const x0 = L.x(b.from);
    const x1 = L.x(b.to);
    if (!(x1 > x0)) return [];
    return [
      `<rect class="band" x="${num(x0)}" y="${num(L.top)}" width="${num(x1 - x0)}" height="${num(L.bottom - L.top)}" fill="${BAND}" opacity="0.7"><title>${esc(b.label)}</title></rect>`,
      `<text x="${num(x0 + 3)}" y="${num(L.top + 11)}" fill="#8a5a2b" font-size="10">${esc(b.label)}</text>`,
    ];
  });
}

function refs(spec: PlotSpec, L: Layout): string[] {
  return (spec.refs ?? []).flatMap((r) => {
    const color = esc(r.color ?? '#c0392b');
    if (r.axis === 'y') {
      const y = L.y(r.value);
      return [
        `<line class="ref" x1="${L.left}" x2="${num(L.right)}" y1="${num(y)}" y2="${num(y)}" stroke="${color}" stroke-dasharray="5 3" stroke-width="1.2"/>`,
        `<text x="${num(L.right - 4)}" y="${num(y - 4)}" text-anchor="end" fill="${color}">${esc(r.label)}</text>`,
      ];
    }
    const x = L.x(r.value);
    // The label goes inside the plot, on the side of the line with more room, below the band labels.
    const right = x < (L.left + L.right) / 2;
    return [
      `<line class="ref" x1="${num(x)}" x2="${num(x)}" y1="${num(L.top)}" y2="${num(L.bottom)}" stroke="${color}" stroke-dasharray="5 3" stroke-width="1.2"/>`,
      `<text x="${num(right ? x + 4 : x - 4)}" y="${num(L.top + 24)}"${right ? '' : ' text-anchor="end"'} fill="${color}">${esc(r.label)}</text>`,
    ];
  });
}

/** The path of a series; NaN points break it, steps hold each value until the next point. */
export function seriesPath(s: LineSeries, L: Layout): string {
  let d = '';
  let open = false;
  const dots: string[] = [];
  for (const [vx, vy] of s.points) {
    const x = L.x(vx);
    const y = L.y(vy);
    if (Number.isNaN(x) || Number.isNaN(y)) {
      open = false;
      continue;
    }
    if (!open) d += `M${num(x)} ${num(y)}`;
    else if (s.step) d += `H${num(x)}V${num(y)}`;
    else d += `L${num(x)} ${num(y)}`;
    open = true;
    if (s.dots) dots.push(`<circle cx="${num(x)}" cy="${num(y)}" r="2.5" fill="${esc(s.color)}"/>`);
  }
  const dash = s.dash !== undefined ? ` stroke-dasharray="${esc(s.dash)}"` : '';
  const path = d === '' ? '' : `<path class="series" data-series="${esc(s.name)}" d="${d}" fill="none" stroke="${esc(s.color)}" stroke-width="${s.width ?? 1.8}" stroke-linejoin="round"${dash}><title>${esc(s.name)}</title></path>`;
  return [path, ...dots].filter((x) => x !== '').join('\n');
}

function mark(m: Mark, L: Layout): string[] {
  const x = L.x(m.x);
  const y = L.y(m.y);
  if (Number.isNaN(x) || Number.isNaN(y)) return [];
  const r = m.r ?? 3.5;
  const data = ` class="mark" data-x="${esc(String(m.x))}" data-y="${esc(String(m.y))}"`;
  const out = [shapeElement(m.shape ?? 'circle', x, y, r, m.color, m.hollow === true, data, m.title)];
  if (m.label !== undefined) out.push(`<text x="${num(x + r + 3)}" y="${num(y - r - 1)}" fill="#222" font-weight="600">${esc(m.label)}</text>`);
  return out;
}

function legendElements(legend: readonly LegendEntry[], L: Layout): string[] {
  const out: string[] = [];
  L.legendRows.forEach((row, r) => {
    const y = 10 + r * LEGEND_ROW;
    for (const { index, x } of row) {
      const e = legend[index]!;
      if (e.kind === 'mark') out.push(shapeElement(e.shape ?? 'circle', x + LEGEND_SAMPLE / 2, y, 4, e.color, e.hollow === true));
      else {
        const dash = e.dash !== undefined ? ` stroke-dasharray="${esc(e.dash)}"` : '';
        out.push(`<line x1="${x}" x2="${num(x + LEGEND_SAMPLE)}" y1="${y}" y2="${y}" stroke="${esc(e.color)}" stroke-width="2.2"${dash}/>`);
      }
      out.push(`<text x="${num(x + LEGEND_SAMPLE + 5)}" y="${y + 4}" fill="#222">${esc(e.name)}</text>`);
    }
  });
  return out;
}

function colorBar(c: ColorBar, L: Layout): string[] {
  const x = L.right + 14;
  const w = 12;
  const steps = 24;
  const h = (L.bottom - L.top) / steps;
  const out: string[] = [`<text x="${L.right + 8}" y="${num(L.top - 4)}" fill="#222">${esc(c.label)}</text>`];
  for (let i = 0; i < steps; i++) {
    const t = (i + 0.5) / steps;
    out.push(`<rect x="${x}" y="${num(L.bottom - (i + 1) * h)}" width="${w}" height="${num(h + 0.3)}" fill="${esc(c.color(t))}"/>`);
  }
  const fmt = c.format ?? defaultFormat;
  const lo = c.min;
  const hi = c.max > c.min ? c.max : c.min * (c.log ? 10 : 1) + (c.log ? 0 : 1);
  const scale: Scale = c.log && lo > 0 ? logScale([lo, hi], [L.bottom, L.top]) : linearScale([lo, hi], [L.bottom, L.top]);
  const ticks = scale.ticks(4).filter((t) => t >= lo && t <= hi);
  for (const t of ticks.length >= 2 ? ticks : [lo, hi]) {
    const y = scale(t);
    out.push(`<line x1="${x + w}" x2="${x + w + 3}" y1="${num(y)}" y2="${num(y)}" stroke="${AXIS}"/>`);
    out.push(`<text x="${x + w + 5}" y="${num(y + 3.5)}" fill="${AXIS}">${esc(fmt(t))}</text>`);
  }
  return out;
}

/** Position of t ∈ [0, 1] of a colour bar for value v (log or linear), for colouring marks. */
export function colorPosition(v: number, min: number, max: number, log = false): number {
  if (!Number.isFinite(v)) return v > 0 ? 1 : 0;
  if (!(max > min)) return 0.5;
  if (log && min > 0 && v > 0) return Math.min(1, Math.max(0, Math.log(v / min) / Math.log(max / min)));
  return Math.min(1, Math.max(0, (v - min) / (max - min)));
}
