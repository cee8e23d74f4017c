/**
 * Colours of the charts: the Okabe–Ito palette (distinguishable with the
 * common colour-vision deficiencies; Okabe & Ito, "Color Universal Design",
 * 2008) for categories, and viridis stops for a sequential scale.
 */

/** The two configurations every chart compares. */
export const CURRENT = '#d55e00';
export const WINNER = '#0072b2';
/** Reference lines (SLOs) and muted marks. */
export const REFERENCE = '#c0392b';
export const MUTED = '#b8b8b8';

const CATEGORICAL = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#000000', '#999999'];

/** The i-th categorical colour (cycles). */
export function categorical(i: number): string {
  return CATEGORICAL[((i % CATEGORICAL.length) + CATEGORICAL.length) % CATEGORICAL.length]!;
}

const VIRIDIS = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
] as const;

/** Viridis at t in [0, 1] (clamped), as #rrggbb. */
export function sequential(t: number): string {
  const x = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const s = x * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(s));
  const f = s - i;
  const a = VIRIDIS[i]!;
  const b = VIRIDIS[i + 1]!;
  const hex = (k: 0 | 1 | 2): string => Math.round(a[k] + (b[k] - a[k]) * f).toString(16).padStart(2, '0');
  return `#${hex(0)}${hex(1)}${hex(2)}`;
}
