/**
 * Distribution schemas (SPEC §4). A distribution's fields take the units of
 * what it measures: a duration distribution's `mean: 40ms`, a size
 * distribution's `mean: 4KB`, a token count's plain numbers. A bare number or
 * unit string means a constant.
 */
import { z } from 'zod';
import type { DistSpec } from '../engine/distributions.js';
import { describeValue } from './units.js';
import { unknownName } from './errors.js';
import { duration, list, num, size, strict } from './fields.js';
import type { RangeMeta } from './ranges.js';
import { unrepresentable } from '../engine/distributions.js';
import type { Bounds } from './fields.js';

export type Measure = 'duration' | 'size' | 'count';

const DISTS = ['const', 'exp', 'lognormal', 'pareto', 'weibull', 'uniform', 'empirical'] as const;

const EXAMPLE: Record<Measure, string> = {
  duration: 'a duration like 40ms or a distribution like {dist: exp, mean: 40ms}',
  size: 'a size like 4KB or a distribution like {dist: lognormal, mean: 4KB, cv: 1}',
  count: 'a number or a distribution like {dist: lognormal, mean: 1500, cv: 1}',
};

/** Base unit of each measure, for messages. */
const UNIT: Record<Measure, string> = { duration: 'ms', size: 'B', count: '' };

function amount(measure: Measure, b: Bounds) {
  if (measure === 'duration') return duration(b);
  if (measure === 'size') return size(b);
  return num(b);
}

function variants(measure: Measure) {
  const value = amount(measure, { min: 0 });
  const mean = amount(measure, { gt: 0 });
  return [
    strict({ dist: z.literal('const'), value }),
    strict({ dist: z.literal('exp'), mean }),
    strict({ dist: z.literal('lognormal'), mean, cv: num({ min: 0, max: 100 }) }).superRefine(representable),
    strict({ dist: z.literal('pareto'), mean, alpha: num({ gt: 1, max: 1000 }) }).superRefine(representable),
    strict({ dist: z.literal('weibull'), mean, shape: num({ min: 0.05, max: 1000 }) }).superRefine(representable),
    strict({ dist: z.literal('uniform'), min: value, max: value }).superRefine((u, ctx) => {
      if (u.min > u.max) ctx.addIssue({ code: 'custom', path: ['max'], message: `expected max >= min (${u.min}${UNIT[measure]}), got ${u.max}${UNIT[measure]}` });
    }),
    strict({ dist: z.literal('empirical'), values: list(value, 1_000_000, 1, 'expected a non-empty list of values') }),
  ] as const;
}

function tagged<const O extends readonly [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]]>(
  options: O,
  names: readonly string[],
  measure: Measure,
) {
  return z.discriminatedUnion('dist', options, {
    error: (iss) => {
      const input = iss.input as Record<string, unknown> | undefined;
      if (iss.code === 'invalid_union' && input !== null && typeof input === 'object') {
        const d = input['dist'];
        if (d === undefined) return `required; distributions are: ${names.join(', ')}`;
        return typeof d === 'string'
          ? unknownName('distribution', d, 'distributions', names)
          : `expected one of ${names.join(', ')}; got ${describeValue(d)}`;
      }
      return `expected ${EXAMPLE[measure]}, got ${describeValue(iss.input)}`;
    },
  });
}

/**
 * The ranges keep a distribution's parameters sane one by one; this catches
 * their combinations whose mean or variance overflows a double (a lognormal
 * of cv 100 around a mean of 1e10 ms), which would turn event times into NaN.
 */
function representable(spec: DistSpec, ctx: z.RefinementCtx): void {
  const why = unrepresentable(spec);
  if (why !== null) ctx.addIssue({ code: 'custom', message: `this ${spec.dist} distribution ${why}; expected smaller parameters` });
}

/** A distribution of durations (ms), sizes (bytes) or counts; a bare value is a constant. */
export function dist(measure: Measure): z.ZodType<DistSpec> {
  const scalar = amount(measure, { min: 0 }).transform((value): DistSpec => ({ dist: 'const', value }));
  return z
    .union([scalar, tagged(variants(measure), DISTS, measure)], {
      error: (iss) => `expected ${EXAMPLE[measure]}, got ${describeValue(iss.input)}`,
    })
    .meta({ distribution: measure } satisfies RangeMeta);
}

/** The parameters of each distribution of a measure, for the SPEC's ranges table. */
export function distributionSchemas(measure: Measure): z.ZodType {
  return tagged(variants(measure), DISTS, measure);
}

/** A constant distribution, for defaults. */
export const constant = (value: number): DistSpec => ({ dist: 'const', value });

/** A role's service time: a duration distribution, or an LLM call priced by tokens. */
/** `{dist: tokens, base, perTokenIn, perTokenOut}`: an LLM call's time from its token counts. */
export function tokensService() {
  const d = duration({ min: 0 });
  return strict({
    dist: z.literal('tokens'),
    base: d.default(0),
    perTokenIn: d.default(0),
    perTokenOut: d.default(0),
  });
}

export function service() {
  const tokens = tokensService();
  const scalar = duration({ min: 0 }).transform((value): DistSpec => ({ dist: 'const', value }));
  return z
    .union([scalar, tagged([...variants('duration'), tokens], [...DISTS, 'tokens'], 'duration')], {
      error: (iss) => `expected ${EXAMPLE.duration}, got ${describeValue(iss.input)}`,
    })
    .meta({ distribution: 'duration' } satisfies RangeMeta);
}
