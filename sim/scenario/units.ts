/**
 * Quantities with units, as scenario files write them. Each parser takes the raw
 * value (a number in the base unit, or a string with a unit) and returns the
 * number in the base unit, or a message saying what was expected. Pure: no
 * throwing, so the schema layer decides how to report.
 *
 * Base units: durations in milliseconds, sizes in bytes, rates per second,
 * bandwidth in bytes per second.
 */

export type UnitResult = { ok: true; value: number } | { ok: false; error: string };

/** A decimal number: `2`, `1.5`, `.5`, `1e3`, with an optional sign; mantissa and exponent captured apart. */
const NUMBER = String.raw`([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:[eE]([+-]?\d+))?`;

/**
 * A unit as `10^pow10 × mul / div` of the base unit. Scaling by a power of ten
 * is done on the decimal text, so `1.1s` is exactly 1100 ms, not 1100.0000000000002.
 */
interface Scale {
  pow10: number;
  mul?: number;
  div?: number;
}

/** Milliseconds per unit. */
const TIME_UNITS: Readonly<Record<string, Scale>> = {
  us: { pow10: -3 },
  µs: { pow10: -3 },
  ms: { pow10: 0 },
  s: { pow10: 3 },
  sec: { pow10: 3 },
  m: { pow10: 4, mul: 6 },
  min: { pow10: 4, mul: 6 },
  h: { pow10: 5, mul: 36 },
};

/** Events per second for one event per unit. */
const PER_UNIT: Readonly<Record<string, Scale>> = {
  us: { pow10: 6 },
  µs: { pow10: 6 },
  ms: { pow10: 3 },
  s: { pow10: 0 },
  sec: { pow10: 0 },
  m: { pow10: 0, div: 60 },
  min: { pow10: 0, div: 60 },
  h: { pow10: 0, div: 3600 },
};

/** Bytes per unit: decimal SI prefixes (KB = 1000 B) and binary ones (KiB = 1024 B). */
const BYTE_PREFIXES: Readonly<Record<string, Scale>> = {
  '': { pow10: 0 },
  k: { pow10: 3 },
  K: { pow10: 3 },
  M: { pow10: 6 },
  G: { pow10: 9 },
  T: { pow10: 12 },
  Ki: { pow10: 0, mul: 1024 },
  Mi: { pow10: 0, mul: 1024 ** 2 },
  Gi: { pow10: 0, mul: 1024 ** 3 },
  Ti: { pow10: 0, mul: 1024 ** 4 },
};

const DURATION_RE = new RegExp(`^${NUMBER}\\s*(us|µs|ms|sec|min|s|m|h)?$`);
const SIZE_RE = new RegExp(`^${NUMBER}\\s*(k|K|M|G|T|Ki|Mi|Gi|Ti)?(B)?$`);
const RATE_RE = new RegExp(`^${NUMBER}\\s*(?:/\\s*(us|µs|ms|sec|min|s|m|h))?$`);
/** `100MB/s`, `100MBps` (bytes); `1Gbit/s`, `1Gb/s`, `1Gbps` (bits). */
const BANDWIDTH_RE = new RegExp(`^${NUMBER}\\s*(k|K|M|G|T|Ki|Mi|Gi|Ti)?(B|bit|b)(?:/s|ps)$`);
const UNLIMITED = new Set(['unlimited', 'inf', 'infinity', 'Infinity']);

export const EXPECTED = {
  duration: 'a duration like 250ms, 2s or 5m',
  size: 'a size like 512B, 4KB or 1MB',
  rate: 'a rate like 50/s or 3000/m',
  bandwidth: 'a bandwidth like 100MB/s or 1Gbit/s',
} as const;

/** Milliseconds from `250` (ms), `'250ms'`, `'2s'`, `'5m'`, `'1h'`, `'1.5s'`, `'500us'`. */
export function parseDuration(input: unknown): UnitResult {
  return parseScaled(input, DURATION_RE, EXPECTED.duration, (m) => TIME_UNITS[m[3] ?? 'ms']);
}

/** Bytes from `512`, `'512B'`, `'4KB'` (4000), `'1MB'`, `'2GB'`, `'4KiB'` (4096). */
export function parseSize(input: unknown): UnitResult {
  return parseScaled(input, SIZE_RE, EXPECTED.size, (m) => BYTE_PREFIXES[m[3] ?? '']);
}

/** Events per second from `50`, `'50/s'`, `'3000/m'`, `'2/ms'`, `'100/h'`. */
export function parseRate(input: unknown): UnitResult {
  return parseScaled(input, RATE_RE, EXPECTED.rate, (m) => PER_UNIT[m[3] ?? 's']);
}

/**
 * Bytes per second from `125000000`, `'100MB/s'`, `'1Gbit/s'` (125e6), `'10Gbps'`;
 * `Infinity` or `'unlimited'` for no transmission delay. Must be positive.
 */
export function parseBandwidth(input: unknown): UnitResult {
  if (input === Infinity || (typeof input === 'string' && UNLIMITED.has(input.trim()))) {
    return { ok: true, value: Infinity };
  }
  const r = parseScaled(input, BANDWIDTH_RE, EXPECTED.bandwidth, (m) => {
    const prefix = BYTE_PREFIXES[m[3] ?? ''];
    if (prefix === undefined) return undefined;
    return m[4] === 'B' ? prefix : { ...prefix, div: (prefix.div ?? 1) * 8 };
  });
  if (r.ok && !(r.value > 0)) return { ok: false, error: `expected ${EXPECTED.bandwidth} above 0, got ${describeValue(input)}` };
  return r;
}

function parseScaled(
  input: unknown,
  re: RegExp,
  expected: string,
  scaleOf: (m: RegExpExecArray) => Scale | undefined,
): UnitResult {
  const bad: UnitResult = { ok: false, error: `expected ${expected}, got ${describeValue(input)}` };
  if (typeof input === 'number') return Number.isFinite(input) ? { ok: true, value: input } : bad;
  if (typeof input !== 'string') return bad;
  const m = re.exec(input.trim());
  if (m === null) return bad;
  const scale = scaleOf(m);
  if (scale === undefined) return bad;
  const exponent = Number(m[2] ?? 0) + scale.pow10;
  const value = (Number(`${m[1]}e${exponent}`) * (scale.mul ?? 1)) / (scale.div ?? 1);
  return Number.isFinite(value) ? { ok: true, value } : bad;
}

/** A short, quoted rendering of a raw input value for error messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null (an empty value)';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return typeof v;
}

/**
 * A user's string as error messages show it: in quotes, control characters
 * escaped (a newline or an escape byte must not break the one-line message or
 * reach the terminal raw), and cut to `max` characters.
 */
export function quote(text: string, max = 40): string {
  const cut = text.length > max ? `${text.slice(0, Math.max(1, max - 3))}...` : text;
  return `'${escapeControls(cut)}'`;
}

/** Control characters (C0, DEL, C1, line and paragraph separators) as visible escapes. */
export function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** Any message as one terminal line: controls escaped, at most `max` characters. */
export function oneLine(text: string, max = 600): string {
  const line = escapeControls(text.length > max * 2 ? text.slice(0, max * 2) : text);
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}
