/**
 * Reads field values the same way whether they come from CSV text or from
 * JSON: numbers may be JSON numbers or decimal text; an absent value, null,
 * or an empty cell means "not given".
 */

/** Decimal text: optional sign, digits with an optional fraction, optional exponent. No hex, no Infinity. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** True for undefined, null and blank text. */
export function isMissing(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value !== 'string') return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

/** The finite number `value` holds, or NaN. */
export function numberOf(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (typeof value !== 'string') return NaN;
  const whole = wholeNumber(value);
  if (whole >= 0) return whole;
  const text = value.trim();
  if (!DECIMAL.test(text)) return NaN;
  const n = Number(text);
  return Number.isFinite(n) ? n : NaN;
}

/**
 * Fast path for the common case, a plain whole number of up to 15 digits
 * (exact in a double): its value, or -1 when `text` is anything else.
 */
function wholeNumber(text: string): number {
  const n = text.length;
  if (n === 0 || n > 15) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** The text `value` holds (trimmed), or null when it is not text. */
export function textOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const c0 = value.charCodeAt(0);
  const cn = value.charCodeAt(value.length - 1);
  return c0 === 0x20 || cn === 0x20 || c0 === 0x09 || cn === 0x09 ? value.trim() : value;
}

/** A value as it appears in a message: text in quotes, anything else as JSON. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
