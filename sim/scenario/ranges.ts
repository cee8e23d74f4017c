/**
 * Every number a scenario or configuration holds has a documented range
 * (SPEC §4.1): a lower bound and an upper one. The field builders of
 * `fields.ts` attach the range to the schema as metadata, so the table in the
 * SPEC is generated from the schemas themselves (`listRanges`, written by
 * scripts/spec-ranges.ts and checked by a test) and cannot drift from them.
 *
 * A field that states no upper bound gets its measure's ceiling below: large
 * enough for any mesh worth simulating, small enough that arithmetic on it
 * (sums over a run, products of rates and times) stays finite. Whether a
 * scenario as a whole is too much work is the work estimate's question
 * (sim/estimate), not a range's.
 */
import type { z } from 'zod';

/** The ceiling of each measure, unless a field states its own upper bound. */
export const CEILING = {
  /** About 116 days of simulated time, in ms. */
  duration: 1e10,
  /** 1 TB. */
  size: 1e12,
  /** Per second. */
  rate: 1e9,
  /** Bytes per second (a terabyte per second); `unlimited` is allowed besides. */
  bandwidth: 1e12,
  /** Plain and whole numbers. */
  number: 1e9,
} as const;

/** Largest seed (2³² − 1): seeds are folded into 32-bit stream keys. */
export const MAX_SEED = 4_294_967_295;

/** Replicas of one role; the work estimate (sim/estimate) bounds the mesh as a whole. */
export const MAX_REPLICAS = 10_000_000;
/** Parallel worker slots of one replica. */
export const MAX_WORKERS = 100_000;
/** Largest tree fanout, overlay degree and scale-free edges per new node. */
export const TOPOLOGY_LIMITS = { fanout: 1_000_000, degree: 1000, m: 1000 } as const;

export type Measure = keyof typeof CEILING;

const UNIT: Readonly<Record<Measure, string>> = { duration: 'ms', size: 'B', rate: '/s', bandwidth: 'B/s', number: '' };

/** A field's range, as the schema metadata carries it. */
export interface FieldRange {
  measure: Measure;
  /** Inclusive lower bound, or exclusive when `exclusive`. */
  min: number;
  exclusive: boolean;
  max: number;
  integer: boolean;
}

/** A list's length bounds. */
export interface ListRange {
  minItems: number;
  maxItems: number;
}

/** The metadata key the builders use (zod's `.meta()`). */
export interface RangeMeta {
  range?: FieldRange;
  list?: ListRange;
  /** A distribution of this measure: documented once, in its own table. */
  distribution?: 'duration' | 'size' | 'count';
}

/** `[0, 1e10] ms`, `(0, 1]`, `1 – 3 (whole)` as the SPEC prints a range. */
export function formatRange(r: FieldRange): string {
  const unit = UNIT[r.measure];
  const lo = `${r.exclusive ? '(' : '['}${num(r.min)}`;
  return `${lo}, ${num(r.max)}]${unit === '' ? '' : ` ${unit}`}${r.integer ? ', whole' : ''}`;
}

function num(x: number): string {
  if (x === 0 || (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e7)) return String(x);
  return x.toExponential().replace('e+', 'e');
}

/** One row of the ranges table: a field path (`roles.<role>.count`) and what it takes. */
export interface RangeRow {
  path: string;
  takes: string;
}

type AnySchema = z.core.$ZodType;

function metaOf(s: AnySchema): RangeMeta | undefined {
  const m = (s as unknown as { meta?: () => unknown }).meta?.();
  return m !== null && typeof m === 'object' ? (m as RangeMeta) : undefined;
}

/**
 * Every numeric field under `schema` with its range, in declaration order.
 * `label` names the variants of a tagged union (`workload[] (poisson)`).
 * A number without a range (a builder not used) is listed with `takes:
 * 'UNBOUNDED'`, which the ranges test rejects.
 */
export function listRanges(schema: AnySchema, root = ''): RangeRow[] {
  const rows: RangeRow[] = [];
  const seen = new Map<string, string>();
  const add = (path: string, takes: string) => {
    const prev = seen.get(path);
    if (prev === takes) return;
    if (prev !== undefined) {
      rows.push({ path, takes: `${takes} (another form)` });
      return;
    }
    seen.set(path, takes);
    rows.push({ path, takes });
  };
  walk(schema, root, add);
  return rows;
}

function walk(s: AnySchema, path: string, add: (path: string, takes: string) => void): void {
  const meta = metaOf(s);
  if (meta?.distribution !== undefined) return add(path, `a ${meta.distribution} distribution (§4.1, distributions)`);
  if (meta?.range !== undefined) return add(path, formatRange(meta.range));
  const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
  const child = (key: string) => def[key] as AnySchema;
  switch (def.type) {
    case 'number':
      return add(path, 'UNBOUNDED');
    case 'object': {
      const shape = def.shape as Record<string, AnySchema>;
      for (const [key, value] of Object.entries(shape)) walk(value, path === '' ? key : `${path}.${key}`, add);
      return;
    }
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
    case 'catch':
      return walk(child('innerType'), path, add);
    case 'pipe':
      walk(child('in'), path, add);
      return walk(child('out'), path, add);
    case 'array': {
      if (meta?.list !== undefined) add(`${path} (entries)`, `${meta.list.minItems} to ${num(meta.list.maxItems)} entries`);
      return walk(child('element'), `${path}[]`, add);
    }
    case 'tuple':
      for (const item of def.items as AnySchema[]) walk(item, `${path}[]`, add);
      return;
    case 'record':
      return walk(child('valueType'), `${path}.<name>`, add);
    case 'union': {
      const key = def.discriminator as string | undefined;
      const options = def.options as AnySchema[];
      if (key === undefined) {
        for (const option of options) walk(option, path, add);
        return;
      }
      // Fields every variant shares with the same range are listed once, untagged.
      const perOption = options.map((option) => {
        const rows: Array<[string, string]> = [];
        walk(option, '', (p, takes) => rows.push([p, takes]));
        return { tag: tagOf(option, key) ?? '?', rows };
      });
      const shared = (p: string, takes: string) => perOption.every((o) => o.rows.some(([q, t]) => q === p && t === takes));
      const join = (prefix: string, rest: string) => (rest === '' ? prefix : prefix === '' ? rest : `${prefix}.${rest}`);
      for (const [p, takes] of perOption[0]?.rows ?? []) if (perOption.length > 1 && shared(p, takes)) add(join(path, p), takes);
      for (const o of perOption) {
        const tagged = path === "" ? o.tag : `${path} (${key}: ${o.tag})`;
        for (const [p, takes] of o.rows) if (perOption.length === 1 || !shared(p, takes)) add(join(tagged, p), takes);
      }
      return;
    }
    default:
      return;
  }
}

/** The literal value of `key` in an object option of a tagged union. */
function tagOf(option: AnySchema, key: string): string | undefined {
  let s: AnySchema = option;
  for (let i = 0; i < 8; i++) {
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'object') {
      const lit = (def.shape as Record<string, AnySchema>)[key];
      const values = (lit?._zod.def as { values?: unknown[] } | undefined)?.values;
      return values?.[0] === undefined ? undefined : String(values[0]);
    }
    if (def.type === 'pipe') s = def.in as AnySchema;
    else if ('innerType' in def) s = def.innerType as AnySchema;
    else return undefined;
  }
  return undefined;
}
