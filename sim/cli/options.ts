import { UsageError } from './errors.js';

/** An integer option, or `fallback` when absent. */
export function intOption(value: unknown, flag: string, fallback: number, min = -Infinity): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError(`${flag}: expected an integer${min > -Infinity ? ` ≥ ${min}` : ''}, got '${String(value)}'`);
  }
  return n;
}

/** A string option, or undefined when absent. */
export function stringOption(value: unknown, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') throw new UsageError(`${flag}: expected a value`);
  return String(value);
}
