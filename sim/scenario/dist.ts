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
import { duration, num, size, strict } from './fields.js';
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
    strict({ dist: z.literal('lognormal'), mean, cv: num({ min: 0 }) }),
    strict({ dist: z.literal('pareto'), mean, alpha: num({ gt: 1 }) }),
    strict({ dist: z.literal('weibull'), mean, shape: num({ gt: 0 }) }),
    strict({ dist: z.literal('uniform'), min: value, max: value }).superRefine((u, ctx) => {
      if (u.min > u.max) ctx.addIssue({ code: 'custom', path: ['max'], message: `expected max >= min (${u.min}${UNIT[measure]}), got ${u.max}${UNIT[measure]}` });
    }),
    strict({ dist: z.literal('empirical'), values: z.array(value).min(1, { error: 'expected a non-empty list of values' }) }),
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

/** A distribution of durations (ms), sizes (bytes) or counts; a bare value is a constant. */
export function dist(measure: Measure): z.ZodType<DistSpec> {
  const scalar = amount(measure, { min: 0 }).transform((value): DistSpec => ({ dist: 'const', value }));
  return z.union([scalar, tagged(variants(measure), DISTS, measure)], {
    error: (iss) => `expected ${EXAMPLE[measure]}, got ${describeValue(iss.input)}`,
  });
}

/** A constant distribution, for defaults. */
export const constant = (value: number): DistSpec => ({ dist: 'const', value });

/** A role's service time: a duration distribution, or an LLM call priced by tokens. */
export function service() {
  const d = duration({ min: 0 });
  const tokens = strict({
    dist: z.literal('tokens'),
    base: d.default(0),
    perTokenIn: d.default(0),
    perTokenOut: d.default(0),
  });
  const scalar = duration({ min: 0 }).transform((value): DistSpec => ({ dist: 'const', value }));
  return z.union([scalar, tagged([...variants('duration'), tokens], [...DISTS, 'tokens'], 'duration')], {
    error: (iss) => `expected ${EXAMPLE.duration}, got ${describeValue(iss.input)}`,
  });
}
