/**
 * Option values as the user typed them. cac (through mri) turns a value
 * that looks like a number into one — `--seed ""` into 0, `--seed 0x10` into
 * 16, `--seed 1e300` into 1e300 — and reads `--budget -5` as a flag `-5`. So
 * main.ts rewrites negative values to `--budget=-5` and keeps the raw text of
 * every option here; numeric options are checked on that text, naming the
 * flag and its range.
 */
import { MAX_SEED } from '../scenario/ranges.js';
import { UsageError } from './errors.js';
import { InputError } from '../scenario/errors.js';
import type { RunLimits } from '../model/index.js';

const raw = new Map<string, string>();
const NEGATIVE = /^-(\d|\.\d)/;

/** `argv` with negative values joined to their flag (`--budget=-5`); records the raw text of each option. */
export function prepareArgv(argv: readonly string[]): string[] {
  raw.clear();
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 2) {
      raw.set(arg.slice(2, eq), arg.slice(eq + 1));
      out.push(arg);
      continue;
    }
    const next = argv[i + 1];
    if (arg.startsWith('--') && next !== undefined && (!next.startsWith('-') || NEGATIVE.test(next))) {
      raw.set(arg.slice(2), next);
      if (NEGATIVE.test(next)) {
        out.push(`${arg}=${next}`);
        i++;
        continue;
      }
    }
    out.push(arg);
  }
  return out;
}

/** The text typed for `--flag`, when it was typed as one value. */
function typed(flag: string, value: unknown): string {
  const text = raw.get(flag.replace(/^--/, ''));
  return text !== undefined && (typeof value === 'number' || typeof value === 'string') ? text : String(value);
}

/** A whole-number option in [min, max], or `fallback` when absent. */
export function intOption(value: unknown, flag: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const text = typed(flag, value).trim();
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag}: expected a whole number from ${min} to ${max}, got ${text === '' ? 'an empty value' : `'${text}'`}`);
  }
  return n;
}

/** A seed: a whole number from 0 to 2³² − 1 (SPEC §4.1). */
export function seedOption(value: unknown, flag: string, fallback: number): number {
  return intOption(value, flag, fallback, 0, MAX_SEED);
}

/** A string option, or undefined when absent. */
export function stringOption(value: unknown, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') throw new UsageError(`${flag}: expected a value`);
  return typed(flag, value);
}

/** A positive count written as a number (`5e9` allowed), for the work limits. */
function limitOption(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const text = typed(flag, value).trim();
  const n = text === '' ? NaN : Number(text);
  if (!(n >= 1) || !Number.isFinite(n)) throw new UsageError(`${flag}: expected a number of at least 1 (like 5e9), got ${text === '' ? 'an empty value' : `'${text}'`}`);
  return n;
}

/** `--max-events`, `--max-agents`, `--max-pending` (SPEC §6.1). */
export function limitOptions(flags: { maxEvents?: unknown; maxAgents?: unknown; maxPending?: unknown }): Partial<RunLimits> {
  const out: Partial<RunLimits> = {};
  const e = limitOption(flags.maxEvents, '--max-events');
  const a = limitOption(flags.maxAgents, '--max-agents');
  const p = limitOption(flags.maxPending, '--max-pending');
  if (e !== undefined) out.maxEvents = e;
  if (a !== undefined) out.maxAgents = a;
  if (p !== undefined) out.maxPending = p;
  return out;
}

/**
 * The library names a bad option by its name (`resume`); the command line by
 * its flag (`--resume`). Errors about files pass through as they are.
 */
export function asFlagErrors<T>(f: () => T): T {
  try {
    const out = f();
    if (out instanceof Promise) return out.catch((err: unknown) => Promise.reject(flagError(err))) as T;
    return out;
  } catch (err) {
    throw flagError(err);
  }
}

function flagError(err: unknown): unknown {
  if (!(err instanceof InputError) || err.file !== '') return err;
  if (err.path === '' || err.path === 'mode') return new UsageError(err.detail);
  return new UsageError(`--${err.path.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${err.detail}`);
}

/**
 * `--sample-rate`: a share of requests in (0, 1], as a number (0.1) or a
 * percentage (10%): the spans `simulate --spans` keeps, the requests traces
 * hold for `import`.
 */
export function sampleRateOption(value: unknown): number | undefined {
  const text = stringOption(value, '--sample-rate');
  if (text === undefined) return undefined;
  const t = text.trim();
  const v = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
  if (t === '' || t === '%' || !(v > 0 && v <= 1)) throw new UsageError(`--sample-rate: expected a share in (0, 1], like 0.1 or 10%, got '${text}'`);
  return v;
}
