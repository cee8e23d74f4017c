/**
 * Turns zod's issues into one human sentence. Schemas give specific messages
 * where they know better (units, role names, allowed keys); the error map here
 * phrases the rest, and {@link pickIssue} chooses the one issue worth showing.
 */
import type { z } from 'zod';
import { describeValue } from './units.js';
import type { PathSegment } from './errors.js';

type RawIssue = z.core.$ZodRawIssue;
type Issue = z.core.$ZodIssue;

const TYPE_NAMES: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
};

/** The error map passed to every parse: plain sentences for zod's own checks. */
export function humanize(iss: RawIssue): string {
  const got = describeValue(iss.input);
  switch (iss.code) {
    case 'invalid_type': {
      const want = TYPE_NAMES[iss.expected] ?? iss.expected;
      return iss.input === undefined ? `required; expected ${want}` : `expected ${want}, got ${got}`;
    }
    case 'too_small':
      if (iss.origin === 'array') return `expected at least ${iss.minimum} item${iss.minimum === 1 ? '' : 's'}, got ${countOf(iss.input)}`;
      return `expected ${iss.inclusive ? 'at least' : 'more than'} ${iss.minimum}, got ${got}`;
    case 'too_big':
      if (iss.origin === 'array') return `expected at most ${iss.maximum} item${iss.maximum === 1 ? '' : 's'}, got ${countOf(iss.input)}`;
      return `expected ${iss.inclusive ? 'at most' : 'less than'} ${iss.maximum}, got ${got}`;
    case 'invalid_value':
      return iss.values.length === 1
        ? `expected ${JSON.stringify(iss.values[0])}, got ${got}`
        : `expected one of ${iss.values.map((v) => String(v)).join(', ')}; got ${got}`;
    case 'unrecognized_keys':
      return `unknown key '${iss.keys[0] ?? ''}'`;
    case 'invalid_union':
      return `got ${got}, which matches none of the accepted forms`;
    case 'invalid_key':
      return `invalid key ${got}`;
    case 'invalid_format':
      return `expected ${iss.format} format, got ${got}`;
    default:
      return `invalid value ${got}`;
  }
}

function countOf(v: unknown): string {
  return Array.isArray(v) ? `${v.length}` : describeValue(v);
}

/** One issue with the path it applies to, ready to locate and print. */
export interface PickedIssue {
  path: PathSegment[];
  message: string;
  /** True when the path names a key the user wrote by mistake (locate the key itself). */
  unknownKey: boolean;
}

/**
 * Flattens unions (keeping the branch that matched the input's form) and picks
 * the issue to report: unknown keys first, since a misspelt key also explains
 * a "required" error for the key it was meant to be; then the first issue in
 * file order, as given by `lineOf`.
 */
export function pickIssue(issues: readonly Issue[], lineOf: (p: PickedIssue) => number | null): PickedIssue {
  const flat = issues.flatMap((i) => flatten(i, []));
  let best: PickedIssue | undefined;
  let bestKey: [number, number] = [Infinity, Infinity];
  for (const p of flat) {
    const key: [number, number] = [p.unknownKey ? 0 : 1, lineOf(p) ?? Infinity];
    if (best === undefined || key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
      best = p;
      bestKey = key;
    }
  }
  return best ?? { path: [], message: 'invalid input', unknownKey: false };
}

function flatten(iss: Issue, prefix: readonly PathSegment[]): PickedIssue[] {
  const path = [...prefix, ...(iss.path as PathSegment[])];
  if (iss.code === 'unrecognized_keys') {
    return [{ path: [...path, iss.keys[0] ?? ''], message: iss.message, unknownKey: true }];
  }
  if (iss.code === 'invalid_key' && iss.issues.length > 0) {
    return iss.issues.flatMap((sub) => flatten(sub, path)).map((p) => ({ ...p, unknownKey: true }));
  }
  if (iss.code === 'invalid_union' && iss.errors.length > 0) {
    // The first branch that got past a type mismatch at its root is the form the user meant.
    const fits = iss.errors.find((branch) => branch.some((b) => b.code !== 'invalid_type' || b.path.length > 0));
    if (fits !== undefined) return fits.flatMap((sub) => flatten(sub, path));
  }
  return [{ path, message: iss.message, unknownKey: false }];
}
