/** Human-readable numbers for reports and the terminal. */

/** A duration given in ms: "850 µs", "12.3 ms", "2.41 s", "3.2 min". */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const a = Math.abs(ms);
  if (a === 0) return '0 ms';
  if (a < 1) return `${sig(ms * 1000)} µs`;
  if (a < 1000) return `${sig(ms)} ms`;
  if (a < 120_000) return `${sig(ms / 1000)} s`;
  return `${sig(ms / 60_000)} min`;
}

/** Three significant digits, no exponent for everyday magnitudes. */
export function sig(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 10 ** digits) return Math.round(x).toLocaleString('en-US');
  return Number(x.toPrecision(digits)).toString();
}

/** A count with thousands separators. */
export function fmtCount(x: number): string {
  return Number.isInteger(x) ? x.toLocaleString('en-US') : sig(x);
}

/** A ratio as a percentage with enough digits to see 99.9% vs 99.99%. */
export function fmtPct(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const p = x * 100;
  if (p >= 99 && p < 100) return `${p.toFixed(3)}%`;
  return `${sig(p)}%`;
}

/** Money, with enough digits for per-message costs. */
export function fmtMoney(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '$0';
  if (Math.abs(x) >= 1) return `$${x.toFixed(2)}`;
  return `$${sig(x)}`;
}

/** Events or messages per second: "1.52 M/s". */
export function fmtRate(perSec: number): string {
  if (perSec >= 1e6) return `${sig(perSec / 1e6)} M/s`;
  if (perSec >= 1e3) return `${sig(perSec / 1e3)} k/s`;
  return `${sig(perSec)}/s`;
}
