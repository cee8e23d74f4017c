/**
 * Checks of the numbers the library and the command line take (SPEC §3):
 * each names the option and its range. The command line passes its flag
 * names (`--seed`), the library its option names (`seed`).
 */
import { InputError } from '../scenario/index.js';
import { MAX_SEED } from '../scenario/ranges.js';

/** A whole number in [min, max], or an error naming `name` and the range. */
export function checkInt(value: unknown, name: string, min: number, max: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const shown = typeof value === 'string' ? `'${value}'` : String(value);
    throw new InputError('', name, `expected a whole number from ${min} to ${max}, got ${shown === "''" ? 'an empty value' : shown}`);
  }
  return n;
}

export const checkSeed = (v: unknown, name: string) => checkInt(v, name, 0, MAX_SEED);
export const checkReplications = (v: unknown, name: string) => checkInt(v, name, 1, MAX_REPLICATIONS);

/** Replications of one run: each is a full run; beyond this a study is the tool. */
export const MAX_REPLICATIONS = 1000;

/** A work limit (`--max-events` …): a positive number, written as 1e10 if need be. */
export function checkLimit(value: unknown, name: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!(n >= 1) || !Number.isFinite(n)) {
    throw new InputError('', name, `expected a number of at least 1 (like 5e9), got ${typeof value === 'string' ? `'${value}'` : String(value)}`);
  }
  return n;
}
