/**
 * Parses wall-clock timestamps like `2023-11-16 18:17:03.9799600` (the Azure
 * LLM inference traces: 7 fractional digits, no zone) into whole seconds and
 * nanoseconds, without Date, whose milliseconds would lose the trace's 100 ns
 * resolution. Accepted: `YYYY-MM-DD` then a space or `T`, `HH:MM:SS`, an
 * optional fraction of 1 to 9 digits, an optional `Z`. Timestamps without a
 * zone are read as UTC; only differences matter, so the zone cancels out.
 */

/** Filled by {@link parseTimestamp}: seconds since 1970-01-01T00:00:00 and the nanoseconds within that second. */
export interface Instant {
  sec: number;
  nanos: number;
}

const ZERO = 0x30;

/** Reads `text` into `out`; false when it is not a timestamp of the accepted shape or a field is out of range. */
export function parseTimestamp(text: string, out: Instant): boolean {
  let len = text.length;
  if (len > 0 && text.charCodeAt(len - 1) === 0x5a /* Z */) len--;
  if (len < 19) return false;
  const y = digits(text, 0, 4);
  const mo = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  const h = digits(text, 11, 2);
  const mi = digits(text, 14, 2);
  const s = digits(text, 17, 2);
  const sep = text.charCodeAt(10);
  if (
    text.charCodeAt(4) !== 0x2d ||
    text.charCodeAt(7) !== 0x2d ||
    (sep !== 0x20 && sep !== 0x54) ||
    text.charCodeAt(13) !== 0x3a ||
    text.charCodeAt(16) !== 0x3a
  ) {
    return false;
  }
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return false;
  let nanos = 0;
  if (len > 19) {
    if (text.charCodeAt(19) !== 0x2e /* . */) return false;
    const n = len - 20;
    if (n < 1 || n > 9) return false;
    const f = digits(text, 20, n);
    if (f < 0) return false;
    nanos = f * 10 ** (9 - n);
  }
  out.sec = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
  out.nanos = nanos;
  return true;
}

/** The decimal number in text[at, at + n), or -1 if any character is not a digit. */
function digits(text: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = text.charCodeAt(i) - ZERO;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"). */
export function daysFromCivil(year: number, m: number, d: number): number {
  const y = m <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
