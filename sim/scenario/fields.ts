/**
 * Small zod building blocks shared by the scenario and configuration schemas:
 * quantities with units, bounded numbers, named choices and strict objects whose
 * errors say what is allowed.
 */
import { z } from 'zod';
import { parseBandwidth, parseDuration, parseRate, parseSize, EXPECTED, describeValue } from './units.js';
import type { UnitResult } from './units.js';
import { unknownName } from './errors.js';
import { CEILING } from './ranges.js';
import type { FieldRange, Measure, RangeMeta } from './ranges.js';

/**
 * Inclusive or exclusive lower bound and inclusive upper bound of a number.
 * Without `max`, the field's measure's ceiling applies (ranges.ts): every
 * number has an upper bound, and the SPEC lists it.
 */
export interface Bounds {
  min?: number;
  gt?: number;
  max?: number;
}

function bounded(n: z.ZodNumber, b: Bounds, measure: Measure, unit: string, integer = false) {
  let out = n;
  const max = b.max ?? CEILING[measure];
  // Without a lower bound, the range is symmetric: no number is unbounded.
  if (b.min === undefined && b.gt === undefined) b = { ...b, min: -max };
  if (b.min !== undefined) out = out.min(b.min, { error: (iss) => `expected at least ${b.min}${unit}, got ${iss.input as number}${unit}` });
  if (b.gt !== undefined) out = out.gt(b.gt, { error: (iss) => `expected more than ${b.gt}${unit}, got ${iss.input as number}${unit}` });
  out = out.max(max, { error: (iss) => `expected at most ${max}${unit}, got ${iss.input as number}${unit}` });
  const range: FieldRange = {
    measure,
    min: b.gt ?? b.min ?? -max,
    exclusive: b.gt !== undefined,
    max,
    integer,
  };
  return out.meta({ range } satisfies RangeMeta);
}

/**
 * A value of the wrong type (not a number or string) is reported as a type
 * mismatch, so that a union with an object form can tell which form was meant.
 */
function report(ctx: z.RefinementCtx, v: unknown, message: string): void {
  if (typeof v === 'number' || typeof v === 'string') ctx.addIssue({ code: 'custom', message, input: v });
  else ctx.addIssue({ code: 'invalid_type', expected: 'number', message, input: v });
}

/**
 * A quantity written as a number in the base unit or a string with a unit.
 * A missing value is reported as required, with an example of the form.
 */
function quantity(parse: (v: unknown) => UnitResult, expected: string, measure: Measure, unit: string, b: Bounds) {
  return z
    .unknown()
    .transform((v, ctx) => {
      if (v === undefined) {
        ctx.addIssue({ code: 'custom', message: `required; expected ${expected}` });
        return z.NEVER;
      }
      const r = parse(v);
      if (!r.ok) {
        report(ctx, v, r.error);
        return z.NEVER;
      }
      return r.value;
    })
    .pipe(bounded(z.number(), b, measure, unit));
}

/** Milliseconds; `250ms`, `2s`, `5m`, `1h` or a number of ms. Non-negative unless stated. */
export const duration = (b: Bounds = { min: 0 }) => quantity(parseDuration, EXPECTED.duration, 'duration', 'ms', b);
/** Bytes; `4KB`, `1MB`, `2GiB` or a number of bytes. */
export const size = (b: Bounds = { min: 0 }) => quantity(parseSize, EXPECTED.size, 'size', 'B', b);
/** Per second; `50/s`, `3000/m` or a number per second. */
export const rate = (b: Bounds = { min: 0 }) => quantity(parseRate, EXPECTED.rate, 'rate', '/s', b);

/** Bytes per second, positive; Infinity (or `unlimited`) means no transmission delay. */
export const bandwidth = () =>
  z
    .unknown()
    .transform((v, ctx) => {
      const r = parseBandwidth(v);
      if (!r.ok) {
        report(ctx, v, r.error);
        return z.NEVER;
      }
      if (r.value !== Infinity && r.value > CEILING.bandwidth) {
        ctx.addIssue({ code: 'custom', message: `expected at most ${CEILING.bandwidth}B/s (or unlimited), got ${r.value}B/s`, input: v });
        return z.NEVER;
      }
      return r.value;
    })
    .meta({ range: { measure: 'bandwidth', min: 0, exclusive: true, max: CEILING.bandwidth, integer: false } } satisfies RangeMeta);

/** A plain number (no units) within bounds. */
export const num = (b: Bounds = {}) => bounded(z.number(), b, 'number', '');
/** A whole number within bounds. */
export const int = (b: Bounds = {}) => bounded(z.number().int(), b, 'number', '', true);
/** A probability or fraction in [0, 1]. */
export const fraction = () => num({ min: 0, max: 1 });

/** One of a fixed set of names; the error lists them. */
export function choice<const T extends readonly [string, ...string[]]>(values: T, what: string, plural: string) {
  return z.enum(values, {
    error: (iss) =>
      iss.input === undefined
        ? `required; ${plural} are: ${values.join(', ')}`
        : typeof iss.input === 'string'
          ? unknownName(what, iss.input, plural, values)
          : `expected one of ${values.join(', ')}; got ${describeValue(iss.input)}`,
  });
}

/**
 * An object that rejects unknown keys (a typo must not be silently ignored),
 * naming the keys it does accept.
 */
export function strict<S extends z.ZodRawShape>(shape: S, what = 'key', plural = 'keys here') {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') {
        const key = iss.keys[0] ?? '';
        return unknownName(what, key, plural, known);
      }
      if (iss.code === 'invalid_type') {
        return iss.input === undefined ? 'required; expected a mapping' : `expected a mapping, got ${describeValue(iss.input)}`;
      }
      return undefined;
    },
  });
}

/**
 * A list of at most `maxItems` entries (a scenario file is no place for a
 * million of anything: traces are). The bound is listed in the SPEC table.
 */
export function list<T extends z.ZodType>(item: T, maxItems: number, minItems = 0, empty?: string) {
  let out = z.array(item);
  if (minItems > 0) out = out.min(minItems, { error: empty ?? `expected at least ${minItems} entr${minItems === 1 ? 'y' : 'ies'}` });
  return out
    .max(maxItems, { error: (iss) => `expected at most ${maxItems} entries, got ${Array.isArray(iss.input) ? iss.input.length : 'more'}` })
    .meta({ list: { minItems, maxItems } } satisfies RangeMeta);
}
