/**
 * Scales from data values to pixels, and the ticks of their axes: linear
 * ticks at 1-2-5 steps (Heckbert, "Nice numbers for graph labels", Graphics
 * Gems, 1990) and log ticks at powers of ten (with 2 and 5 when the domain
 * spans few decades).
 */

export interface Scale {
  /** Pixel of a value; values outside the domain (±Infinity too) are clamped to its ends, NaN stays NaN. */
  (x: number): number;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  readonly log: boolean;
  /** Tick values inside the domain, ascending. */
  ticks(count?: number): number[];
}

/** Rounds away float dust (0.30000000000000004 → 0.3) so tick values print cleanly. */
export function clean(x: number): number {
  return Number(x.toPrecision(12));
}

/** The 1, 2 or 5 × 10^k step nearest to `span / count` (Heckbert's rounding: thresholds 1.5, 3 and 7). */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / p;
  return clean((f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p);
}

/** Ticks at a 1-2-5 step between lo and hi (inclusive), about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return Number.isFinite(lo) ? [clean(lo)] : [];
  const step = niceStep(hi - lo, count);
  const out: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  const last = Math.floor(hi / step + 1e-9);
  for (let i = first; i <= last; i++) out.push(clean(i * step));
  return out;
}

/** [lo, hi] widened to the nearest ticks of a 1-2-5 step. */
export function niceDomain(lo: number, hi: number, count = 5): [number, number] {
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo - pad, hi + pad];
  }
  const step = niceStep(hi - lo, count);
  return [clean(Math.floor(lo / step + 1e-9) * step), clean(Math.ceil(hi / step - 1e-9) * step)];
}

/** Powers of ten inside [lo, hi]; with 2 and 5 multiples when that gives fewer than three ticks. */
export function logTicks(lo: number, hi: number): number[] {
  if (!(lo > 0) || !(hi >= lo)) return [];
  const a = Math.floor(Math.log10(lo));
  const b = Math.ceil(Math.log10(hi));
  const inside = (x: number): boolean => x >= lo * (1 - 1e-9) && x <= hi * (1 + 1e-9);
  const decades: number[] = [];
  for (let e = a; e <= b; e++) decades.push(clean(Math.pow(10, e)));
  let ticks = decades.filter(inside);
  if (ticks.length < 3) {
    ticks = decades.flatMap((d) => [d, clean(2 * d), clean(5 * d)]).filter(inside);
  }
  if (ticks.length < 2) ticks = niceTicks(lo, hi, 3).filter((x) => x > 0);
  return ticks;
}

/** [lo, hi] widened to 1, 2 or 5 × 10^k on each side (positive domains only). */
export function niceLogDomain(lo: number, hi: number): [number, number] {
  if (!(lo > 0)) lo = hi > 0 ? hi / 10 : 1;
  if (!(hi > lo)) hi = lo * 10;
  const down = (x: number): number => {
    const p = Math.pow(10, Math.floor(Math.log10(x)));
    for (const m of [5, 2, 1]) if (m * p <= x * (1 + 1e-9)) return clean(m * p);
    return clean(p);
  };
  const up = (x: number): number => {
    const p = Math.pow(10, Math.floor(Math.log10(x)));
    for (const m of [1, 2, 5, 10]) if (m * p >= x * (1 - 1e-9)) return clean(m * p);
    return clean(10 * p);
  };
  return [down(lo), up(hi)];
}

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 !== d0 ? (r1 - r0) / (d1 - d0) : 0;
  const f = ((x: number): number => {
    if (Number.isNaN(x)) return NaN;
    const c = x < Math.min(d0, d1) ? Math.min(d0, d1) : x > Math.max(d0, d1) ? Math.max(d0, d1) : x;
    return r0 + (c - d0) * k;
  }) as Scale;
  return Object.assign(f, { domain: [d0, d1] as const, range: [r0, r1] as const, log: false, ticks: (count = 5) => niceTicks(Math.min(d0, d1), Math.max(d0, d1), count) });
}

/** A log10 scale; the domain must be positive. Values ≤ 0 map to the start of the range. */
export function logScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  if (!(d0 > 0 && d1 > 0)) throw new RangeError(`log scale needs a positive domain, got [${d0}, ${d1}]`);
  const [r0, r1] = range;
  const l0 = Math.log10(d0);
  const l1 = Math.log10(d1);
  const k = l1 !== l0 ? (r1 - r0) / (l1 - l0) : 0;
  const lo = Math.min(d0, d1);
  const hi = Math.max(d0, d1);
  const f = ((x: number): number => {
    if (Number.isNaN(x)) return NaN;
    const c = !(x > lo) ? lo : x > hi ? hi : x;
    return r0 + (Math.log10(c) - l0) * k;
  }) as Scale;
  return Object.assign(f, { domain: [d0, d1] as const, range: [r0, r1] as const, log: true, ticks: () => logTicks(lo, hi) });
}
